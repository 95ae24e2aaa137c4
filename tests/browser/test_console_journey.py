"""The console in Chromium, end to end against the real stack: a participant applies (the API's field errors
shown inline), takes the test and is eligible; staff schedule and close a wave; the participant sees Selected
live; staff find the case and its timeline; a four-eyes action is requested by an operator and approved by a
supervisor. Screenshots of each main page go to test-artifacts/screenshots/; axe finds no serious problems."""

from __future__ import annotations

import re
import uuid
from typing import Any

from playwright.async_api import expect

from adapters.question_bank import FileQuestionBank
from adapters.registries.population import apply_input
from caseapi.shared.auth import Role
from tests.browser.conftest import MOBILE, axe_violations, screenshot, signed_in
from tests.integration.helpers import fresh_clean_person

BANK = FileQuestionBank().current()


async def fill_application(page: Any, data: dict[str, Any]) -> None:
    for name in ("fullName", "nik", "kkNumber", "dateOfBirth", "email", "phone", "trainingInterest"):
        await page.fill(f"[name='{name}']", data[name])
    await page.select_option("[name=sex]", data["sex"])
    await page.fill("[name='ktpAddress.street']", data["ktpAddress"]["street"])
    await page.select_option("[name='ktpAddress.provinceCode']", data["ktpAddress"]["provinceCode"])
    await page.fill("[name='ktpAddress.regencyCode']", data["ktpAddress"]["regencyCode"])
    await page.select_option("[name=education]", data["education"])
    await page.select_option("[name=employmentStatus]", data["employmentStatus"])
    await page.check("[name=consent]")


async def participant_applies_and_passes(browser: Any, base: str, person: Any) -> Any:
    page = await signed_in(browser, base, Role.PARTICIPANT, f"web-{uuid.uuid4().hex[:10]}", **MOBILE)
    await expect(page.locator("#apply-form")).to_be_visible()
    assert await axe_violations(page) == []
    await screenshot(page, "participant-apply")

    data = apply_input(person, request_id="unused")
    # A birth date the NIK does not encode and a short KK number: the API's typed errors show under the fields.
    await fill_application(page, {**data, "dateOfBirth": "1970-01-01", "kkNumber": "12345"})
    await page.click("#apply-submit")
    # In the console's language (Bahasa Indonesia): the API renders field problems from their codes.
    await expect(page.locator("[data-field=dateOfBirth] .field-error")).to_contain_text("pada NIK")
    await expect(page.locator("[data-field=kkNumber] .field-error")).to_contain_text("16 digit")
    await expect(page.locator("[name=kkNumber]")).to_have_attribute("aria-invalid", "true")
    await screenshot(page, "participant-apply-errors")

    await page.fill("[name=dateOfBirth]", data["dateOfBirth"])
    await page.fill("[name=kkNumber]", data["kkNumber"])
    await page.click("#apply-submit")
    await expect(page.locator("#stage")).to_have_attribute("data-stage", "ELIGIBLE", timeout=30_000)
    assert await axe_violations(page) == []

    await page.click("a[href='#/me/test']")
    await expect(page.locator("#test-length")).to_contain_text("18 soal dalam 5 menit")  # the scheme's real length
    await page.click("#test-start")
    # The test session's scheme divides durations by 60, but a person's test keeps its 5-minute floor.
    await expect(page.locator("#countdown")).to_have_text(re.compile(r"^(04:[0-5][0-9]|05:00)$"))
    await screenshot(page, "participant-test")
    assert await axe_violations(page) == []
    for fieldset in await page.locator("fieldset.question").all():
        qid = await fieldset.get_attribute("data-question")
        await fieldset.locator(f"input[data-choice='{BANK.questions[qid].answer}']").check()
    await page.click("#test-submit")
    await expect(page.locator("#test-result")).to_have_attribute("data-status", "PASSED")
    await page.click("a[href='#/me']")
    await expect(page.locator("#test-status")).to_have_text("Lulus")
    return page


