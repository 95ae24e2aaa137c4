"""A partner that sends the same report three times, concurrently, and out of order: one redemption, one
completion, typed refusals for the report that came too early, and the ledger stays balanced."""

from __future__ import annotations

import asyncio
import uuid

from tests.integration.training_queries import CONFIRM_COMPLETION, MY_TRAINING, REDEEM, REPORT_COMPLETION
from tests.integration.training_steps import buy, enrolled, ledger_problems, market, partner_token


async def test_the_same_reports_three_times_concurrently_and_out_of_order(stack):
    m = await market(stack)
    [(token, _)] = await enrolled(stack, 1)
    receipt = await buy(stack, m, token, "selfpaced")
    voucher = receipt["voucherCode"]
    provider, platform = partner_token(stack, m.provider), partner_token(stack, m.platform)

    early = await stack.gql("partner", CONFIRM_COMPLETION, {"v": voucher}, token=platform)  # before the report
    assert early["confirmCompletion"]["__typename"] == "TrainingActionRefused"
    premature = await stack.gql("partner", REPORT_COMPLETION, {"v": voucher}, token=provider)  # before redeeming
    assert premature["reportCompletion"]["__typename"] == "TrainingActionRefused"

    redeem = {"code": receipt["redeemCode"], "key": uuid.uuid4().hex, "seq": 1, "type": None}
    answers = await asyncio.gather(*(stack.gql("partner", REDEEM, redeem, token=provider) for _ in range(3)))
    assert len({str(a["redeemVoucher"]) for a in answers}) == 1, answers  # the same answer three times
    reports = await asyncio.gather(
        *(stack.gql("partner", REPORT_COMPLETION, {"v": voucher}, token=provider) for _ in range(3))
    )
    assert {r["reportCompletion"]["status"] for r in reports} == {"COMPLETION_REPORTED"}
    confirms = await asyncio.gather(
        *(stack.gql("partner", CONFIRM_COMPLETION, {"v": voucher}, token=platform) for _ in range(3))
    )
    assert {c["confirmCompletion"]["status"] for c in confirms} == {"VERIFYING"}

    case = (await stack.gql("participant", MY_TRAINING, token=token))["myCase"]
    [training] = case["trainings"]
    assert [a["sequence"] for a in training["attendance"]] == [1]
    assert [e["kind"] for e in case["ledger"]] == ["CREDIT", "DEBIT"]
    assert await ledger_problems(stack) == []
