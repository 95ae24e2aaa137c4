"""Issue 24's "Done when": one participant, in Chromium and in Bahasa Indonesia only (no language switch), from
the application through a failed payout, a relink of the same account once the partner opened it again, and the
incentive paid.

The journey runs on a small ``LOADTEST_2023`` stack (``journey_stack.py``: incentives due seconds after the
prerequisites) over the session's PostgreSQL and Temporal. The participant's own steps happen in the browser:
apply, take the test, join the wave, rate the training, link, unlink and relink the account. What partners and
staff do on their own screens goes through their APIs: the wave is opened and closed by staff; the training is
bought, redeemed, completed and certified by the platform, the provider and staff; the payment partner closes
the e-wallet (so the first transfer is refused with ``ACCOUNT_CLOSED``, a relink-type refusal) and opens it again.
Every page the participant sees is checked for English stop-words; screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import expect

from adapters.question_bank import FileQuestionBank
from adapters.registries.population import apply_input
from caseapi.shared.auth import Role
from domain.payouts.tranches import Provider
from settings import Settings
from tests.browser.conftest import MOBILE, screenshot, signed_in
from tests.browser.journey_stack import Served, loadtest_stack
from tests.browser.test_console_journey import fill_application
from tests.browser.test_console_language import english_lines, visible_text
from tests.integration.helpers import fresh_clean_person
from tests.integration.queries import CLOSE_WAVE
from tests.integration.training_steps import certified, market
from tests.integration.wave_steps import create_wave, wait_wave

BANK = FileQuestionBank().current()
PAGES = ("#/me", "#/me/test", "#/me/money", "#/me/jobs", "#/me/inbox")
BUDGET_SECONDS = 180
RAW_CODES = {"CERTIFIED", "SELF_PACED", "CREDIT", "DEBIT", "JOB_SEARCH", "SURVEY", "FAILED", "PAID"}
"""Codes the money page once showed as sent (English words a stop-list does not catch)."""


@pytest_asyncio.fixture(scope="module")
async def journey(settings: Settings) -> AsyncIterator[Served]:
    async with loadtest_stack(settings) as served:
        yield served


class Bahasa:
    """The participant's pages, each read as shown and checked for English; remembers which were seen."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.seen: set[str] = set()

    async def read(self, hash_: str, shot: str | None = None) -> str:
        """Open ``hash_`` (reloaded when already open: a same-hash navigation redraws nothing) and check it."""
        if self.page.url.endswith(hash_):
            await self.page.reload()
        text = await visible_text(self.page, hash_)
        assert english_lines(text) == [], (hash_, english_lines(text))
        self.seen.add(hash_)
        if shot:
            await screenshot(self.page, shot)
        return text

    async def current(self, shot: str) -> str:
        """The page as it stands (no navigation): forms and results that a reload would not show again."""
        text = await self.page.evaluate("() => document.body.innerText")
        assert english_lines(text) == [], (shot, english_lines(text))
        await screenshot(self.page, shot)
        return text

    async def until(self, hash_: str, selector: str, *, within: float = 30.0) -> str:
        """Re-read ``hash_`` until ``selector`` shows (the money page has no live subscription)."""
        deadline = time.monotonic() + within
        while True:
            text = await self.read(hash_)
            if await self.page.locator(selector).count():
                return text
            assert time.monotonic() < deadline, f"{selector} never showed on {hash_}:\n{text}"
            await self.page.wait_for_timeout(300)


async def apply_and_pass(me: Bahasa, person: Any) -> None:
    page = me.page
    await expect(page.locator("#apply-form")).to_be_visible()
    await me.current("journey-01-apply")
    await fill_application(page, apply_input(person, request_id="unused"))
    await page.click("#apply-submit")
    await expect(page.locator("#stage")).to_have_attribute("data-stage", "ELIGIBLE", timeout=30_000)
    home = await me.read("#/me", "journey-02-eligible")
    assert "Memenuhi syarat: semua pemeriksaan data lolos." in home

    await me.read("#/me/test")
    await expect(page.locator("#test-length")).to_contain_text("25 menit")  # LOADTEST keeps the real test length
    await page.click("#test-start")
    await expect(page.locator("fieldset.question").first).to_be_visible()
    await me.current("journey-03-test")
    for fieldset in await page.locator("fieldset.question").all():
        qid = await fieldset.get_attribute("data-question")
        await fieldset.locator(f"input[data-choice='{BANK.questions[qid].answer}']").check()
    await page.click("#test-submit")
    await expect(page.locator("#test-result")).to_have_attribute("data-status", "PASSED")
    await me.current("journey-04-passed")


async def join_selected_wave(me: Bahasa, stack: Any, province: str) -> None:
    """Staff open a wave for the province; the participant joins it in the browser; staff close it."""
    wave_id = await create_wave(stack, {province: 1})
    await wait_wave(stack, wave_id, "OPEN")
    await me.read("#/me")
    await me.page.locator(f"button[data-join='{wave_id}']").click()
    await expect(me.page.locator("#stage")).to_have_attribute("data-stage", "IN_WAVE")
    closed = await stack.gql(
        "staff", CLOSE_WAVE, {"id": wave_id, "reason": "journey test"}, token=stack.token(Role.STAFF)
    )
    assert closed["closeWave"]["__typename"] == "Wave", closed
    await wait_wave(stack, wave_id, "ANNOUNCED")
    await expect(me.page.locator("#stage")).to_have_attribute("data-stage", "ENROLLED", timeout=30_000)
    home = await me.read("#/me", "journey-05-enrolled")
    assert "Lolos melalui undian gelombang" in home


