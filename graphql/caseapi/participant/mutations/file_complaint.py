"""``fileComplaint``: the participant files a complaint from their case (idempotent on ``requestId``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError

from caseapi.participant.own_case import own_case
from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.complaint_types import Complaint, ComplaintCategory, complaint_view
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from domain.errors import ErrorCode, StoreUnavailable
from domain.operator import complaints as cm
from domain.scheme import get_scheme
from domain.working_days import add_working_days
from workflows.complaint import ComplaintWorkflow, complaint_workflow_id

FileComplaintResult = Annotated[
    Complaint | e.InvalidArgument | e.NoCaseYet | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("FileComplaintResult"),
]


async def file_complaint(info: Info, category: ComplaintCategory, text: str, request_id: str) -> FileComplaintResult:
    caller = require(info, Role.PARTICIPANT)  # who asks comes before what is wrong with the request
    if not isinstance(caller, Principal):
        return caller
    body = text.strip()
    if not 10 <= len(body) <= 4000:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="Describe the problem in 10–4000 characters.")
    if not 8 <= len(request_id) <= 64:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="requestId must be 8–64 characters.")
    found = await own_case(info)
    if not isinstance(found, tuple):
        return found
    _, record = found
    desk = info.context.ports.complaints
    assert desk is not None
    now = dt.datetime.now(dt.UTC)
    kind = cm.ComplaintCategory(category)
    ports = info.context.ports
    holidays = ports.calendar.holidays(now.date(), now.date() + dt.timedelta(days=45)) if ports.calendar else set()
    scheme = get_scheme(info.context.config.scheme_id)  # compressed schemes compress the service level too
    due = now + scheme.scaled(add_working_days(now, cm.sla_working_days(kind), holidays) - now)
    complaint = cm.Complaint(
        id=uuid.uuid4().hex,
        case_id=record.case_id,
        province_code=record.application.domicile.province_code,
        request_id=request_id,
        category=kind,
        text=body,
        filed_at=now,
        sla_due_at=due,
    )
    try:
        filed = await desk.file(complaint)
    except StoreUnavailable:
        return e.unavailable("The complaints database")
    try:  # a durable timer hands it to supervisors if unanswered when due; a retried filing finds it running
        await ports.client.start_workflow(
            ComplaintWorkflow.run,
            cm.WatchComplaintInput(filed.id, filed.sla_due_at),
            id=complaint_workflow_id(filed.id),
            task_queue=info.context.config.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
    except RPCError:
        return e.unavailable()  # the filing stands; the same requestId retried starts the watch
    return complaint_view(filed, now)
