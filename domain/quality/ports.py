"""Ports of course quality: versions and reviews, the body registry, samples, findings and sanctions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from domain.notifications import Notification
from domain.quality.bodies import QualityBody
from domain.quality.monitoring import Finding, MonitoringSample
from domain.quality.review import (
    DecisionRecord,
    Layer,
    LayerLapsed,
    LayerOpened,
    VersionContent,
    VersionView,
)
from domain.quality.sanctions import AffectedTraining, Sanction, SanctionKind, SanctionStatus


class SubmitRefused(Exception):
    """Another version of the course is still in review (``REVIEW_IN_PROGRESS``)."""


class ReviewStore(Protocol):
    async def submit(self, content: VersionContent, digest: str, by: str, at: dt.datetime) -> VersionView:
        """A new IN_REVIEW version (number = the course's highest + 1); the same digest while one is open answers
        that one again (a retry); another digest while one is open raises ``SubmitRefused``."""
        ...

    async def list_directly(self, content: VersionContent, digest: str, by: str, at: dt.datetime) -> int:
        """National staff list (or change) a course without review: a LISTED_DIRECTLY version, the catalogue row
        written, audited. Returns the version number."""
        ...

    async def version(self, course_code: str, version: int) -> VersionView | None: ...

    async def versions(self, course_code: str) -> list[VersionView]: ...

    async def queue(
        self,
        layer: Layer | None,
        *,
        body: str | None = None,
        platform: str | None = None,
        provider: str | None = None,
        overdue_at: dt.datetime | None = None,
    ) -> list[VersionView]:
        """Open versions at ``layer`` (all layers: ``None``), optionally one assessor body's, one platform's or one
        provider's, optionally only those past their layer's due time."""
        ...

    # the workflow's steps, each idempotent (activities are retried)
    async def open_layer(self, opened: LayerOpened) -> None: ...

    async def escalate(self, lapsed: LayerLapsed) -> bool: ...

    async def record_decision(self, record: DecisionRecord) -> None:
        """The decision row and the version's new state; a final APPROVED writes the catalogue row (the version's
        terms are sold from then on). Idempotent on (course, version, layer)."""
        ...

    async def open_reviews_by_body(self) -> dict[str, int]: ...


class BodyRegistry(Protocol):
    async def save_body(self, body: QualityBody) -> None: ...

    async def body(self, body_code: str) -> QualityBody | None: ...

    async def bodies(self) -> list[QualityBody]: ...


class MonitoringStore(Protocol):
    """Monthly samples and findings (``domain.quality.monitoring``)."""

    async def sample(self, body_code: str, provider_code: str, month: str, now: dt.datetime) -> MonitoringSample:
        """The body's sample of the provider's month: the seed committed at the first call, drawn (and revealed)
        at the first call after the month is over."""
        ...

    async def sample_by_id(self, sample_id: int) -> MonitoringSample | None: ...

    async def record_finding(self, finding: Finding) -> Finding: ...

    async def findings(self, provider_code: str) -> list[Finding]: ...


class SanctionStore(Protocol):
    """Sanctions with four-eyes approval (``domain.quality.sanctions``)."""

    async def open(
        self, kind: SanctionKind, provider: str, course: str | None, amount: int | None, reason: str,
        finding_id: int | None, by: str, at: dt.datetime,
    ) -> Sanction: ...  # fmt: skip

    async def sanction(self, sanction_id: int) -> Sanction | None: ...

    async def sanctions(self, status: SanctionStatus | None) -> list[Sanction]: ...

    async def decide(self, sanction_id: int, by: str, at: dt.datetime, approve: bool) -> Sanction | None: ...

    async def affected(self, s: Sanction) -> list[AffectedTraining]: ...

    async def carried_out(self, s: Sanction, by: str, at: dt.datetime, refunded: int, told: int) -> None: ...

    async def tell(self, notifications: tuple[Notification, ...]) -> int: ...


@dataclass(frozen=True, slots=True)
class QualityEvent:
    at: dt.datetime
    actor: str
    kind: str
    provider_code: str
    course_code: str | None
    detail: dict[str, Any]


class QualityTimeline(Protocol):
    async def events(
        self, *, provider_code: str | None = None, course_code: str | None = None
    ) -> list[QualityEvent]: ...


class SaleGate(Protocol):
    async def refusal(self, course_code: str, provider_code: str) -> str | None:
        """``None`` when the course may be sold now, else the error code (``COURSE_SUSPENDED``,
        ``PROVIDER_SUSPENDED``)."""
        ...

    async def awaiting_review(self, course_code: str, platform_code: str) -> bool:
        """Whether a course missing from the catalogue has versions on this platform (in review, or refused): it
        exists but is not approved yet."""
        ...


@dataclass(frozen=True, slots=True)
class QualityPorts:
    """Course quality's ports as one bundle (the worker's and the API's ``quality``)."""

    reviews: ReviewStore
    bodies: BodyRegistry
    gate: SaleGate
    monitoring: MonitoringStore
    sanctions: SanctionStore
    timeline: QualityTimeline
