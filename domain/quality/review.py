"""Course review in three layers: the digital platform (DP), the programme's PMO, then an independent assessor body.

Source: domain.md §5 "Quality control" — three assessment layers DP → PMO → an independent university team, the 59
mandatory indicators a provider (LPK) must meet (Permenko 11/2020 arts. 32, 55). The sources give no service levels;
the rule chosen here (``SERVICE_LEVELS``) is 3 days for the platform, 5 for the PMO and 10 for an assessor body, each
counted from the moment the version reaches the layer. A lapsed layer is escalated (audited, visible on the queue)
and the version keeps waiting for that layer's decision: a lapse never approves or rejects anything by itself.

A layer approves (the next layer starts), requests changes or rejects, with a reason per quality indicator. Request
changes and reject both end the version's review; the provider submits a new version. Only an approved version is
sold; a *material* change (price, mode, sessions, skills tasks) needs a new review while the approved version keeps
selling. Other edits (title, category, listing on/off) are not material.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum

from domain.scheme import Scheme


class Layer(StrEnum):
    DP = "DP"
    PMO = "PMO"
    ASSESSOR = "ASSESSOR"


LAYERS = (Layer.DP, Layer.PMO, Layer.ASSESSOR)


class Verdict(StrEnum):
    APPROVE = "APPROVE"
    REQUEST_CHANGES = "REQUEST_CHANGES"
    REJECT = "REJECT"


class VersionStatus(StrEnum):
    IN_REVIEW = "IN_REVIEW"
    APPROVED = "APPROVED"
    CHANGES_REQUESTED = "CHANGES_REQUESTED"
    REJECTED = "REJECTED"
    LISTED_DIRECTLY = "LISTED_DIRECTLY"
    """Written by national staff (``upsertCourse`` on the staff endpoint) or before reviews existed (migration):
    sold without the three layers, audited as such."""


OPEN = frozenset({VersionStatus.IN_REVIEW})
SELLABLE = frozenset({VersionStatus.APPROVED, VersionStatus.LISTED_DIRECTLY})

SERVICE_LEVELS = {
    Layer.DP: dt.timedelta(days=3),
    Layer.PMO: dt.timedelta(days=5),
    Layer.ASSESSOR: dt.timedelta(days=10),
}
"""Each layer's time to decide, real-world (compressed schemes divide it, ``service_levels``)."""

INDICATORS = tuple(f"IND-{n:02d}" for n in range(1, 60))
"""The 59 mandatory quality indicators, by stable code (their texts are the PMO's; not in the public sources)."""
MAX_TASKS = 999
UK_SEQUENCE = 999
"""Skills tasks: Tugas Praktik Mandiri with sequence 1–998, Unjuk Keterampilan 999 (partner-api.md)."""


def service_levels(scheme: Scheme) -> tuple[tuple[Layer, dt.timedelta], ...]:
    return tuple((layer, scheme.scaled(SERVICE_LEVELS[layer])) for layer in LAYERS)


@dataclass(frozen=True, slots=True)
class SkillsTask:
    sequence: int
    """1–998: a Tugas Praktik Mandiri; 999: the Unjuk Keterampilan."""
    title: str


@dataclass(frozen=True, slots=True)
class VersionContent:
    """What a provider submits: the course's terms and what it claims about quality."""

    course_code: str
    title: str
    provider_code: str
    platform_code: str
    price: int
    """Integer rupiah."""
    mode: str
    category: str
    sessions: tuple[dt.datetime, ...] = ()
    modules: tuple[str, ...] = ()
    tasks: tuple[SkillsTask, ...] = ()
    indicators: tuple[str, ...] = ()
    """The mandatory indicators the provider claims to meet."""


