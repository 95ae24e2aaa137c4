"""The participant's pages in Chromium read Bahasa Indonesia everywhere, including what the API says (decisions,
rule reasons, wave reasons, next action, notifications, field errors); the language switch turns them English.

A page "has an English sentence" when its visible text contains a word of a small English stop-list
(``tests.english_words``): "the", "your", "was", "will", "is", "and"…
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from playwright.async_api import expect

from caseapi.shared.auth import Role
from domain.payouts.tranches import Provider
from tests.browser.conftest import screenshot, signed_in
from tests.browser.test_console_journey import participant_applies_and_passes, staff_open_wave
from tests.english_words import english_words
from tests.integration.helpers import fresh_clean_person
from tests.integration.test_payouts_api import person_of, trained
from tests.integration.training_queries import RATE

PAGES = ["#/me", "#/me/test", "#/me/money", "#/me/jobs", "#/me/inbox"]


async def visible_text(page: Any, hash_: str) -> str:
    """The page's visible text once its data has loaded, with every collapsed detail (rule reasons) opened."""
    await page.goto(f"/{hash_}")
    await expect(page.locator("#app")).not_to_contain_text("Memuat")
    await expect(page.locator("#app")).not_to_contain_text("Loading")
    await page.wait_for_load_state("networkidle")
    await page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    return await page.evaluate("() => document.body.innerText")


def english_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if english_words(line)]


async def enrolled_participant(stack: Any, base: str, browser: Any) -> Any:
    """A participant who applied (field errors seen in Indonesian), passed the test, joined a wave and was
    selected; the card is active."""
    person = fresh_clean_person(stack.population)
    me = await participant_applies_and_passes(browser, base, person)
    staff = await signed_in(browser, base, Role.STAFF, "op-lang-1")
    wave_id = await staff_open_wave(staff, person.province_code)
    await me.reload()
    await me.locator(f"button[data-join='{wave_id}']").click()
    await expect(me.locator("#stage")).to_have_attribute("data-stage", "IN_WAVE")
    await staff.fill("#close-wave [name=reason]", "bahasa test")
    await staff.click("#close-wave button[type=submit]")
    await expect(staff.locator("#wave-status")).to_have_attribute("data-status", "ANNOUNCED", timeout=30_000)
    await expect(me.locator("#stage")).to_have_attribute("data-stage", "ENROLLED", timeout=30_000)
    await staff.context.close()
    return me


async def test_participant_pages_have_no_english_sentence_then_switch_to_english(
    stack: Any, console_url: str, browser: Any
) -> None:
    me = await enrolled_participant(stack, console_url, browser)

    seen: dict[str, str] = {}
    for hash_ in PAGES:
        seen[hash_] = await visible_text(me, hash_)
        assert english_lines(seen[hash_]) == [], (hash_, english_lines(seen[hash_]))
    home = seen["#/me"]
    assert "Beli pelatihan pertama di platform digital sebelum" in home  # the next action, from the API
    assert "Lolos melalui undian gelombang" in home  # the wave's reason
    assert "Memenuhi syarat: semua pemeriksaan data lolos." in home  # a decision's summary
    assert "Usia " in home and "menurut Dukcapil" in home  # a rule's reason
    assert "Selamat! Kartu Prakerja" in seen["#/me/inbox"]  # the SMS as sent
    await visible_text(me, "#/me")
    await screenshot(me, "participant-bahasa")

    await me.click("#lang")
    await expect(me.locator("html")).to_have_attribute("lang", "en")
    english = await visible_text(me, "#/me")
    assert "Buy your first training on a digital platform before" in english
    assert "Selected by the wave's lottery within your province's quota." in english
    assert "Eligible: every registry check passed." in english
    assert "by Dukcapil's date of birth" in english
    assert "Beli pelatihan pertama" not in english
    await screenshot(me, "participant-english")
    inbox = await visible_text(me, "#/me/inbox")
    assert "Congratulations! Kartu Prakerja" in inbox and "Selamat!" not in inbox  # the stored SMS, re-rendered

    await me.click("#lang")  # and back: the choice is the console's, kept in localStorage
    await expect(me.locator("html")).to_have_attribute("lang", "id")
    assert english_lines(await visible_text(me, "#/me")) == []
    assert me.console_errors == [], me.console_errors


def subject_of(token: str) -> str:
    """The account a participant token was minted for (the dev sign-in takes it)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]


async def test_a_certified_participant_links_an_account_in_indonesian(
    stack: Any, console_url: str, browser: Any
) -> None:
    """Training, rating, a refused link (the partner's typed error) and the incentive schedule, all in Indonesian."""
    token, case, voucher = await trained(stack)
    person = person_of(stack, case["id"])
    await stack.gql("participant", RATE, {"v": voucher, "s": 5, "r": "Bermanfaat"}, token=token)
    me = await signed_in(browser, console_url, Role.PARTICIPANT, subject_of(token))

    money = await visible_text(me, "#/me/money")
    assert english_lines(money) == [], english_lines(money)
    home = await visible_text(me, "#/me")
    assert "Untuk menerima insentif: hubungkan rekening bank atau e-wallet" in home
    assert english_lines(home) == [], english_lines(home)

    await me.goto("/#/me/money")
    wallet = f"0819{uuid.uuid4().int % 10**8:08d}"
    await me.select_option("#link-form [name=provider]", "GOPAY")
    await me.fill("#link-form [name=accountNumber]", wallet)
    await me.click("#link-form button[type=submit]")
    await expect(me.locator("#link-form")).to_contain_text(
        "Rekening atau e-wallet tidak ditemukan di mitra pembayaran."
    )
    await expect(me.locator("#link-form")).to_contain_text("(ACCOUNT_NOT_FOUND)")

    await stack.partner.open_account(Provider.GOPAY, wallet, person.nik, person.full_name)
    await me.click("#link-form button[type=submit]")  # the same request, now that the wallet exists
    await expect(me.locator("#link-form")).to_have_count(0)
    money = await visible_text(me, "#/me/money")
    for _ in range(100):  # the workflow schedules the incentives just after the link
        if "Rp600.000" in money:
            break
        await me.wait_for_timeout(200)
        await me.reload()
        money = await visible_text(me, "#/me/money")
    assert "Rp600.000" in money and english_lines(money) == [], english_lines(money)
    home = await visible_text(me, "#/me")
    assert "Insentif berikutnya: Rp600.000 dibayarkan pada" in home
    assert "Insentif dijadwalkan: total Rp700.000 bila semua survei diisi." in home
    assert english_lines(home) == [], english_lines(home)
    inbox = await visible_text(me, "#/me/inbox")
    assert "Jadwal insentif Anda sudah terbit." in inbox and english_lines(inbox) == []
    await screenshot(me, "participant-incentives-bahasa")

    await me.click("#lang")
    home = await visible_text(me, "#/me")
    assert "Next incentive: Rp600.000 is paid on" in home
    assert "Incentives scheduled: Rp700.000 in total when every survey is answered." in home
    assert me.console_errors == [], me.console_errors
