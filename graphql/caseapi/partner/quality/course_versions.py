"""Partners and course review: a provider submits versions of its courses, the course's platform decides the first
layer (DP), and both read their courses' versions."""

from __future__ import annotations

import datetime as dt
import uuid

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.course_review_calls import decide, quality_of, refused, submit_version
from caseapi.shared.course_review_types import (
    CourseVersion,
    CourseVersionInput,
    IndicatorReasonInput,
    ReviewCourseVersionResult,
    SubmitCourseVersionResult,
    version_view,
)
from domain.errors import ErrorCode, StoreUnavailable
from domain.quality import review as rv
from domain.training import trainings as tr
from domain.training.trainings import Partner, PartnerType


def content_of(data: CourseVersionInput, provider_code: str) -> rv.VersionContent:
    sessions = tuple(data.sessions)
    if all(s.tzinfo is not None for s in sessions):
        sessions = tuple(sorted(sessions))
    return rv.VersionContent(
        course_code=data.course_code.strip(), title=data.title.strip(), provider_code=provider_code,
        platform_code=data.platform_code.strip(), price=data.price, mode=tr.TrainingMode(data.mode).value,
        category=data.category.strip(), sessions=sessions, modules=tuple(m.strip() for m in data.modules),
        tasks=tuple(rv.SkillsTask(t.sequence, t.title.strip()) for t in data.tasks),
        indicators=tuple(sorted(set(data.indicators))),
    )  # fmt: skip


async def content_problems(info: Info, c: rv.VersionContent) -> list[str]:
    """The catalogue's rules and the review's own, the platform registered, the code not another's course."""
    course = tr.Course(c.course_code, c.title, c.provider_code, c.platform_code, c.price, tr.TrainingMode(c.mode),
                       c.category, c.sessions)  # fmt: skip
    problems = tr.course_problems(course) + rv.content_problems(c)
    market = info.context.ports.market
    platform = await market.partner(c.platform_code)
    if platform is None or platform.type is not PartnerType.DIGITAL_PLATFORM:
        problems.append(f"platform {c.platform_code!r} is not a registered digital platform")
    return problems


async def submit_course_version(info: Info, input: CourseVersionInput) -> SubmitCourseVersionResult:
    partner = await calling_partner(info, PartnerType.TRAINING_PROVIDER)
    if not isinstance(partner, Partner):
        return partner
    content = content_of(input, partner.client_code)
    try:
        existing = await info.context.ports.market.course(content.course_code)
        earlier = await quality_of(info.context).reviews.versions(content.course_code)
        if others_course(existing, earlier, content):
            return e.forbidden("This course code belongs to another provider or platform.")
        problems = await content_problems(info, content)
    except StoreUnavailable:
        return e.unavailable("The catalogue")
    if problems:
        return e.CourseInvalid(code=ErrorCode.INVALID_COURSE, message="; ".join(problems), problems=problems)
    return await submit_version(info.context, content, f"partner:{partner.client_code}")


def others_course(existing: tr.Course | None, earlier: list[rv.VersionView], c: rv.VersionContent) -> bool:
    """The code is another provider's (or another platform's) course, listed or only in review."""
    owners = {(v.provider_code, v.platform_code) for v in earlier}
    if existing is not None:
        owners.add((existing.provider_code, existing.platform_code))
    return bool(owners - {(c.provider_code, c.platform_code)})


async def review_course_version(
    info: Info,
    course_code: str,
    version: int,
    verdict: rv.Verdict,
    reasons: list[IndicatorReasonInput] | None = None,
    request_id: str | None = None,
) -> ReviewCourseVersionResult:
    """The platform's layer (DP) of a course offered on the calling platform."""
    partner = await calling_partner(info, PartnerType.DIGITAL_PLATFORM)
    if not isinstance(partner, Partner):
        return partner
    try:
        view = await quality_of(info.context).reviews.version(course_code, version)
    except StoreUnavailable:
        return e.unavailable("The course reviews")
    if view is None or view.platform_code != partner.client_code:
        return refused(ErrorCode.REVIEW_NOT_FOUND, "No such course version on your platform.")
    decision = rv.ReviewDecision(
        layer=rv.Layer.DP, verdict=rv.Verdict(verdict), actor=f"partner:{partner.client_code}",
        reasons=tuple(rv.IndicatorReason(r.indicator, r.met, r.reason) for r in reasons or ()),
    )  # fmt: skip
    return await decide(info.context, view, decision, request_id or uuid.uuid4().hex)


async def course_versions(
    info: Info, course_code: str | None = None, overdue_only: bool = False
) -> list[CourseVersion]:
    """One course's history; without a course, a platform's queue (versions waiting for its DP review, optionally
    only those past their due time) or a provider's versions in review."""
    partner = await calling_partner(info, PartnerType.TRAINING_PROVIDER, PartnerType.DIGITAL_PLATFORM)
    if not isinstance(partner, Partner):
        return []
    mine = partner.client_code
    reviews = quality_of(info.context).reviews
    if course_code is not None:
        found = await reviews.versions(course_code)
    elif partner.type is PartnerType.DIGITAL_PLATFORM:
        found = await reviews.queue(
            rv.Layer.DP, platform=mine, overdue_at=dt.datetime.now(dt.UTC) if overdue_only else None
        )
    else:
        found = await reviews.queue(None, provider=mine)
    return [version_view(v) for v in found if mine in (v.provider_code, v.platform_code)]
