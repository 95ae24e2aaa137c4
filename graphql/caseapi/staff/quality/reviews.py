"""The PMO's and assessor bodies' review layers: decide a version, and each one's queue.

National staff and supervisors are the PMO layer. An assessor reviews only versions assigned to their own body,
and never a course of a provider their body monitors (``CONFLICT_OF_INTEREST``, checked again at decision time:
the registry may have changed since the assignment). Versions outside the caller's layer or body look missing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.course_review_calls import decide, quality_of, refused
from caseapi.shared.course_review_types import (
    CourseVersion,
    IndicatorReasonInput,
    ReviewCourseVersionResult,
    version_view,
)
from caseapi.shared.guards import require
from caseapi.staff.national import national_staff
from domain.errors import ErrorCode, StoreUnavailable
from domain.quality import review as rv
from domain.quality.bodies import conflicted


def reviewer(info: Info) -> tuple[Principal, rv.Layer] | e.NotAuthenticated | e.Forbidden:
    """National staff and supervisors review as the PMO; assessors as their body."""
    principal = require(info, Role.STAFF, Role.SUPERVISOR, Role.ASSESSOR)
    if not isinstance(principal, Principal):
        return principal
    if principal.role is Role.ASSESSOR:
        if not principal.body:
            return e.forbidden("An assessor's token names their body.")
        return principal, rv.Layer.ASSESSOR
    national = national_staff(info, "Course reviews are done")
    return (principal, rv.Layer.PMO) if isinstance(national, Principal) else national


async def review_course_version(
    info: Info,
    course_code: str,
    version: int,
    verdict: rv.Verdict,
    reasons: list[IndicatorReasonInput] | None = None,
    request_id: str | None = None,
) -> ReviewCourseVersionResult:
    who = reviewer(info)
    if not isinstance(who, tuple):
        return who
    principal, layer = who
    quality = quality_of(info.context)
    try:
        view = await quality.reviews.version(course_code, version)
        body = await quality.bodies.body(principal.body) if principal.body and layer is rv.Layer.ASSESSOR else None
    except StoreUnavailable:
        return e.unavailable("The course reviews")
    if view is None or (layer is rv.Layer.ASSESSOR and view.assessor_body != principal.body):
        return refused(ErrorCode.REVIEW_NOT_FOUND, "No such course version in your queue.")
    if layer is rv.Layer.ASSESSOR:
        if body is None or not body.assesses:
            return refused(ErrorCode.BODY_NOT_FOUND, "Your body is not a registered assessor body.")
        if conflicted(body, view.provider_code):
            return refused(ErrorCode.CONFLICT_OF_INTEREST, "Your body monitors this provider: it cannot assess it.")
    decision = rv.ReviewDecision(
        layer=layer, verdict=rv.Verdict(verdict), actor=principal.actor, body=principal.body if body else None,
        reasons=tuple(rv.IndicatorReason(r.indicator, r.met, r.reason) for r in reasons or ()),
    )  # fmt: skip
    return await decide(info.context, view, decision, request_id or uuid.uuid4().hex)


async def course_review_queue(info: Info, overdue_only: bool = False) -> list[CourseVersion]:
    """Versions waiting for the caller's layer (assessors: their body's), oldest due first."""
    who = reviewer(info)
    if not isinstance(who, tuple):
        return []
    principal, layer = who
    at = dt.datetime.now(dt.UTC) if overdue_only else None
    body = principal.body if layer is rv.Layer.ASSESSOR else None
    found = await quality_of(info.context).reviews.queue(layer, body=body, overdue_at=at)
    return [version_view(v) for v in found]
