"""The console's what-if in Chromium against the real stack: staff open a decided wave, run its lottery again with
its own parameters (exactly the real selection) and with one province's quota at 0 (side by side per province)."""

from __future__ import annotations

import random
from typing import Any

from playwright.async_api import expect

from adapters.db.selection import PgSelection
from caseapi.shared.auth import Role
from tests.browser.conftest import axe_violations, screenshot, signed_in
from tests.selection.test_sql import make_wave


async def test_staff_see_a_what_if_beside_the_real_selection(stack: Any, console_url: str, browser: Any) -> None:
    wave = await make_wave(stack.engine, random.Random(91), size=600)
    await PgSelection(stack.engine).run(wave.wave_id, max_per_kk=2)
    shut = max(wave.inp.quotas, key=lambda p: wave.inp.quotas[p] if p != "11" else -1)
    staff = await signed_in(browser, console_url, Role.STAFF, "policy-web-1")
    await staff.click("a[href='#/staff/waves']")
    await staff.click(f"tr[data-wave='{wave.wave_id}'] button")

    await staff.click("#what-if button[type=submit]")  # the wave's own parameters
    result = staff.locator("#what-if-result [data-status=DONE]")
    await expect(result.locator("caption")).to_have_text("Sama persis dengan hasil nyata")
    total = result.locator("tr[data-province=total]")
    assert await total.locator(".real-selected").inner_text() == await total.locator(".what-if-selected").inner_text()

    await staff.fill("#what-if [name=whatIfQuotas]", f"{shut}=0")
    await staff.click("#what-if button[type=submit]")
    await expect(result.locator("caption")).to_have_text("Hasil nyata dan simulasi berdampingan")
    row = result.locator(f"tr[data-province='{shut}']")
    assert int(await row.locator(".what-if-selected").inner_text()) < int(
        await row.locator(".real-selected").inner_text()
    )
    await screenshot(staff, "staff-what-if")
    assert await axe_violations(staff) == []
    assert staff.console_errors == []
