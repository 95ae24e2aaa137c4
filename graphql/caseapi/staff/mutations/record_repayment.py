"""``recordRepayment``: staff record money an ineligible recipient returned (once per transfer reference)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.shared.payout_types import Clawback, clawback_view
from caseapi.shared.updates import run_update
from caseapi.staff.scope import scoped_case
from domain.clawback import saga as cb
from domain.errors import ErrorCode
from domain.operator.actions import AuditEntry
from domain.payouts.messages import RepaymentRequest
from workflows.participant import ParticipantWorkflow

ClawbackResult = Annotated[
    Clawback
    | e.ClawbackRefused
    | e.PayoutRefused
    | e.InvalidArgument
    | e.CaseNotFound
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("ClawbackResult"),
]


async def record_repayment(info: Info, case_id: strawberry.ID, reference: str, amount: int) -> ClawbackResult:
    caller = require(info, Role.STAFF, Role.SUPERVISOR)  # who asks comes before what is wrong with the request
    if not isinstance(caller, Principal):
        return caller
    ref = reference.strip()
    if amount <= 0 or not ref or len(ref) > 100:
        return e.InvalidArgument(
            code=ErrorCode.INVALID_ARGUMENT, message="A repayment needs a positive amount and its transfer reference."
        )
    found = await scoped_case(info, str(case_id))
    if not isinstance(found, tuple):
        return found
    principal, record = found
    result = await run_update(
        info.context,
        record.workflow_id,
        ParticipantWorkflow.record_repayment,
        RepaymentRequest(principal.subject, ref, amount),
        update_id=update_ids.repayment(ref),
    )
    if not isinstance(result, cb.Clawback):
        return result
    if info.context.ports.desk is not None:
        actor = principal.actor
        detail = {"reference": ref, "amount": str(amount)}
        entry = AuditEntry(
            dt.datetime.now(dt.UTC), actor, "REPAYMENT_RECORDED", record.case_id, "REPAYMENT", ref, detail
        )
        await info.context.ports.desk.audit(entry)
    return clawback_view(result)
