"""The registry of assessor and monitoring bodies (national staff), and what one body's member may read of it."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.shared.course_review_calls import quality_of
from caseapi.staff.national import national_staff
from domain.errors import ErrorCode, StoreUnavailable
from domain.quality.bodies import QualityBody as Body
from domain.quality.bodies import code_problems


@strawberry.type(description="An assessor and/or monitoring body, and the providers it monitors.")
class QualityBody:
    body_code: str
    name: str
    assesses: bool
    monitors: bool
    monitored_providers: list[str]


def body_view(b: Body) -> QualityBody:
    return QualityBody(
        body_code=b.body_code, name=b.name, assesses=b.assesses, monitors=b.monitors,
        monitored_providers=list(b.monitored_providers),
    )  # fmt: skip


RegisterQualityBodyResult = Annotated[
    QualityBody | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("RegisterQualityBodyResult"),
]


async def register_quality_body(
    info: Info, body_code: str, name: str, assesses: bool, monitors: bool, monitored_providers: list[str] | None = None
) -> RegisterQualityBodyResult:
    principal = national_staff(info, "Quality bodies are registered")
    if not isinstance(principal, Principal):
        return principal
    providers = tuple(sorted({p.strip() for p in monitored_providers or () if p.strip()}))
    problems = code_problems(body_code.strip())
    if not name.strip() or not (assesses or monitors) or (providers and not monitors):
        problems.append("a name, at least one role, and monitored providers only for a monitoring body")
    if problems:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="; ".join(problems))
    body = Body(body_code.strip(), name.strip(), assesses, monitors, providers)
    try:
        await quality_of(info.context).bodies.save_body(body)
    except StoreUnavailable:
        return e.unavailable("The body registry")
    return body_view(body)


async def quality_bodies(info: Info) -> list[QualityBody]:
    """National staff see every body (monitors and assessors: the registry decides, not them)."""
    if not isinstance(national_staff(info, "The body registry is read"), Principal):
        return []
    return [body_view(b) for b in await quality_of(info.context).bodies.bodies()]
