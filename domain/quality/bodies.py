"""Assessor and monitoring bodies, and the conflict-of-interest rule.

Source: domain.md §5 — the independent assessment is done by one university team and the monitoring by three other
universities "to avoid conflicts of interest" (UI, UGM, IPB, UMM, Atma Jaya, UNAIR, UNU Indonesia, Yayasan Indonesia
Mengajar). A body may do both jobs (for different providers). The rule: **an assessor body never reviews a course of
a provider it monitors.** The assignment picks, among the other assessor bodies, the one with the fewest open
reviews, ties broken by a hash of the course version (spread evenly, and the same answer when asked again).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QualityBody:
    body_code: str
    name: str
    assesses: bool
    monitors: bool
    monitored_providers: tuple[str, ...] = ()


def conflicted(body: QualityBody, provider_code: str) -> bool:
    return provider_code in body.monitored_providers


def pick_assessor(
    bodies: Iterable[QualityBody], provider_code: str, key: str, open_reviews: dict[str, int] | None = None
) -> str | None:
    """The assessor body for the version ``key`` of a course of ``provider_code``, or ``None`` when every assessor
    body monitors that provider (the layer then waits for staff to register an independent one)."""
    load = open_reviews or {}
    free = [b.body_code for b in bodies if b.assesses and not conflicted(b, provider_code)]
    if not free:
        return None
    return min(free, key=lambda c: (load.get(c, 0), hashlib.sha256(f"{key}|{c}".encode()).hexdigest()))


def code_problems(code: str) -> list[str]:
    ok = 2 <= len(code) <= 40 and all(ch.isalnum() or ch in "-_" for ch in code)
    return [] if ok else ["a body code is 2–40 letters, digits, '-' or '_'"]
