"""The console's development inbox in Chromium: from the sign-in screen to the SMS and e-mails sent, OTPs included,
filtered by a phone number typed any common way."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from playwright.async_api import expect

from adapters.db.outbox import PgOutbox
from domain.notifications import Channel, Notification
from tests.browser.conftest import DESKTOP, axe_violations, screenshot


async def test_the_dev_inbox_page_shows_sent_messages_with_otps(stack: Any, console_url: str, browser: Any) -> None:
    case_id = f"web-inbox-{uuid.uuid4().hex[:8]}"
    now = dt.datetime.now(dt.UTC)
    phone = f"+62812{uuid.uuid4().int % 10**8:08d}"
    otp = Notification(f"{case_id}:OTP", case_id, Channel.SMS, phone, "PURCHASE_OTP", "Kode OTP Anda: 135790", now)
    await PgOutbox(stack.engine).add((otp,))
    ctx = await browser.new_context(base_url=console_url, locale="id-ID", **DESKTOP)
    page = await ctx.new_page()
    await page.goto("/#/signin")
    await page.click("#dev-inbox-link")
    await expect(page.locator("#dev-inbox")).to_be_visible()
    await page.fill("#dev-inbox-filter [name=to]", "0" + phone[3:7] + "-" + phone[7:])  # as a person types it
    await page.click("#dev-inbox-filter button[type=submit]")
    row = page.locator("#dev-inbox tbody tr")
    await expect(row).to_have_count(1)
    await expect(row.locator(".body")).to_have_text("Kode OTP Anda: 135790")
    await expect(row.locator(".recipient")).to_have_text(phone)
    await screenshot(page, "dev-inbox")
    assert await axe_violations(page) == []
    await ctx.close()
