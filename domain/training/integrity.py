"""The provider integrity view (quality control, domain.md §5): per provider and course, what the trainings show —
completion, attendance that looks unattended, skills-task outcomes, ratings, refunds and complaints — with flags
whose evidence is a list of trainings (case and voucher) a reviewer can open.

Rules chosen here (the sources name the concerns, not thresholds): attendance looks unattended when every session
of a training was redeemed within 10 minutes of the first (sessions are days apart; the read model marks it
``rushed``), or when at least ``IDENTICAL_MIN`` trainings of a course were redeemed at the same seconds for every
session (a script). A course or provider is flagged when a share passes its threshold below, over at least
``MIN_TRAININGS`` trainings. Who may look is a ``ProviderScope``: national staff see every provider; a monitoring
body's monitors will see the providers their body monitors.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

IDENTICAL_MIN = 3
MIN_TRAININGS = 20
THRESHOLDS = {
    "RUSHED_ATTENDANCE": 0.05,
    "LOW_COMPLETION": 0.5,
    "LOW_TASK_PASS": 0.6,
    "LOW_RATING": 0.2,
    "REFUNDS": 0.1,
    "COMPLAINTS": 0.05,
}
"""Share of trainings (tasks, ratings) above which (below, for completion and task passes) a flag is raised."""


class FlagKind(StrEnum):
    RUSHED_ATTENDANCE = "RUSHED_ATTENDANCE"
    """Every session redeemed within minutes of the first."""
    IDENTICAL_TIMINGS = "IDENTICAL_TIMINGS"
    """Redeemed at the same seconds, session for session, as other participants of the course."""
    LOW_COMPLETION = "LOW_COMPLETION"
    LOW_TASK_PASS = "LOW_TASK_PASS"  # noqa: S105 (a flag, not a secret)
    LOW_RATING = "LOW_RATING"
    """Rated 1 or 2 stars."""
    REFUNDS = "REFUNDS"
    COMPLAINTS = "COMPLAINTS"
    """A TRAINING complaint filed after the purchase."""


@dataclass(frozen=True, slots=True)
class ProviderScope:
    """Which providers a reader may see: ``None`` every provider (national staff), else exactly these."""

    providers: frozenset[str] | None = None

    def allows(self, provider_code: str) -> bool:
        return self.providers is None or provider_code in self.providers


NATIONAL = ProviderScope()


@dataclass(frozen=True, slots=True)
class IntegrityRow:
    """One provider (``course_code`` empty) or one course of a provider."""

    provider_code: str
    course_code: str
    trainings: int
    finished: int
    certified: int
    cancelled: int
    refunded_rupiah: int
    rushed: int
    identical_timings: int
    """Trainings in a group of at least ``IDENTICAL_MIN`` with the same redemption seconds (course rows only)."""
    tasks: int
    tasks_passed: int
    tasks_revised: int
    tasks_lapsed: int
    ratings: tuple[int, int, int, int, int]
    """How many 1-, 2-, 3-, 4- and 5-star ratings."""
    complaints: int

    @property
    def completion_rate(self) -> float | None:
        return _share(self.certified, self.finished)

    @property
    def task_pass_rate(self) -> float | None:
        return _share(self.tasks_passed, self.tasks)

    @property
    def average_rating(self) -> float | None:
        n = sum(self.ratings)
        return round(sum((i + 1) * k for i, k in enumerate(self.ratings)) / n, 2) if n else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def flags(row: IntegrityRow) -> tuple[FlagKind, ...]:
    """The flags a provider's or course's figures raise (too few trainings raise none)."""
    if row.trainings < MIN_TRAININGS:
        return ()
    t, raised = row.trainings, []
    shares = {
        FlagKind.RUSHED_ATTENDANCE: row.rushed / t,
        FlagKind.LOW_RATING: _share(row.ratings[0] + row.ratings[1], sum(row.ratings)),
        FlagKind.REFUNDS: row.cancelled / t,
        FlagKind.COMPLAINTS: row.complaints / t,
    }
    for kind, share in shares.items():
        if share is not None and share >= THRESHOLDS[kind]:
            raised.append(kind)
    if row.identical_timings >= IDENTICAL_MIN:
        raised.append(FlagKind.IDENTICAL_TIMINGS)
    completion, passes = row.completion_rate, row.task_pass_rate
    if completion is not None and row.finished >= MIN_TRAININGS and completion < THRESHOLDS["LOW_COMPLETION"]:
        raised.append(FlagKind.LOW_COMPLETION)
    if passes is not None and row.tasks >= MIN_TRAININGS and passes < THRESHOLDS["LOW_TASK_PASS"]:
        raised.append(FlagKind.LOW_TASK_PASS)
    return tuple(sorted(raised))


@dataclass(frozen=True, slots=True)
class Evidence:
    """One training behind a flag: the case and voucher to open, and what it shows."""

    kind: FlagKind
    provider_code: str
    course_code: str
    case_id: str
    voucher_code: str
    detail: str


@dataclass(frozen=True, slots=True)
class EvidencePage:
    items: list[Evidence]
    end_cursor: str | None
    has_next_page: bool


class IntegrityReader(Protocol):
    """Set-based reads over the read model (``case_trainings``, ``training_stats``, complaints); never workflows.

    Every method reads only providers ``scope`` allows (another provider looks missing: no row, empty page).
    """

    async def providers(self, scope: ProviderScope, *, first: int, after: str | None) -> list[IntegrityRow]:
        """Provider rows in provider-code order, after the provider code ``after``."""
        ...

    async def courses(self, scope: ProviderScope, provider_code: str) -> list[IntegrityRow]: ...

    async def evidence(
        self,
        scope: ProviderScope,
        provider_code: str,
        kind: FlagKind,
        *,
        course_code: str | None,
        first: int,
        after: str | None,
    ) -> EvidencePage:
        """The trainings behind a flag, ordered by (course, voucher); ``after`` is the previous page's cursor."""
        ...
