"""Monitors: a reproducible monthly sample of a provider's trainings (only providers their body monitors), findings
with evidence, and the provider's quality timeline. Anyone on the console can re-draw a drawn sample."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.course_review_calls import quality_of
from caseapi.shared.guards import require
from domain.errors import ErrorCode, StoreUnavailable
from domain.quality import monitoring as mn

Severity = strawberry.enum(mn.Severity, name="FindingSeverity")


@strawberry.type(description="A body's sample of a provider's month: committed first, drawn after the month.")
class MonitoringSample:
    id: int
    body_code: str
    provider_code: str
    month: str
    commitment: str = strawberry.field(description="SHA-256 hex of the seed, recorded before the draw.")
    committed_at: dt.datetime
    committed_late: bool = strawberry.field(description="The commitment was first recorded after the month ended.")
    seed: str | None = strawberry.field(description="Revealed with the draw.")
    population_size: int | None
    drawn: list[str] | None = strawberry.field(description="Sampled voucher codes, in draw order.")
    drawn_at: dt.datetime | None


@strawberry.type(description="A re-draw of a sample from its revealed seed and frozen list of trainings.")
class SampleVerification:
    sample_id: int
    identical: bool
    seed: str | None
    commitment: str
    population: list[str]
    drawn: list[str]


@strawberry.type
class Finding:
    id: int
    body_code: str
    provider_code: str
    course_code: str | None
    voucher_code: str | None
    severity: Severity
    summary: str
    evidence: list[str]
    actor: str
    at: dt.datetime


@strawberry.type(description="One event on a course's or provider's quality timeline.")
class QualityEvent:
    at: dt.datetime
    actor: str
    kind: str
    provider_code: str
    course_code: str | None
    detail: str = strawberry.field(description="The event's details as a JSON object.")


def sample_view(s: mn.MonitoringSample) -> MonitoringSample:
    return MonitoringSample(
        id=s.sample_id,
        body_code=s.body_code,
        provider_code=s.provider_code,
        month=s.month,
        commitment=s.commitment,
        committed_at=s.committed_at,
        committed_late=s.committed_late,
        seed=s.seed,
        population_size=None if s.population is None else len(s.population),
        drawn=None if s.drawn is None else list(s.drawn),
        drawn_at=s.drawn_at,
    )


def finding_view(f: mn.Finding) -> Finding:
    return Finding(
        id=f.finding_id,
        body_code=f.body_code,
        provider_code=f.provider_code,
        course_code=f.course_code,
        voucher_code=f.voucher_code,
        severity=f.severity,
        summary=f.summary,
        evidence=list(f.evidence),
        actor=f.actor,
        at=f.at,
    )


async def monitor_of(info: Info, provider_code: str) -> Principal | e.NotAuthenticated | e.Forbidden:
    """A monitor whose body is registered as monitoring ``provider_code``."""
    principal = require(info, Role.MONITOR)
    if not isinstance(principal, Principal):
        return principal
    body = await quality_of(info.context).bodies.body(principal.body) if principal.body else None
    if body is None or not body.monitors or provider_code not in body.monitored_providers:
        return e.forbidden("Your body does not monitor this provider.")
    return principal


async def may_read(info: Info, provider_code: str) -> bool:
    """National staff, supervisors, and monitors of the provider's bodies."""
    principal = info.context.principal
    if principal is None:
        return False
    if principal.role is Role.MONITOR:
        return isinstance(await monitor_of(info, provider_code), Principal)
    return principal.role is Role.SUPERVISOR or (principal.role is Role.STAFF and principal.provinces is None)


SampleResult = Annotated[
    MonitoringSample | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("MonitoringSampleResult"),
]
FindingResult = Annotated[
    Finding | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("RecordFindingResult"),
]


async def monitoring_sample(info: Info, provider_code: str, month: str) -> SampleResult:
    try:
        principal = await monitor_of(info, provider_code)
        if not isinstance(principal, Principal):
            return principal
        mn.month_bounds(month)
    except ValueError:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="month is YYYY-MM.")
    except StoreUnavailable:
        return e.unavailable("The monitoring register")
    assert principal.body is not None
    now = dt.datetime.now(dt.UTC)
    sample = await quality_of(info.context).monitoring.sample(principal.body, provider_code, month, now)
    return sample_view(sample)


async def verify_monitoring_sample(info: Info, sample_id: int) -> SampleVerification | None:
    """Anyone on the console: the revealed seed against its commitment, and the draw repeated."""
    if info.context.principal is None:
        return None
    sample = await quality_of(info.context).monitoring.sample_by_id(sample_id)
    if sample is None or sample.drawn is None:
        return None
    return SampleVerification(
        sample_id=sample.sample_id,
        identical=mn.verify(sample),
        seed=sample.seed,
        commitment=sample.commitment,
        population=list(sample.population or ()),
        drawn=list(sample.drawn),
    )


async def record_finding(
    info: Info,
    provider_code: str,
    severity: mn.Severity,
    summary: str,
    evidence: list[str],
    course_code: str | None = None,
    voucher_code: str | None = None,
) -> FindingResult:
    try:
        principal = await monitor_of(info, provider_code)
    except StoreUnavailable:
        return e.unavailable("The body registry")
    if not isinstance(principal, Principal):
        return principal
    problems = mn.evidence_problems(evidence)
    if not summary.strip() or len(summary) > 4000:
        problems.append("a summary (at most 4,000 characters) is required")
    if problems:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="; ".join(problems))
    assert principal.body is not None
    finding = mn.Finding(
        0,
        principal.body,
        provider_code,
        course_code,
        voucher_code,
        mn.Severity(severity),
        summary.strip(),
        tuple(evidence),
        principal.actor,
        dt.datetime.now(dt.UTC),
    )
    try:
        return finding_view(await quality_of(info.context).monitoring.record_finding(finding))
    except StoreUnavailable:
        return e.unavailable("The monitoring register")


async def findings(info: Info, provider_code: str) -> list[Finding]:
    if not await may_read(info, provider_code):
        return []
    return [finding_view(f) for f in await quality_of(info.context).monitoring.findings(provider_code)]


async def quality_timeline(info: Info, provider_code: str, course_code: str | None = None) -> list[QualityEvent]:
    """A provider's (or one of its courses') timeline, for national staff and the provider's monitors."""
    if not await may_read(info, provider_code):
        return []
    found = await quality_of(info.context).timeline.events(provider_code=provider_code, course_code=course_code)
    return [
        QualityEvent(
            at=x.at,
            actor=x.actor,
            kind=x.kind,
            provider_code=x.provider_code,
            course_code=x.course_code,
            detail=json.dumps(x.detail, default=str, sort_keys=True),
        )
        for x in found
    ]
