"""``requestPurchaseOtp``: a digital platform asks the programme to send the participant a purchase OTP."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.partner.calling_partner import calling_partner
from caseapi.partner.purchase_calls import case_for_card, platform_course, send_purchase_otp
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from domain.training.messages import OtpSent
from domain.training.trainings import Partner, PartnerType


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
    course = await platform_course(info.context, course_code, partner)
    if isinstance(course, e.Error):
        return course
    case_id = await case_for_card(info.context, card_number)
    if not isinstance(case_id, str):
        return case_id
    result = await send_purchase_otp(info.context, partner, case_id, course, price, request_id)
    if isinstance(result, OtpSent):
        return OtpChallengeSent(
            challenge_id=result.challenge_id, expires_at=result.expires_at, phone_hint=result.phone_hint
        )
    return result
