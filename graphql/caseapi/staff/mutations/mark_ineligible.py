"""``markIneligible``: staff record that an audit found a recipient ineligible after the fact (reason code,
reason, evidence). It is a four-eyes request: once a different supervisor approves it, the participant's workflow
runs the clawback saga (incentives stopped, unused vouchers cancelled, a receivable opened with a 60-day
deadline, the participant notified)."""

from __future__ import annotations

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.staff.operator.request_action import ActionResult, request_action
from caseapi.staff.operator.types import ActionParam
from domain.clawback import saga as cb
from domain.errors import ErrorCode
from domain.operator import actions as op


async def mark_ineligible(
    info: Info,
    case_id: strawberry.ID,
    reason_code: str,
    reason: str,
    evidence: str,
) -> ActionResult:
    caller = require(info, Role.STAFF, Role.SUPERVISOR)  # who asks comes before what is wrong with the request
    if not isinstance(caller, Principal):
        return caller
    if cb.reason_text(reason_code) is None:
        codes = ", ".join(cb.REASON_CODES)
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=f"reasonCode must be one of {codes}.")
    if not reason.strip() or not evidence.strip() or len(reason) > 2000 or len(evidence) > 2000:
        return e.InvalidArgument(
            code=ErrorCode.INVALID_ARGUMENT, message="Give the reason and the evidence (each up to 2000 characters)."
        )
    # Money-affecting: a four-eyes request that a different supervisor approves (``approveAction``).
    return await request_action(
        info,
        case_id,
        op.OperatorAction.MARK_INELIGIBLE,
        "AUDIT_FINDING",
        reason,
        [ActionParam(name="ineligibility", value=reason_code), ActionParam(name="evidence", value=evidence)],
    )
