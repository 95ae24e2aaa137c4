"""Partners read their own records: a provider a redeem code's state for one session, a platform one of its
purchases by its idempotency key (the REST API's invoice code). Another partner's records look missing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.redeem_calls import redeem_status
from caseapi.shared.training_types import RedeemReceipt, redeem_view
from domain.errors import ErrorCode, StoreUnavailable
from domain.training.trainings import MAX_SESSIONS, POST_TEST, Partner, PartnerType

VoucherStatusResult = Annotated[
    RedeemReceipt | e.RedeemRefused | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("VoucherStatusResult"),
]


@strawberry.type(description="One of your purchases, as the programme recorded it.")
class PurchaseRecord:
    idempotency_key: str
    transaction_code: str = strawberry.field(description="The programme's transaction ID (REST: transaction_code).")
    voucher_code: str
    redeem_code: str
    course_code: str
    schedule_code: str | None
    price: int = strawberry.field(description="Integer rupiah.")
    status: str = strawberry.field(description="ACTIVE | CANCELLED_VOUCHER | CANCELLED_TRANSACTION.")
    created_at: dt.datetime


@strawberry.type(description="You have no purchase under that key.")
class PurchaseNotFound(e.Error):
    pass


PurchaseRecordResult = Annotated[
    PurchaseRecord | PurchaseNotFound | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("PurchaseRecordResult"),
]


async def voucher_status(info: Info, redeem_code: str, sequence: int = 1) -> VoucherStatusResult:
    provider = await calling_partner(info, PartnerType.TRAINING_PROVIDER)
    if not isinstance(provider, Partner):
        return provider
    if not (1 <= sequence <= MAX_SESSIONS or sequence == POST_TEST):
        return e.InvalidArgument(code=ErrorCode.INVALID_SEQUENCE, message="sequence is 1–10, or 999 (post-test).")
    found = await redeem_status(info.context, provider.client_code, redeem_code, sequence)
    return found if isinstance(found, e.Error) else redeem_view(found)


async def purchase(info: Info, idempotency_key: str) -> PurchaseRecordResult:
    platform = await calling_partner(info, PartnerType.DIGITAL_PLATFORM)
    if not isinstance(platform, Partner):
        return platform
    store = info.context.ports.partner_api
    assert store is not None
    try:
        row = await store.purchase(f"{platform.client_code}:{idempotency_key}")
    except StoreUnavailable:
        return e.unavailable("The purchase records")
    if row is None or row.platform_code != platform.client_code:
        return PurchaseNotFound(code=ErrorCode.PURCHASE_NOT_FOUND, message="You have no purchase under that key.")
    return PurchaseRecord(
        idempotency_key=idempotency_key,
        transaction_code=row.transaction_code,
        voucher_code=row.voucher_code,
        redeem_code=row.redeem_code,
        course_code=row.course_code,
        schedule_code=row.schedule_code,
        price=row.price,
        status=row.status,
        created_at=row.created_at,
    )
