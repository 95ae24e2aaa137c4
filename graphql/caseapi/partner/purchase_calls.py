"""Buying a training: shared by the partner GraphQL mutations and the official payment REST endpoints.

One path per rule: the catalogue check (the calling platform's active course), the card → case lookup, and the
workflow updates (``request_purchase_otp``, ``purchase``, ``cancel_training``) with their update IDs.
"""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Context
from caseapi.shared.updates import run_update
from domain.errors import ErrorCode, StoreUnavailable
from domain.training.messages import CancelRequest, OtpRequest, OtpSent, PurchaseRequest, PurchaseResult, TrainingView
from domain.training.ports import VoucherRef
from domain.training.trainings import Cancellation, Course, Partner
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for

NOT_APPROVED = "This course has no approved version yet: it cannot be sold until its review is approved."
SUSPENDED = {
    ErrorCode.COURSE_SUSPENDED.value: "This course is suspended by the programme: no new purchases.",
    ErrorCode.PROVIDER_SUSPENDED.value: "The course's provider is suspended by the programme: no new purchases.",
}


async def platform_course(
    ctx: Context, course_code: str, platform: Partner
) -> Course | e.CourseNotFound | e.PurchaseRefused | e.TemporarilyUnavailable:
    """The calling platform's course as approved (the catalogue holds the approved version's terms), if it may be
    sold now: a course whose first version is still in review, or that is suspended (or its provider), is refused
    with a typed code before anything is written (``domain.quality``)."""
    quality = ctx.ports.quality
    try:
        course = await ctx.ports.market.course(course_code)
        if course is None or not course.active or course.platform_code != platform.client_code:
            if (
                course is None
                and quality is not None
                and await quality.gate.awaiting_review(course_code, platform.client_code)
            ):
                return e.PurchaseRefused(code=ErrorCode.COURSE_NOT_APPROVED, message=NOT_APPROVED)
            return e.CourseNotFound(code=ErrorCode.COURSE_NOT_FOUND, message="Your platform offers no such course.")
        refused = await quality.gate.refusal(course.course_code, course.provider_code) if quality else None
    except StoreUnavailable:
        return e.unavailable("The catalogue")
    if refused is not None:
        return e.PurchaseRefused(code=ErrorCode(refused), message=SUSPENDED[refused])
    return course


async def case_for_card(ctx: Context, card_number: str) -> str | e.CardNotFound | e.TemporarilyUnavailable:
    """The case ID behind a Kartu Prakerja number."""
    try:
        case_id = await ctx.ports.market.case_by_card(card_number.strip())
    except StoreUnavailable:
        return e.unavailable("The card registry")
    if case_id is None:
        return e.CardNotFound(code=ErrorCode.CARD_NOT_FOUND, message="No Kartu Prakerja with that number.")
    return case_id


async def send_purchase_otp(
    ctx: Context, platform: Partner, case_id: str, course: Course, price: int, request_id: str
) -> OtpSent | e.Error:
    """The participant gets an OTP for this course and price; the same ``request_id`` gets the same challenge."""
    return await run_update(
        ctx,
        workflow_id_for(case_id),
        ParticipantWorkflow.request_purchase_otp,
        OtpRequest(platform.client_code, course, price, request_id),
        update_id=update_ids.purchase_otp(platform.client_code, request_id),
    )


async def buy(
    ctx: Context, platform: Partner, case_id: str, course: Course, price: int, otp: str, idempotency_key: str
) -> PurchaseResult | e.Error:
    """The purchase, exactly once per (platform, key): a retry gets the same receipt, another purchase a refusal."""
    key = f"{platform.client_code}:{idempotency_key}"
    result = await run_update(
        ctx,
        workflow_id_for(case_id),
        ParticipantWorkflow.purchase,
        PurchaseRequest(key, platform.client_code, course, price, otp),
        update_id=update_ids.purchase(key, otp),
    )
    if isinstance(result, PurchaseResult) and (result.course_code != course.course_code or result.price != price):
        return e.PurchaseRefused(
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED, message="This idempotency key was already used for another purchase."
        )
    return result


async def cancel(ctx: Context, platform: Partner, ref: VoucherRef, reason: str) -> TrainingView | e.Error:
    """The platform cancels its purchase before the training started; the price is refunded (once)."""
    return await run_update(
        ctx,
        workflow_id_for(ref.case_id),
        ParticipantWorkflow.cancel_training,
        CancelRequest(ref.voucher_code, platform.client_code, reason, Cancellation.TRANSACTION.value),
        update_id=update_ids.cancel_purchase(platform.client_code, ref.voucher_code),
    )
