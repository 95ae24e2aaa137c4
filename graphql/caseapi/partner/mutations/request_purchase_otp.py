"""``requestPurchaseOtp``: a digital platform asks the programme to send the participant a purchase OTP."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.partner.calling_partner import calling_partner, workflow_for_card
from caseapi.partner.courses import platform_course
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.updates import run_update
from domain.training.messages import OtpRequest, OtpSent
from domain.training.trainings import Partner, PartnerType
from workflows.participant import ParticipantWorkflow


@strawberry.type(description="The OTP went to the participant's phone; send it back with the purchase.")
class OtpChallengeSent:
    challenge_id: str
    expires_at: dt.datetime
    phone_hint: str = strawberry.field(description="Last digits of the phone the OTP went to.")


RequestPurchaseOtpResult = Annotated[
    OtpChallengeSent
    | e.CardNotFound
    | e.CourseNotFound
    | e.PurchaseRefused
    | e.InvalidArgument
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("RequestPurchaseOtpResult"),
]


async def request_purchase_otp(
    info: Info, card_number: str, course_code: str, price: int, request_id: str
) -> RequestPurchaseOtpResult:
    partner = await calling_partner(info, PartnerType.DIGITAL_PLATFORM)
    if not isinstance(partner, Partner):
        return partner
    if not 1 <= len(request_id) <= 100:
        return e.InvalidArgument(code=e.DomainErrorCode.INVALID_ARGUMENT, message="requestId must be 1–100 chars.")
    course = await platform_course(info, course_code, partner)
    if isinstance(course, e.Error):
        return course
    workflow_id = await workflow_for_card(info, card_number)
    if not isinstance(workflow_id, str):
        return workflow_id
    req = OtpRequest(partner.client_code, course, price, request_id)
    result = await run_update(
        info.context,
        workflow_id,
        ParticipantWorkflow.request_purchase_otp,
        req,
        update_id=update_ids.purchase_otp(partner.client_code, request_id),
    )
    if isinstance(result, OtpSent):
        return OtpChallengeSent(
            challenge_id=result.challenge_id, expires_at=result.expires_at, phone_hint=result.phone_hint
        )
    return result
