"""``providerIntegrity``, ``courseIntegrity`` and ``integrityEvidence``: the provider integrity view for national staff
and for monitors, each query in the reader's ``ProviderScope`` (a monitor: the providers its body monitors).
Set-based reads of the read model (``adapters/db/integrity.py``)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.course_review_calls import quality_of
from caseapi.staff.national import national_staff
from domain.errors import ErrorCode, StoreUnavailable
from domain.training import integrity as ig

FlagKind = strawberry.enum(ig.FlagKind, name="IntegrityFlagKind")
MAX_PAGE = 200


@strawberry.type(description="A provider's (courseCode empty) or one course's integrity figures and flags.")
class IntegrityFigures:
    provider_code: str
    course_code: str
    trainings: int
    finished: int
    certified: int
    completion_rate: float | None = strawberry.field(description="Certified of finished (certified + not certified).")
    cancelled: int
    refunded_rupiah: int
    rushed_attendance: int = strawberry.field(description="Trainings with every session redeemed within minutes.")
    identical_timings: int = strawberry.field(
        description="Trainings redeemed at the same seconds as 2+ others of the course (course rows only)."
    )
    tasks: int
    tasks_passed: int
    task_pass_rate: float | None
    tasks_revised: int
    tasks_lapsed: int
    ratings: list[int] = strawberry.field(description="How many 1-, 2-, 3-, 4- and 5-star ratings.")
    average_rating: float | None
    complaints: int
    flags: list[FlagKind]


def figures_view(r: ig.IntegrityRow) -> IntegrityFigures:
    return IntegrityFigures(
        provider_code=r.provider_code,
        course_code=r.course_code,
        trainings=r.trainings,
        finished=r.finished,
        certified=r.certified,
        completion_rate=r.completion_rate,
        cancelled=r.cancelled,
        refunded_rupiah=r.refunded_rupiah,
        rushed_attendance=r.rushed,
        identical_timings=r.identical_timings,
        tasks=r.tasks,
        tasks_passed=r.tasks_passed,
        task_pass_rate=r.task_pass_rate,
        tasks_revised=r.tasks_revised,
        tasks_lapsed=r.tasks_lapsed,
        ratings=list(r.ratings),
        average_rating=r.average_rating,
        complaints=r.complaints,
        flags=list(ig.flags(r)),
    )


@strawberry.type
class IntegrityList:
    items: list[IntegrityFigures]


@strawberry.type(description="A training behind a flag: open the case (staff case(id)) for its timeline.")
class IntegrityEvidence:
    kind: FlagKind
    provider_code: str
    course_code: str
    case_id: str
    voucher_code: str
    detail: str


@strawberry.type
class IntegrityEvidencePage:
    items: list[IntegrityEvidence]
    end_cursor: str | None
    has_next_page: bool


IntegrityListResult = Annotated[
    IntegrityList | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("IntegrityListResult"),
]
IntegrityEvidenceResult = Annotated[
    IntegrityEvidencePage | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("IntegrityEvidenceResult"),
]


async def reader_scope(info: Info) -> ig.ProviderScope | e.NotAuthenticated | e.Forbidden:
    """Who may look at which providers: national staff and supervisors every provider; a monitor the providers its
    body is registered as monitoring (none when the body monitors nobody)."""
    principal = info.context.principal
    if principal is not None and principal.role is Role.MONITOR:
        body = await quality_of(info.context).bodies.body(principal.body) if principal.body else None
        return ig.ProviderScope(frozenset(body.monitored_providers if body is not None and body.monitors else ()))
    principal = national_staff(info, "Provider integrity is reviewed")
    if not isinstance(principal, Principal):
        return principal
    return ig.NATIONAL


def _page(first: int) -> e.InvalidArgument | None:
    if not 1 <= first <= MAX_PAGE:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=f"first must be 1–{MAX_PAGE}.")
    return None


async def provider_integrity(info: Info, first: int = 50, after: str | None = None) -> IntegrityListResult:
    try:
        scope = await reader_scope(info)
    except StoreUnavailable:
        return e.unavailable("The quality bodies")
    if not isinstance(scope, ig.ProviderScope):
        return scope
    if bad := _page(first):
        return bad
    try:
        rows = await info.context.ports.integrity.providers(scope, first=first, after=after)  # type: ignore[union-attr]
    except StoreUnavailable:
        return e.unavailable("The read model")
    return IntegrityList(items=[figures_view(r) for r in rows])


async def course_integrity(info: Info, provider_code: str) -> IntegrityListResult:
    try:
        scope = await reader_scope(info)
    except StoreUnavailable:
        return e.unavailable("The quality bodies")
    if not isinstance(scope, ig.ProviderScope):
        return scope
    try:
        rows = await info.context.ports.integrity.courses(scope, provider_code.strip())  # type: ignore[union-attr]
    except StoreUnavailable:
        return e.unavailable("The read model")
    return IntegrityList(items=[figures_view(r) for r in rows])


async def integrity_evidence(
    info: Info,
    provider_code: str,
    kind: FlagKind,
    course_code: str | None = None,
    first: int = 50,
    after: str | None = None,
) -> IntegrityEvidenceResult:
    try:
        scope = await reader_scope(info)
    except StoreUnavailable:
        return e.unavailable("The quality bodies")
    if not isinstance(scope, ig.ProviderScope):
        return scope
    if bad := _page(first):
        return bad
    try:
        page = await info.context.ports.integrity.evidence(  # type: ignore[union-attr]
            scope, provider_code.strip(), ig.FlagKind(kind), course_code=course_code, first=first, after=after
        )
    except StoreUnavailable:
        return e.unavailable("The read model")
    items = [
        IntegrityEvidence(
            kind=x.kind,
            provider_code=x.provider_code,
            course_code=x.course_code,
            case_id=x.case_id,
            voucher_code=x.voucher_code,
            detail=x.detail,
        )
        for x in page.items
    ]
    return IntegrityEvidencePage(items=items, end_cursor=page.end_cursor, has_next_page=page.has_next_page)
