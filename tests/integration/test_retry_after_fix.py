"""A refusal that depends on the outside world is not stored under an ID the person sends again: refused, the
outside state fixed, the very same request accepted (issue: the stuck relink)."""

from __future__ import annotations

import uuid

from domain.payouts.tranches import Provider
from tests.integration.payout_queries import LINK
from tests.integration.queries import JOIN_WAVE
from tests.integration.test_payouts_api import op, person_of, trained
from tests.integration.wave_steps import create_wave, people_in, province_with, ready, wait_wave


async def test_link_refused_then_the_account_opened_then_the_same_request_links(stack):
    token, case, _ = await trained(stack)
    person = person_of(stack, case["id"])
    wallet = f"0813{uuid.uuid4().int % 10**8:08d}"
    refused = await op(stack, "participant", LINK, {"p": "DANA", "n": wallet}, token=token)
    assert refused["code"] == "ACCOUNT_NOT_FOUND"
    await stack.partner.open_account(Provider.DANA, wallet, person.nik, person.full_name, kyc_verified=False)
    not_kyc = await op(stack, "participant", LINK, {"p": "DANA", "n": wallet}, token=token)
    assert not_kyc["code"] == "KYC_NOT_VERIFIED"
    await stack.partner.verify_kyc(Provider.DANA, wallet)
    linked = await op(stack, "participant", LINK, {"p": "DANA", "n": wallet}, token=token)
    assert linked["__typename"] == "PayoutAccount", linked
    again = await op(stack, "participant", LINK, {"p": "DANA", "n": wallet}, token=token)
    assert again == linked  # a retry after success is answered the same, and links nothing twice


async def test_join_refused_before_the_wave_opens_then_the_same_request_joins(stack):
    home = province_with(stack, 12)
    [person] = people_in(stack, home, 1, skip=3)
    token = await ready(stack, person)
    wave = await create_wave(stack, {home: 10}, opens_in=4)
    early = (await stack.gql("participant", JOIN_WAVE, {"id": wave}, token=token))["joinWave"]
    assert early["__typename"] == "WaveNotOpen", early
    await wait_wave(stack, wave, "OPEN")
    joined = (await stack.gql("participant", JOIN_WAVE, {"id": wave}, token=token))["joinWave"]
    assert joined["__typename"] == "WaveHistoryEntry", joined
    again = (await stack.gql("participant", JOIN_WAVE, {"id": wave}, token=token))["joinWave"]
    assert again == joined