async def staff_open_wave(page: Any, province: str) -> str:
    await page.click("a[href='#/staff/waves']")
    form = page.locator("#create-wave")
    wave_id = await form.locator("[name=waveId]").input_value()
    await form.locator("[name=quotas]").fill(f"{province}=3")
    await form.locator("button[type=submit]").click()
    await expect(page.locator("#wave-status")).to_have_attribute("data-status", "OPEN", timeout=30_000)
    return wave_id


async def test_participant_and_staff_journey(stack: Any, console_url: str, browser: Any) -> None:
    person = fresh_clean_person(stack.population)
    me = await participant_applies_and_passes(browser, console_url, person)
    staff = await signed_in(browser, console_url, Role.STAFF, "op-web-1")
    await expect(staff.locator("#funnel svg")).to_be_visible()

    wave_id = await staff_open_wave(staff, person.province_code)
    await screenshot(staff, "staff-wave-open")
    await me.reload()
    join = me.locator(f"button[data-join='{wave_id}']")
    await join.click()
    await expect(me.locator("#stage")).to_have_attribute("data-stage", "IN_WAVE")

    await staff.fill("#close-wave [name=reason]", "enough joiners for the browser test")
    await staff.click("#close-wave button[type=submit]")
    await expect(staff.locator("#wave-status")).to_have_attribute("data-status", "ANNOUNCED", timeout=30_000)
    await screenshot(staff, "staff-wave-announced")
    assert await axe_violations(staff) == []

    # No reload: the myCaseStatus subscription redraws the dashboard.
    await expect(me.locator(f"tr[data-wave='{wave_id}'] .wave-outcome")).to_have_text(
        "Lulus (terpilih)", timeout=30_000
    )
    await screenshot(me, "participant-selected")
    await me.click("#lang")
    await expect(me.locator(f"tr[data-wave='{wave_id}'] .wave-outcome")).to_have_text("Selected")

    # Staff find the case by name and open its timeline.
    await staff.click("a[href='#/staff/cases']")
    await staff.fill("#case-search [name=namePrefix]", person.full_name)
    await staff.fill("#case-search [name=provinceCode]", person.province_code)
    await staff.click("#search-submit")
    await staff.locator("#case-results a", has_text=person.full_name).first.click()
    await expect(staff.locator("#timeline li").first).to_be_visible()
    assert await staff.locator("#timeline a[href*='/namespaces/']").count() > 0  # links into the Temporal UI
    await expect(staff.locator("#case-stage")).to_have_text("Kartu aktif", timeout=30_000)
    await screenshot(staff, "staff-case-timeline")
    assert await axe_violations(staff) == []

    # Four eyes: the operator asks to revoke the card; a supervisor approves it.
    await staff.select_option("#request-action [name=action]", "REVOKE")
    await staff.select_option("#request-action [name=reasonCode]", "FRAUD_SUSPECTED")
    await staff.fill("#request-action [name=reason]", "card sold on a marketplace (browser test)")
    await staff.click("#request-action button[type=submit]")
    await expect(staff.locator("#action-result [data-status]")).to_have_attribute("data-status", "PENDING")

    supervisor = await signed_in(browser, console_url, Role.SUPERVISOR, "sup-web-1")
    await supervisor.click("a[href='#/staff/actions']")
    request = supervisor.locator("li.request", has_text="card sold on a marketplace (browser test)")
    await expect(request).to_be_visible()
    await screenshot(supervisor, "staff-approvals")
    assert await axe_violations(supervisor) == []
    await request.locator("button[data-approve]").click()
    await expect(supervisor.locator("#approve-result")).to_have_attribute("data-status", "EXECUTED")
    await expect(me.locator("#stage")).to_have_attribute("data-stage", "REVOKED", timeout=30_000)

    await supervisor.click("a[href='#/staff/funnel']")
    await expect(supervisor.locator("tr[data-step=SELECTED] td.num").first).not_to_have_text("0")
    await screenshot(supervisor, "staff-funnel")
    assert await axe_violations(supervisor) == []
    for page in (me, staff, supervisor):
        assert page.console_errors == [], page.console_errors
