"""Sanctions (``domain.quality.sanctions``): national staff open one from a finding, a supervisor who did not open it
approves (four eyes; approval is one conditional write, a second approval does nothing), and an approved
suspension is carried out: new purchases stop at once (the sale gate), trainings not yet started are cancelled and
refunded through each participant's workflow (update ID per sanction and voucher: a retry refunds once), and every
affected participant is told why (catalogue texts)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Context, Info
from caseapi.shared.course_review_calls import quality_of
from caseapi.shared.guards import require
from caseapi.shared.updates import run_update
from caseapi.staff.national import national_staff
from domain.errors import ErrorCode, StoreUnavailable
from domain.notifications import Channel, Notification, body_of
from domain.quality import sanctions as sc
from domain.training.messages import CancelRequest, TrainingView
from domain.training.trainings import Cancellation
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for

log = logging.getLogger(__name__)
SanctionKind = strawberry.enum(sc.SanctionKind, name="SanctionKind")
SanctionStatus = strawberry.enum(sc.SanctionStatus, name="SanctionStatus")


@strawberry.type(description="A sanction against a provider (or one of its courses), and its four-eyes decision.")
class Sanction:
    id: int
    kind: SanctionKind
    provider_code: str
    course_code: str | None
    amount: int | None = strawberry.field(description="Clawback: integer rupiah the provider owes.")
    reason: str
    finding_id: int | None
    status: SanctionStatus
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None


@strawberry.type(description="No such sanction, or it cannot be decided by you (four eyes: not the one who opened it).")
class SanctionRefused(e.Error):
    pass


SanctionResult = Annotated[
    Sanction | SanctionRefused | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("SanctionResult"),
]


def sanction_view(s: sc.Sanction) -> Sanction:
    return Sanction(
        id=s.sanction_id,
        kind=s.kind,
        provider_code=s.provider_code,
        course_code=s.course_code,
        amount=s.amount,
        reason=s.reason,
        finding_id=s.finding_id,
        status=s.status,
        requested_by=s.requested_by,
        requested_at=s.requested_at,
        decided_by=s.decided_by,
        decided_at=s.decided_at,
    )


async def open_sanction(
    info: Info,
    kind: sc.SanctionKind,
    provider_code: str,
    reason: str,
    finding_id: int | None = None,
    course_code: str | None = None,
    amount: int | None = None,
) -> SanctionResult:
    principal = national_staff(info, "Sanctions are opened")
    if not isinstance(principal, Principal):
        return principal
    kind = sc.SanctionKind(kind)
    problems = sc.open_problems(kind, course_code, amount, reason)
    try:
        provider = await info.context.ports.market.partner(provider_code)
        course = await info.context.ports.market.course(course_code) if course_code else None
        if provider is None or provider.type.value != "TRAINING_PROVIDER":
            problems.append(f"{provider_code!r} is not a registered training provider")
        if course_code is not None and (course is None or course.provider_code != provider_code):
            problems.append("the course is not one of this provider's")
        if problems:
            return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="; ".join(problems))
        opened = await quality_of(info.context).sanctions.open(
            kind,
            provider_code,
            course_code,
            amount,
            reason.strip(),
            finding_id,
            principal.actor,
            dt.datetime.now(dt.UTC),
        )
    except StoreUnavailable:
        return e.unavailable("The sanctions register")
    return sanction_view(opened)


CARRY_OUT_CONCURRENCY = 16


async def _settle(ctx: Context, s: sc.Sanction, t: sc.AffectedTraining, refund: bool) -> tuple[bool, bool]:
    """One affected training: refunded when the rule says so, then its participant told. (refunded, settled): an
    unsettled one (the engine unreachable) is neither told nor counted; the approver's retry settles it."""
    if refund:
        reason = f"Sanction {s.sanction_id}: {s.kind.value.lower().replace('_', ' ')}"
        request = CancelRequest(t.voucher_code, f"sanction:{s.sanction_id}", reason, Cancellation.VOUCHER.value)
        update_id = update_ids.sanction_cancel(s.sanction_id, t.voucher_code)
        done = await run_update(
            ctx, workflow_id_for(t.case_id), ParticipantWorkflow.cancel_training, request, update_id=update_id
        )
        if isinstance(done, e.TemporarilyUnavailable):
            return False, False
        if not isinstance(done, TrainingView):  # finished meanwhile, or already cancelled: it is not refunded here
            log.info("sanction %s: voucher not refunded (%s)", s.sanction_id, getattr(done, "code", done))
            refund = False
    record = await ctx.ports.reader.by_id(t.case_id)
    if record is not None:
        body, message = body_of(sc.participant_text(s, t, refund))
        note = Notification(
            dedupe_key=f"{t.case_id}:sanction:{s.sanction_id}:{t.voucher_code}",
            case_id=t.case_id,
            channel=Channel.SMS,
            recipient=record.application.phone,
            kind="SANCTION",
            body=body,
            created_at=dt.datetime.now(dt.UTC),
            text=message,
        )
        await quality_of(ctx).sanctions.tell((note,))
    return refund, True


