"""Carry out a request on the case's workflow (update ID = the request's), record the outcome and audit it."""

from __future__ import annotations

import datetime as dt

from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.updates import run_update
from domain.operator import actions as op
from domain.payouts.messages import OperatorCommand
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for


async def carry_out(info: Info, req: op.ActionRequest, actor: str) -> op.ActionRequest | e.TemporarilyUnavailable:
    desk = info.context.ports.desk
    assert desk is not None
    cmd = OperatorCommand(
        req.id, req.action.value, req.params, req.reason_code, req.reason, req.requested_by, req.decided_by
    )
    result = await run_update(
        info.context,
        workflow_id_for(req.case_id),
        ParticipantWorkflow.operator_action,
        cmd,
        update_id=update_ids.operator_action(req.id),
    )
    if isinstance(result, e.TemporarilyUnavailable):
        return result  # still APPROVED: approving again carries it out (the update ID keeps it once)
    now = dt.datetime.now(dt.UTC)
    if isinstance(result, str):
        status, text = op.RequestStatus.EXECUTED, result
    else:
        status, text = op.RequestStatus.FAILED, f"{result.code}: {result.message}"
    done = await desk.finish(req.id, status, text, now)
    await desk.audit(
        op.AuditEntry(now, actor, f"{req.action.value}_{status.value}", req.case_id, req.reason_code, req.reason,
                      {"result": text}, req.id)
    )  # fmt: skip
    return done
