"""``reportTransfer`` through the partner GraphQL API against PostgreSQL: a payment partner reports a transfer it
accepted by its idempotency key; the first report settles the books once, repeats are DUPLICATE, contradictions
(failed after settled, settled after failed, another reference) are CONFLICT and change nothing; concurrent
duplicates apply once; only a payment partner of the transfer's bank or e-wallet may report it."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from adapters.db.payments import PgPaymentStore
from domain.payouts.ports import PaymentClaim, PaymentStatus
from domain.payouts.tranches import Provider
from tests.integration.training_steps import partner_token, register

REPORT = """mutation R($input: TransferReportInput!) { reportTransfer(input: $input) { __typename
  ... on TransferReportReceipt { key verdict outcome amount partnerReference reasonCode settledAt }
  ... on Error { code message } } }"""


async def _pending(stack, provider: Provider = Provider.OVO) -> str:
    case_id = uuid.uuid4().hex
    claim = PaymentClaim(case_id, 1, 1, "JOB_SEARCH", 600_000, provider, "081234567890", 1, dt.datetime.now(dt.UTC))
    return (await PgPaymentStore(stack.engine).claim(claim)).key


async def _report(stack, client: str, key: str, outcome: str, ref: str | None = None, reason: str | None = None):
    inp = {"key": key, "outcome": outcome, "partnerReference": ref, "reasonCode": reason}
    return (await stack.gql("partner", REPORT, {"input": inp}, token=partner_token(stack, client)))["reportTransfer"]


async def _row(stack, key: str):
    [row] = await PgPaymentStore(stack.engine).by_keys([key])
    return row


async def test_the_first_report_settles_once_and_repeats_are_answered_from_the_books(stack):
    tag = uuid.uuid4().hex[:6]
    ovo = f"OVO-{tag}"
    await register(stack, ovo, "PAYMENT_PARTNER")
    settled, failed = await _pending(stack), await _pending(stack)

    first = await _report(stack, ovo, settled, "SETTLED", ref="TRX-1")
    assert (first["verdict"], first["outcome"], first["partnerReference"], first["amount"]) == (
        "APPLIED", "SETTLED", "TRX-1", 600_000,
    )  # fmt: skip
    again = await _report(stack, ovo, settled, "SETTLED", ref="TRX-1")
    assert again["verdict"] == "DUPLICATE" and again["settledAt"] == first["settledAt"]
    for late in (("FAILED", None, "TRANSFER_FAILED"), ("SETTLED", "TRX-OTHER", None)):
        answer = await _report(stack, ovo, settled, late[0], ref=late[1], reason=late[2])
        assert (answer["verdict"], answer["outcome"], answer["partnerReference"]) == ("CONFLICT", "SETTLED", "TRX-1")
    row = await _row(stack, settled)
    assert (row.status, row.partner_ref, row.failure_code) == (PaymentStatus.PAID, "TRX-1", None)

    refused = await _report(stack, ovo, failed, "FAILED", reason="account_closed")
    assert (refused["verdict"], refused["outcome"], refused["reasonCode"]) == ("APPLIED", "FAILED", "ACCOUNT_CLOSED")
    after = await _report(stack, ovo, failed, "SETTLED", ref="TRX-2")  # settled after failed
    assert (after["verdict"], after["outcome"]) == ("CONFLICT", "FAILED")
    assert (await _row(stack, failed)).status is PaymentStatus.FAILED


async def test_concurrent_duplicates_apply_once(stack):
    tag = uuid.uuid4().hex[:6]
    bni = f"BNI-{tag}"
    await register(stack, bni, "PAYMENT_PARTNER")
    key = await _pending(stack, Provider.BNI)
    answers = await asyncio.gather(*(_report(stack, bni, key, "SETTLED", ref="TRX-9") for _ in range(5)))
    assert sorted(a["verdict"] for a in answers) == ["APPLIED"] + ["DUPLICATE"] * 4
    assert (await _row(stack, key)).status is PaymentStatus.PAID


async def test_only_the_transfers_own_payment_partner_may_report_it(stack):
    tag = uuid.uuid4().hex[:6]
    ovo, bni, nameless, provider = f"ovo-{tag}", f"BNI-{tag}", f"pay-{tag}", f"lpk-{tag}"
    for code, kind in ((ovo, "PAYMENT_PARTNER"), (bni, "PAYMENT_PARTNER"), (nameless, "PAYMENT_PARTNER"),
                       (provider, "TRAINING_PROVIDER")):  # fmt: skip
        await register(stack, code, kind)
    key = await _pending(stack)
    assert (await _report(stack, provider, key, "SETTLED", ref="X"))["code"] == "FORBIDDEN"
    assert (await _report(stack, nameless, key, "SETTLED", ref="X"))["code"] == "FORBIDDEN"
    assert (await _report(stack, bni, key, "SETTLED", ref="X"))["code"] == "TRANSFER_NOT_FOUND"  # another's
    assert (await _report(stack, ovo, f"{key}x", "SETTLED", ref="X"))["code"] == "TRANSFER_NOT_FOUND"
    assert (await _report(stack, ovo, key, "SETTLED"))["code"] == "INVALID_ARGUMENT"  # no reference
    assert (await _report(stack, ovo, key, "FAILED", reason="no way!"))["code"] == "INVALID_ARGUMENT"
    assert (await _row(stack, key)).status is PaymentStatus.PENDING  # nothing refused changed the books
    assert (await _report(stack, ovo, key, "SETTLED", ref="TRX-OK"))["verdict"] == "APPLIED"  # lower-case ovo- too