async def _carry_out(ctx: Context, s: sc.Sanction, by: str) -> int:
    """Settle every affected training (``CARRY_OUT_CONCURRENCY`` at a time); how many are left unsettled."""
    store = quality_of(ctx).sanctions
    rule = sc.voucher_rule(ctx.config.scheme_id)
    gate = asyncio.Semaphore(CARRY_OUT_CONCURRENCY)

    async def one(t: sc.AffectedTraining) -> tuple[bool, bool]:
        async with gate:
            return await _settle(ctx, s, t, rule is sc.VoucherRule.REFUND_UNSTARTED and not t.started)

    results = await asyncio.gather(*(one(t) for t in await store.affected(s)))
    refunded, settled = sum(r for r, _ in results), sum(ok for _, ok in results)
    await store.carried_out(s, by, dt.datetime.now(dt.UTC), refunded, settled)
    return len(results) - settled


async def _decide(info: Info, sanction_id: int, approve: bool) -> SanctionResult:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    if principal.role is not Role.SUPERVISOR:
        return e.forbidden("Four eyes: a supervisor decides sanctions.")
    store = quality_of(info.context).sanctions
    try:
        found = await store.sanction(sanction_id)
        if found is None:
            return SanctionRefused(code=ErrorCode.SANCTION_NOT_FOUND, message="No such sanction.")
        if problem := sc.approval_problem(found, principal.actor):
            return SanctionRefused(code=ErrorCode.FOUR_EYES_REQUIRED, message=problem)
        decided = await store.decide(sanction_id, principal.actor, dt.datetime.now(dt.UTC), approve)
        again = found.status is sc.SanctionStatus.APPROVED and found.decided_by == principal.actor and approve
        if decided is None and not again:
            return sanction_view(found)  # decided before: a second approval (or rejection) does nothing
        if approve and (decided or found).kind in sc.SUSPENSIONS:
            left = await _carry_out(info.context, decided or found, principal.actor)
            if left:  # approved and in force; the approver's retry settles the rest
                return e.unavailable(f"The case engine ({left} affected trainings not yet settled)")
        current = await store.sanction(sanction_id)
    except StoreUnavailable:
        return e.unavailable("The sanctions register")
    assert current is not None
    return sanction_view(current)


async def approve_sanction(info: Info, id: int) -> SanctionResult:
    return await _decide(info, id, True)


async def reject_sanction(info: Info, id: int) -> SanctionResult:
    return await _decide(info, id, False)


async def sanctions(info: Info, status: sc.SanctionStatus | None = None) -> list[Sanction]:
    if not isinstance(require(info, Role.STAFF, Role.SUPERVISOR), Principal):
        return []
    found = await quality_of(info.context).sanctions.sanctions(sc.SanctionStatus(status) if status else None)
    return [sanction_view(s) for s in found]
