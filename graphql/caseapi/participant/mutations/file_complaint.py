"""``fileComplaint``: the participant files a complaint from their case (idempotent on ``requestId``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from caseapi.participant.own_case import own_case
from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.complaint_types import Complaint, ComplaintCategory, complaint_view
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from domain.errors import ErrorCode, StoreUnavailable
from domain.operator import complaints as cm

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
    complaint = cm.Complaint(
        id=uuid.uuid4().hex,
        case_id=record.case_id,
        province_code=record.application.domicile.province_code,
        request_id=request_id,
        category=kind,
        text=body,
        filed_at=now,
        sla_due_at=cm.sla_due(kind, now),
    )
    try:
        return complaint_view(await desk.file(complaint), now)
    except StoreUnavailable:
        return e.unavailable("The complaints database")
