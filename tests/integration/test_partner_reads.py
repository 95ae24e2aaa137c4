"""Partners read their own records through GraphQL, scoped to the caller; ``me.partnerType`` is the registry's."""

from __future__ import annotations

import uuid

from tests.integration.training_steps import buy, enrolled, market, partner_token

VOUCHER = """query V($c: String!, $s: Int!) { voucherStatus(redeemCode: $c, sequence: $s) {
  __typename ... on RedeemReceipt { redeemCode status attendanceStatus sequence } ... on Error { code } } }"""
PURCHASE = """query P($k: String!) { purchase(idempotencyKey: $k) {
  __typename ... on PurchaseRecord { idempotencyKey voucherCode redeemCode courseCode price status }
  ... on Error { code } } }"""
ME = "query { me { __typename ... on PartnerIdentity { clientCode partnerType } } }"


async def test_providers_and_platforms_read_only_their_own_records(stack):
    m = await market(stack)
    [(token, _)] = await enrolled(stack, 1)
    key = uuid.uuid4().hex
    bought = await buy(stack, m, token, "selfpaced", key=key)
    assert bought["__typename"] == "PurchaseReceipt", bought

    mine = await stack.gql("partner", PURCHASE, {"k": key}, token=partner_token(stack, m.platform))
    assert mine["purchase"] == {
        "__typename": "PurchaseRecord",
        "idempotencyKey": key,
        "voucherCode": bought["voucherCode"],
        "redeemCode": bought["redeemCode"],
        "courseCode": m.courses["selfpaced"]["courseCode"],
        "price": 1_000_000,
        "status": "ACTIVE",
    }
    theirs = await stack.gql("partner", PURCHASE, {"k": key}, token=partner_token(stack, m.other_platform))
    assert theirs["purchase"] == {"__typename": "PurchaseNotFound", "code": "PURCHASE_NOT_FOUND"}
    as_provider = await stack.gql("partner", PURCHASE, {"k": key}, token=partner_token(stack, m.provider))
    assert as_provider["purchase"]["__typename"] == "Forbidden"

    code = bought["redeemCode"]
    status = await stack.gql("partner", VOUCHER, {"c": code, "s": 1}, token=partner_token(stack, m.provider))
    assert status["voucherStatus"]["__typename"] == "RedeemReceipt"
    assert status["voucherStatus"]["redeemCode"] == code and status["voucherStatus"]["sequence"] == 1
    other = await stack.gql("partner", VOUCHER, {"c": code, "s": 1}, token=partner_token(stack, m.other_provider))
    assert other["voucherStatus"]["__typename"] == "RedeemRefused"
    bad = await stack.gql("partner", VOUCHER, {"c": code, "s": 11}, token=partner_token(stack, m.provider))
    assert bad["voucherStatus"] == {"__typename": "InvalidArgument", "code": "INVALID_SEQUENCE"}


async def test_me_reads_the_partner_type_from_the_registry(stack):
    m = await market(stack)
    shown = await stack.gql("partner", ME, token=partner_token(stack, m.provider))
    assert shown["me"] == {"__typename": "PartnerIdentity", "clientCode": m.provider, "partnerType": "TRAINING_PROVIDER"}
    unknown = await stack.gql("partner", ME, token=partner_token(stack, f"nobody-{uuid.uuid4().hex[:6]}"))
    assert unknown["me"]["partnerType"] is None
