"""Monitoring: a reproducible monthly sample of each provider's trainings, and findings with evidence.

Source: domain.md §5 — monitoring by three universities other than the assessors. The sources say nothing of how a
monitor picks what to look at; the rule here is the lottery's (``domain.waves.selection``): a secret seed is drawn
and its SHA-256 commitment recorded when the body first asks for a provider's month; once the month is over (WIB)
the month's trainings (vouchers bought from that provider, cancelled ones included) are frozen, each gets the rank
HMAC-SHA256(seed, voucher code) in hex, and the sample is the ``sample_size`` lowest ranks (ties: voucher code).
The seed is revealed with the draw, so anyone can recompute the sample from the seed and the frozen list and check
the seed against its commitment. A commitment first recorded after the month ended is marked late (the body could
have seen the population first).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

WIB = dt.timezone(dt.timedelta(hours=7))
SAMPLE_SHARE = 0.10
SAMPLE_MIN = 5
SAMPLE_MAX = 50
"""10% of the month's trainings, at least 5 (or all of them when fewer), at most 50 per provider and month."""


class Severity(StrEnum):
    OBSERVATION = "OBSERVATION"
    MINOR = "MINOR"
    MAJOR = "MAJOR"
    CRITICAL = "CRITICAL"


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """``YYYY-MM`` → [start, end) in WIB; ``ValueError`` for anything else."""
    year, _, mon = month.partition("-")
    if len(year) != 4 or len(mon) != 2:
        raise ValueError("a month is YYYY-MM")
    start = dt.datetime(int(year), int(mon), 1, tzinfo=WIB)
    end = dt.datetime(start.year + (start.month == 12), start.month % 12 + 1, 1, tzinfo=WIB)
    return start, end


def sample_size(population: int) -> int:
    return min(population, max(SAMPLE_MIN, min(SAMPLE_MAX, round(population * SAMPLE_SHARE))))


def commitment(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def rank(seed: str, voucher_code: str) -> str:
    return hmac.new(seed.encode(), voucher_code.encode(), hashlib.sha256).hexdigest()


def draw(seed: str, population: Iterable[str]) -> list[str]:
    """The sample, in draw order."""
    codes = sorted(set(population))
    ordered = sorted(codes, key=lambda c: (rank(seed, c), c))
    return ordered[: sample_size(len(codes))]


@dataclass(frozen=True, slots=True)
class MonitoringSample:
    sample_id: int
    body_code: str
    provider_code: str
    month: str
    commitment: str
    committed_at: dt.datetime
    seed: str | None
    """Revealed only once drawn (after the month)."""
    population: tuple[str, ...] | None
    drawn: tuple[str, ...] | None
    drawn_at: dt.datetime | None

    @property
    def committed_late(self) -> bool:
        return self.committed_at >= month_bounds(self.month)[1]


def verify(sample: MonitoringSample) -> bool:
    """Whether the revealed seed matches its commitment and re-draws exactly the published sample."""
    if sample.seed is None or sample.population is None or sample.drawn is None:
        return False
    return commitment(sample.seed) == sample.commitment and tuple(draw(sample.seed, sample.population)) == sample.drawn


@dataclass(frozen=True, slots=True)
class Finding:
    finding_id: int
    body_code: str
    provider_code: str
    course_code: str | None
    voucher_code: str | None
    severity: Severity
    summary: str
    evidence: tuple[str, ...]
    """Links (https) to what the monitor saw: recordings, attendance exports, photos."""
    actor: str
    at: dt.datetime


def evidence_problems(links: Iterable[str]) -> list[str]:
    links = list(links)
    if not links:
        return ["a finding needs at least one evidence link"]
    if len(links) > 20 or any(not link.startswith("https://") or len(link) > 500 for link in links):
        return ["evidence links are https:// URLs (at most 20, 500 characters each)"]
    return []