def material_digest(c: VersionContent) -> str:
    """SHA-256 over the material terms only: equal digests mean no new review is needed."""
    material = {
        "price": c.price,
        "mode": c.mode,
        "sessions": [s.isoformat() for s in c.sessions],
        "tasks": [[t.sequence, t.title] for t in sorted(c.tasks, key=lambda t: t.sequence)],
        "provider": c.provider_code,
        "platform": c.platform_code,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def content_problems(c: VersionContent) -> list[str]:
    problems = []
    sequences = [t.sequence for t in c.tasks]
    if len(set(sequences)) != len(sequences):
        problems.append("skills task sequences must be unique")
    if any(not 1 <= s <= MAX_TASKS for s in sequences):
        problems.append("skills task sequences are 1–998 (practice tasks) or 999 (the skills demonstration)")
    if unknown := sorted(set(c.indicators) - set(INDICATORS)):
        problems.append(f"unknown quality indicators: {', '.join(unknown[:5])}")
    if len(c.modules) > 100 or any(not m.strip() for m in c.modules):
        problems.append("at most 100 modules, none empty")
    return problems


@dataclass(frozen=True, slots=True)
class IndicatorReason:
    indicator: str
    """An ``INDICATORS`` code, or ``GENERAL``."""
    met: bool
    reason: str


@dataclass(frozen=True, slots=True)
class ReviewInput:
    """The workflow's input; the service levels are fixed at submission (a scheme change never moves a deadline)."""

    course_code: str
    version: int
    provider_code: str
    platform_code: str
    service_levels: tuple[tuple[Layer, dt.timedelta], ...]


def review_workflow_id(course_code: str, version: int) -> str:
    return f"course-review-{course_code}-v{version}"


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """A reviewer's decision (a workflow update): ``layer`` must be the version's current layer, ``body`` the
    assigned assessor body at the assessor layer."""

    layer: Layer
    verdict: Verdict
    actor: str
    reasons: tuple[IndicatorReason, ...] = ()
    body: str | None = None


def decision_problem(layer_now: Layer | None, body_now: str | None, d: ReviewDecision) -> str | None:
    """Why a decision cannot be taken now (``None``: it can)."""
    if layer_now is None:
        return "this version is not in review any more"
    if d.layer is not layer_now:
        return f"this version is at the {layer_now.value} layer, not {d.layer.value}"
    if layer_now is Layer.ASSESSOR and d.body != body_now:
        return "this version is assigned to another assessor body"
    if d.verdict is not Verdict.APPROVE and not any(r.reason.strip() for r in d.reasons):
        return "a change request or rejection needs a reason per indicator"
    return None


@dataclass(frozen=True, slots=True)
class LayerOpened:
    course_code: str
    version: int
    layer: Layer
    due_at: dt.datetime
    body: str | None = None


@dataclass(frozen=True, slots=True)
class LayerLapsed:
    course_code: str
    version: int
    layer: Layer
    due_at: dt.datetime
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    course_code: str
    version: int
    decision: ReviewDecision
    at: dt.datetime
    final: VersionStatus | None = None
    """Set when this decision ends the review (approved by the last layer, changes requested, rejected)."""


def outcome(layer: Layer, verdict: Verdict) -> VersionStatus | None:
    """The version's final status after this decision, or ``None`` when the next layer takes over."""
    if verdict is Verdict.REJECT:
        return VersionStatus.REJECTED
    if verdict is Verdict.REQUEST_CHANGES:
        return VersionStatus.CHANGES_REQUESTED
    return VersionStatus.APPROVED if layer is LAYERS[-1] else None


@dataclass(frozen=True, slots=True)
class VersionView:
    course_code: str
    version: int
    provider_code: str
    platform_code: str
    status: VersionStatus
    layer: Layer | None
    due_at: dt.datetime | None
    escalated_at: dt.datetime | None
    assessor_body: str | None
    submitted_by: str
    submitted_at: dt.datetime
    content: VersionContent
    decisions: tuple[tuple[Layer, Verdict, str, dt.datetime, tuple[IndicatorReason, ...]], ...] = field(default=())
