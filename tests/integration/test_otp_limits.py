"""The purchase OTP cannot be guessed: three wrong codes void a challenge, a void challenge refuses even the right
code, and a card is sent at most five OTPs an hour; the right code on a live challenge still buys, once."""

from __future__ import annotations

import uuid

from tests.integration.training_queries import PURCHASE
from tests.integration.training_steps import (
    card_of,
    enrolled,
    latest_otp,
    ledger_problems,
    market,
    partner_token,
    request_otp,
)


async def _purchase(stack, m, card: str, otp: str, key: str) -> dict:
    c = m.courses["selfpaced"]
    inp = {"cardNumber": card, "courseCode": c["courseCode"], "price": c["price"], "otp": otp, "idempotencyKey": key}
    result = await stack.gql("partner", PURCHASE, {"input": inp}, token=partner_token(stack, m.platform))
    return result["purchaseTraining"]


def _wrong(right: str, n: int) -> str:
    return f"{(int(right) + n) % 1_000_000:06d}"


async def test_wrong_codes_void_the_challenge_and_requests_are_rate_limited(stack):
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    card = await card_of(stack, token)
    assert (await request_otp(stack, m, card, "selfpaced"))["__typename"] == "OtpChallengeSent"
    right = await latest_otp(stack, case["id"])
    key = uuid.uuid4().hex
    codes = [(await _purchase(stack, m, card, _wrong(right, n), key)) for n in (1, 2, 3)]
    assert [c["code"] for c in codes] == ["OTP_INVALID", "OTP_INVALID", "OTP_ATTEMPTS_EXCEEDED"], codes
    assert "2 attempt" in codes[0]["message"] and "1 attempt" in codes[1]["message"]
    void = await _purchase(stack, m, card, right, key)
    assert void["code"] == "OTP_ATTEMPTS_EXCEEDED", void  # the right code no longer opens a void challenge

    # A brute force across new challenges runs into the rate limit long before it could cover the code space.
    guesses = 0
    for _ in range(4):  # the first challenge counts: four more make five this hour
        assert (await request_otp(stack, m, card, "selfpaced"))["__typename"] == "OtpChallengeSent"
        for n in range(3):
            guess = f"{(guesses * 7919 + n) % 1_000_000:06d}"
            if guess == await latest_otp(stack, case["id"]):
                continue  # never the real one: this loop proves the limit, not luck
            assert (await _purchase(stack, m, card, guess, uuid.uuid4().hex))["__typename"] == "PurchaseRefused"
            guesses += 1
    limited = await request_otp(stack, m, card, "selfpaced")
    assert limited["code"] == "OTP_RATE_LIMITED", limited
    shown = (await stack.gql("participant", "query { myCase { ... on Case { trainings { voucherCode } } } }",
                             token=token))["myCase"]["trainings"]  # fmt: skip
    assert shown == []  # nothing bought, nothing debited
    assert await ledger_problems(stack) == []


async def test_the_right_code_after_a_wrong_one_buys_once(stack):
    m = await market(stack)
    [(token, case)] = await enrolled(stack, 1)
    card = await card_of(stack, token)
    await request_otp(stack, m, card, "selfpaced")
    right = await latest_otp(stack, case["id"])
    key = uuid.uuid4().hex
    assert (await _purchase(stack, m, card, _wrong(right, 5), key))["code"] == "OTP_INVALID"
    bought = await _purchase(stack, m, card, right, key)
    assert bought["__typename"] == "PurchaseReceipt", bought
    again = await _purchase(stack, m, card, right, key)
    assert again == bought
    assert await ledger_problems(stack) == []
