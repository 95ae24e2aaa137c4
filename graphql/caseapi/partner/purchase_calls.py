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


async def platform_course(
    ctx: Context, course_code: str, platform: Partner
) -> Course | e.CourseNotFound | e.TemporarilyUnavailable:
    try:
        course = await ctx.ports.market.course(course_code)
    except StoreUnavailable:
        return e.unavailable("The catalogue")
    if course is None or not course.active or course.platform_code != platform.client_code:
        return e.CourseNotFound(code=ErrorCode.COURSE_NOT_FOUND, message="Your platform offers no such course.")
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
