"""GraphQL types of course versions and their review (shared by the partner and staff schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.training_types import TrainingMode
from domain.quality import review as rv
from domain.training import trainings as tr

ReviewLayer = strawberry.enum(rv.Layer, name="ReviewLayer", description="DP → PMO → ASSESSOR.")
ReviewVerdict = strawberry.enum(rv.Verdict, name="ReviewVerdict")
CourseVersionStatus = strawberry.enum(rv.VersionStatus, name="CourseVersionStatus")


@strawberry.type(
    description="The review was refused: not this layer, not your body, a conflict of interest, "
    "another version in review, or no such version."
)
class ReviewRefused(e.Error):
    pass


@strawberry.input(description="A skills task the course sets: sequence 1–998 (practice task) or 999 (skills demo).")
class SkillsTaskInput:
    sequence: int
    title: str


@strawberry.input(description="A course version for review: its terms and the quality it claims.")
class CourseVersionInput:
    course_code: str
    title: str
    platform_code: str
    price: int = strawberry.field(description="Integer rupiah.")
    mode: TrainingMode
    category: str
    sessions: list[dt.datetime] = strawberry.field(default_factory=list)
    modules: list[str] = strawberry.field(default_factory=list)
    tasks: list[SkillsTaskInput] = strawberry.field(default_factory=list)
    indicators: list[str] = strawberry.field(default_factory=list, description="Claimed indicators, IND-01…IND-59.")


@strawberry.input(description="One quality indicator's finding: met or not, and why.")
class IndicatorReasonInput:
    indicator: str
    met: bool
    reason: str = ""


@strawberry.type
class IndicatorReason:
    indicator: str
    met: bool
    reason: str


@strawberry.type
class ReviewDecision:
    layer: ReviewLayer
    verdict: ReviewVerdict
    actor: str
    at: dt.datetime
    reasons: list[IndicatorReason]


@strawberry.type(name="CourseSkillsTask", description="A skills task a course version sets: TPM 1–998 or UK 999.")
class SkillsTask:
    sequence: int
    title: str


@strawberry.type(description="A course version and where its review stands.")
class CourseVersion:
    course_code: str
    version: int
    provider_code: str
    platform_code: str
    status: CourseVersionStatus
    layer: ReviewLayer | None
    due_at: dt.datetime | None
    escalated_at: dt.datetime | None = strawberry.field(description="Set when the layer's service level lapsed.")
    assessor_body: str | None
    submitted_by: str
    submitted_at: dt.datetime
    title: str
    price: int
    mode: TrainingMode
    sessions: list[dt.datetime]
    modules: list[str]
    tasks: list[SkillsTask]
    indicators: list[str]
    decisions: list[ReviewDecision]


def version_view(v: rv.VersionView) -> CourseVersion:
    c = v.content
    return CourseVersion(
        course_code=v.course_code,
        version=v.version,
        provider_code=v.provider_code,
        platform_code=v.platform_code,
        status=v.status,
        layer=v.layer,
        due_at=v.due_at,
        escalated_at=v.escalated_at,
        assessor_body=v.assessor_body,
        submitted_by=v.submitted_by,
        submitted_at=v.submitted_at,
        title=c.title,
        price=c.price,
        mode=tr.TrainingMode(c.mode),
        sessions=list(c.sessions),
        modules=list(c.modules),
        tasks=[SkillsTask(sequence=t.sequence, title=t.title) for t in c.tasks],
        indicators=list(c.indicators),
        decisions=[
            ReviewDecision(
                layer=layer,
                verdict=verdict,
                actor=actor,
                at=at,
                reasons=[IndicatorReason(indicator=r.indicator, met=r.met, reason=r.reason) for r in rs],
            )
            for layer, verdict, actor, at, rs in v.decisions
        ],
    )


SubmitCourseVersionResult = Annotated[
    CourseVersion | ReviewRefused | e.CourseInvalid | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("SubmitCourseVersionResult"),
]
ReviewCourseVersionResult = Annotated[
    CourseVersion | ReviewRefused | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("ReviewCourseVersionResult"),
]
