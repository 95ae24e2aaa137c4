"""The course input shared by staff and platforms, checked by the domain's rules before anything is saved."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.course_review_calls import submit_version
from caseapi.shared.course_review_types import CourseVersion, ReviewRefused
from caseapi.shared.training_types import Course, TrainingMode, course_view
from domain.errors import ErrorCode, StoreUnavailable
from domain.quality import review as rv
from domain.training import trainings as tr


@strawberry.input(description="A catalogue entry; the course code is the key (an upsert).")
class CourseInput:
    course_code: str
    title: str
    provider_code: str
    platform_code: str
    price: int
    mode: TrainingMode
    category: str
    sessions: list[dt.datetime] = strawberry.field(default_factory=list)
    active: bool = True
    skills_tasks: list[int] = strawberry.field(
        default_factory=list, description="The skills tasks the course sets: TPM 1–998, UK 999 (2023+ scheme)."
    )


UpsertCourseResult = Annotated[
    Course
    | CourseVersion
    | ReviewRefused
    | e.CourseInvalid
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("UpsertCourseResult"),
]


def material_change(old: tr.Course | None, new: tr.Course) -> bool:
    """Price, mode, sessions, skills tasks, provider or platform changed (or a new course): a new review
    (``domain.quality``)."""
    if old is None:
        return True
    terms = ("price", "mode", "sessions", "skills_tasks", "provider_code", "platform_code")
    return any(getattr(old, t) != getattr(new, t) for t in terms)


def as_version(c: tr.Course) -> rv.VersionContent:
    return rv.VersionContent(
        course_code=c.course_code, title=c.title, provider_code=c.provider_code, platform_code=c.platform_code,
        price=c.price, mode=c.mode.value, category=c.category, sessions=c.sessions,
        tasks=tuple(rv.SkillsTask(sequence, "") for sequence in c.skills_tasks),
    )  # fmt: skip


async def save_course(info: Info, data: CourseInput, *, by: str, direct: bool) -> UpsertCourseResult:
    """National staff (``direct``) list the course at once (audited as a direct listing); a platform's new course
    or material change is submitted for review (the approved terms keep selling), other edits apply at once."""
    sessions = tuple(data.sessions)
    if all(s.tzinfo is not None for s in sessions):  # naive ones cannot be ordered; course_problems refuses them
        sessions = tuple(sorted(sessions))
    course = tr.Course(
        course_code=data.course_code.strip(),
        title=data.title.strip(),
        provider_code=data.provider_code.strip(),
        platform_code=data.platform_code.strip(),
        price=data.price,
        mode=tr.TrainingMode(data.mode),
        category=data.category.strip(),
        sessions=sessions,
        active=data.active,
        skills_tasks=tuple(sorted(data.skills_tasks)),
    )
    problems = tr.course_problems(course)
    try:
        market = info.context.ports.market
        for role, code, kind in (
            ("provider", course.provider_code, tr.PartnerType.TRAINING_PROVIDER),
            ("platform", course.platform_code, tr.PartnerType.DIGITAL_PLATFORM),
        ):
            partner = await market.partner(code)
            if partner is None or partner.type is not kind:
                problems.append(f"{role} {code!r} is not a registered {kind.value.replace('_', ' ').lower()}")
        if problems:
            return e.CourseInvalid(code=ErrorCode.INVALID_COURSE, message="; ".join(problems), problems=problems)
        quality = info.context.ports.quality
        if quality is None:
            await market.upsert_course(course)
        elif direct:
            content = as_version(course)
            await quality.reviews.list_directly(content, rv.material_digest(content), by, dt.datetime.now(dt.UTC))
            if not course.active:
                await market.upsert_course(course)  # listed, then taken off sale as asked
        elif material_change(await market.course(course.course_code), course):
            return await submit_version(info.context, as_version(course), by)
        else:
            await market.upsert_course(course)
    except StoreUnavailable:
        return e.unavailable("The catalogue")
    return course_view(course)
