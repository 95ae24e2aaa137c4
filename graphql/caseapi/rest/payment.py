"""Prakerja's DP payment endpoints (partner-api.md §4): quota-schedule, send-otp, authorize, status, void.

A thin adapter: fields are read with the contract's JSON types, the business answer comes from the
:class:`~caseapi.rest.ports.PaymentGateway` (the same workflow updates as the partner GraphQL schema), the answer
is written with the contract's types (integer ``amount``, ``invoice_code`` always a string, ``created_at`` in the
``Z`` form). ``invoice_code`` is taken as a JSON string or integer (§10 #1) and is the purchase's idempotency key.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from starlette.responses import JSONResponse
from starlette.routing import Route

from caseapi.rest import catalogue as c
from caseapi.rest import payment_token as tokens
from caseapi.rest.ports import OtpIssued, PaymentGateway, PaymentReceipt, PurchaseOrder, RedeemError
from caseapi.rest.rate_limit import RateLimit
from caseapi.rest.transport import Call, Refused, SignedApi, integer, ok, text, utc_now, z_time
from domain.training.trainings import PartnerType

BASE = "/api/v1/integration/payment"
QUOTA_PATH = f"{BASE}/quota-schedule"
SEND_OTP_PATH = f"{BASE}/send-otp"
AUTHORIZE_PATH = f"{BASE}/authorize"
STATUS_PATH = f"{BASE}/status"
VOID_PATH = f"{BASE}/void"
MAX_CODE = 100


def _refuse(error: RedeemError) -> Refused:
    return Refused(c.for_domain_code(error.code), error.message)


def receipt_data(receipt: PaymentReceipt, *, created_at: bool) -> dict[str, object]:
    data: dict[str, object] = {
        "invoice_code": receipt.invoice_code,
        "transaction_code": receipt.transaction_code,
        "amount": receipt.amount,
        "status": receipt.status,
        "prakerja_name": receipt.prakerja_name,
    }
    return {"created_at": z_time(receipt.created_at), **data} if created_at else data


class PaymentEndpoints:
    def __init__(self, gateway: PaymentGateway, token_key: bytes) -> None:
        self.gateway = gateway
        self.token_key = token_key

    async def quota(self, call: Call) -> JSONResponse:
        course = text(call.body, "course_code", max_len=MAX_CODE)
        schedule = text(call.body, "schedule_code", max_len=MAX_CODE)
        left = await self.gateway.quota(call.client_code, course, schedule)
        if isinstance(left, RedeemError):
            raise _refuse(left)
        return ok({"schedule_code": schedule, "course_code": course, "quota": left})

    async def send_otp(self, call: Call) -> JSONResponse:
        card = text(call.body, "prakerja_id", max_len=32)
        user = text(call.body, "user_platform_id", max_len=MAX_CODE, number_ok=True)
        course = text(call.body, "course_code", max_len=MAX_CODE)
        schedule = text(call.body, "schedule_code", max_len=MAX_CODE)
        amount = integer(call.body, "amount")
        request_id = uuid.uuid4().hex
        sent = await self.gateway.send_otp(call.client_code, card, course, schedule, amount, request_id)
        if isinstance(sent, RedeemError):
            raise _refuse(sent)
        assert isinstance(sent, OtpIssued)
        expires = min(sent.expires_at, call.now + tokens.TOKEN_TTL)
        claims = tokens.PaymentClaims(
            call.client_code, card, course, schedule, amount, user, request_id, int(expires.timestamp())
        )
        return ok({"payment_token": tokens.mint(self.token_key, claims)})

    async def authorize(self, call: Call) -> JSONResponse:
        claims = tokens.read(
            self.token_key, call.request.headers.get("authorization", ""), platform=call.client_code, now=call.now
        )
        if claims is None:
            raise Refused(c.INVALID_PAYMENT_TOKEN)
        otp = text(call.body, "otp", max_len=12, number_ok=True)
        invoice_url = text(call.body, "invoice_url", max_len=1024)
        invoice_code = text(call.body, "invoice_code", max_len=MAX_CODE, number_ok=True)
        if not otp.isdigit():
            raise Refused(c.OTP_INVALID)
        order = PurchaseOrder(
            claims.card, claims.course, claims.schedule, claims.amount, otp, invoice_code, invoice_url
        )
        receipt = await self.gateway.authorize(call.client_code, order)
        if isinstance(receipt, RedeemError):
            raise _refuse(receipt)
        return ok(receipt_data(receipt, created_at=False), "Pelatihan berhasil dibeli.")

    async def status(self, call: Call) -> JSONResponse:
        invoice_code = text(call.body, "invoice_code", max_len=MAX_CODE, number_ok=True)
        receipt = await self.gateway.status(call.client_code, invoice_code)
        if isinstance(receipt, RedeemError):
            raise _refuse(receipt)
        return ok(receipt_data(receipt, created_at=True))

    async def void(self, call: Call) -> JSONResponse:
        invoice_code = text(call.body, "invoice_code", max_len=MAX_CODE, number_ok=True)
        transaction_code = text(call.body, "transaction_code", max_len=MAX_CODE)
        refused = await self.gateway.void(call.client_code, invoice_code, transaction_code)
        if refused is not None:
            raise _refuse(refused)
        return ok(None, "Transaksi berhasil dibatalkan.")


def payment_routes(
    gateway: PaymentGateway,
    *,
    token_key: bytes,
    clock: Callable[[], dt.datetime] = utc_now,
    limiter: RateLimit | None = None,
) -> list[Route]:
    """``POST`` routes of the DP payment endpoints (mount at the application root)."""
    api = SignedApi(gateway, clock, limiter)
    dp = PaymentEndpoints(gateway, token_key)
    kind = PartnerType.DIGITAL_PLATFORM
    return [
        api.route(QUOTA_PATH, kind, dp.quota, name="payment_quota_schedule"),
        api.route(SEND_OTP_PATH, kind, dp.send_otp, name="payment_send_otp"),
        api.route(AUTHORIZE_PATH, kind, dp.authorize, name="payment_authorize", auth_slot=True),
        api.route(STATUS_PATH, kind, dp.status, name="payment_status"),
        api.route(VOID_PATH, kind, dp.void, name="payment_void"),
    ]
