"""``trainingOutcomes``: average pre → post test scores and ratings per course or provider (quality control)."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require


@strawberry.enum(description="How training outcomes are grouped.")
class OutcomeGrouping(StrEnum):
    COURSE = "COURSE"
    PROVIDER = "PROVIDER"


@strawberry.type(description="Tests and ratings of one course or provider's trainings (cancelled ones excluded).")
class TrainingOutcome:
    key: str
    trainings: int
    average_pre_test: float | None
    average_post_test: float | None
    ratings: int
    average_rating: float | None


async def training_outcomes(info: Info, by: OutcomeGrouping = OutcomeGrouping.COURSE) -> list[TrainingOutcome]:
    if not isinstance(require(info, Role.STAFF, Role.SUPERVISOR), Principal):
        return []
    rows = await info.context.ports.reader.training_outcomes(by=by.value)
    return [TrainingOutcome(**{k: getattr(r, k) for k in r.__slots__}) for r in rows]  # type: ignore[attr-defined]
