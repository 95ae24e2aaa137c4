"""``markIneligible``: staff record that an audit found a recipient ineligible after the fact (reason code,
reason, evidence). The participant's workflow then runs the clawback saga: incentives stopped, unused vouchers
cancelled, a receivable opened with a 60-day deadline, the participant notified."""

from __future__ import annotations

import hashlib
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.payout_types import Clawback, clawback_view
from caseapi.shared.updates import run_update
from caseapi.staff.scope import scoped_case
from domain import clawback as cb
from domain.errors import ErrorCode
from domain.payout_messages import MarkIneligibleRequest
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


async def mark_ineligible(
    info: Info,
    case_id: strawberry.ID,
    reason_code: str,
    reason: str,
    evidence: str,
) -> ClawbackResult:
    if cb.reason_text(reason_code) is None:
        codes = ", ".join(cb.REASON_CODES)
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=f"reasonCode must be one of {codes}.")
    if not reason.strip() or not evidence.strip() or len(reason) > 2000 or len(evidence) > 2000:
        return e.InvalidArgument(
            code=ErrorCode.INVALID_ARGUMENT, message="Give the reason and the evidence (each up to 2000 characters)."
        )
    found = await scoped_case(info, str(case_id))
    if not isinstance(found, tuple):
        return found
    principal, record = found
    result = await run_update(
        info.context,
        record.workflow_id,
        ParticipantWorkflow.mark_ineligible,
        MarkIneligibleRequest(principal.subject, reason_code, reason.strip(), evidence.strip()),
        update_id=f"ineligible:{reason_code}:{hashlib.sha256(f'{reason}|{evidence}'.encode()).hexdigest()[:16]}",
    )
    return clawback_view(result) if isinstance(result, cb.Clawback) else result
