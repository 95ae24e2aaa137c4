"""``confirmAttendance``: the participant confirms a session on the page a training provider's ``url-generate``
link opens; the provider's redeem-code status then shows ``attendance_status`` 1.

The link is signed and expires (``caseapi.shared.attendance_link``); only the participant whose code it names may
confirm, and the redeem is the provider's own (the same ``commit_redeem`` call as ``redeemVoucher`` and the REST
commit), once per link: a second confirmation of the same link gets the first answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.participant.own_case import _own
from caseapi.shared import attendance_link
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.redeem_calls import commit_redeem
from domain.errors import ErrorCode, StoreUnavailable
from domain.ports import CaseHandle
from domain.training.messages import RedeemResult
from workflows.search_attributes import workflow_id_for


@strawberry.type(description="Attendance confirmed; send the participant back to the provider.")
class AttendanceConfirmed:
    redeem_code: str
    sequence: int
    redirect_url: str = strawberry.field(description="The provider's redirect_uri with ?state=…")


ConfirmAttendanceResult = Annotated[
    AttendanceConfirmed
    | e.RedeemRefused
    | e.InvalidArgument
    | e.NoCaseYet
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("ConfirmAttendanceResult"),
]


async def confirm_attendance(info: Info, link: str) -> ConfirmAttendanceResult:
    found = await _own(info, info.context.ports.reader.handle_by_account)
    if not isinstance(found, tuple):
        return found
    now = dt.datetime.now(dt.UTC)
    claims = attendance_link.read(info.context.config.blind_index_key, link.strip().lstrip("#"), now=now)
    if claims is None:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="This link is invalid or has expired.")
    handle: CaseHandle = found[1]
    try:
        ref = await info.context.ports.market.voucher(redeem_code=claims.code)
    except StoreUnavailable:
        return e.unavailable("The voucher registry")
    if ref is None or workflow_id_for(ref.case_id) != handle.workflow_id:
        return e.forbidden("This link is for another participant's training.")
    result = await commit_redeem(
        info.context, claims.provider, claims.code, claims.sequence, None, request_key=f"attend:{claims.state}"
    )
    if not isinstance(result, RedeemResult):
        return result
    return AttendanceConfirmed(
        redeem_code=result.redeem_code, sequence=result.sequence, redirect_url=attendance_link.back_url(claims)
    )