async def link(page: Any, wallet: str) -> None:
    form = page.locator("#link-form")
    await form.locator("[name=provider]").select_option("GOPAY")
    await form.locator("[name=accountNumber]").fill(wallet)
    await form.locator("button[type=submit]").click()
    await expect(form).to_have_count(0)


async def test_one_participant_from_apply_to_an_incentive_paid_after_a_relink(journey: Served, browser: Any) -> None:
    started = time.monotonic()
    stack, partner = journey.stack, journey.stack.partner
    person = fresh_clean_person(stack.population)
    subject = f"journey-{uuid.uuid4().hex[:10]}"
    me = Bahasa(await signed_in(browser, journey.url, Role.PARTICIPANT, subject, **MOBILE))
    token = stack.token(Role.PARTICIPANT, subject=subject)  # the same account, for the partners' API steps

    await apply_and_pass(me, person)
    await join_selected_wave(me, stack, person.province_code)

    # The platform sells the course (OTP read from the SMS), the provider redeems and completes, staff certify.
    voucher = await certified(stack, await market(stack), token)
    money = await me.read("#/me/money", "journey-06-certified")
    assert voucher in money
    assert "(Belajar mandiri) — Bersertifikat" in money and "Saldo masuk" in money and "Pembelian" in money, money
    assert not RAW_CODES & set(money.split()), RAW_CODES & set(money.split())

    # The participant links an e-wallet the partner knows (own NIK, KYC-verified)...
    wallet = f"0813{uuid.uuid4().int % 10**8:08d}"
    await partner.open_account(Provider.GOPAY, wallet, person.nik, person.full_name)
    await link(me.page, wallet)
    await me.read("#/me/money", "journey-07-linked")
    # ...which the partner then closes: the transfer due once the training is rated will be refused.
    await partner.close_account(Provider.GOPAY, wallet)

    rate = me.page.locator("form:has([name=stars])")
    await rate.locator("[name=stars]").select_option("5")
    await rate.locator("[name=review]").fill("Materinya bermanfaat untuk usaha saya")
    await rate.locator("button[type=submit]").click()
    await expect(rate).to_have_count(0)

    # The failed payout, explained in Indonesian: on the money page, as the next action, and as an SMS.
    money = await me.until("#/me/money", "#relink-alert")
    assert "Pencairan gagal" in money and "rekening sudah ditutup" in money, money
    assert "Insentif pencarian kerja" in money and "Gagal" in money
    assert not RAW_CODES & set(money.split()), RAW_CODES & set(money.split())
    await screenshot(me.page, "journey-08-payout-failed")
    home = await me.read("#/me", "journey-09-failed-next-action")
    assert "rekening sudah ditutup" in home, home
    inbox = await me.read("#/me/inbox")
    assert "rekening sudah ditutup" in inbox, inbox
    assert [t.code for t in await partner.transfers() if t.account_number == wallet] == ["ACCOUNT_CLOSED"]

    # The participant opens the e-wallet again at the partner, then relinks the same number in the browser.
    await partner.open_account(Provider.GOPAY, wallet, person.nik, person.full_name)
    await me.read("#/me/money")
    await me.page.get_by_role("button", name="Putuskan akun").click()
    await expect(me.page.locator("#link-form button[type=submit]")).to_have_text("Hubungkan ulang akun")
    await me.current("journey-10-relink")
    await link(me.page, wallet)

    deadline = time.monotonic() + 30
    while "Sudah cair: Rp600.000" not in (money := await me.read("#/me/money")):
        assert time.monotonic() < deadline, money
        await me.page.wait_for_timeout(300)
    assert await me.page.locator("#relink-alert").count() == 0
    await screenshot(me.page, "journey-11-paid")
    # A phone's layout viewport widens to fit the content: compare with the device's width.
    overflow = await me.page.evaluate("() => document.documentElement.scrollWidth") - MOBILE["viewport"]["width"]
    assert overflow <= 0, f"the money page is {overflow}px wider than the phone"
    transfers = [t for t in await partner.transfers() if t.account_number == wallet]
    assert [(t.code, t.amount) for t in transfers] == [("ACCOUNT_CLOSED", 600_000), (None, 600_000)], transfers
    inbox = await me.read("#/me/inbox", "journey-12-inbox")
    assert "Insentif pencarian kerja Rp600.000 telah ditransfer" in inbox, inbox
    await me.read("#/me/jobs")

    assert me.seen >= set(PAGES), me.seen
    assert me.page.console_errors == [], me.page.console_errors
    assert time.monotonic() - started < BUDGET_SECONDS


pytestmark = pytest.mark.timeout(BUDGET_SECONDS + 60)
