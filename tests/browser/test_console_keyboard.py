"""Keyboard use of the apply form: Tab reaches its fields and the submit button in reading order, and the
focused control shows a visible focus ring."""

from __future__ import annotations

import uuid
from typing import Any

from caseapi.shared.auth import Role
from tests.browser.conftest import MOBILE, signed_in

ORDER = [
    "fullName", "nik", "kkNumber", "dateOfBirth", "sex", "email", "phone",
    "ktpAddress.street", "ktpAddress.provinceCode", "ktpAddress.regencyCode", "sameAddress",
    "education", "employmentStatus", "trainingInterest", "consent",
]  # fmt: skip

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {name: el.name || el.id, type: el.type, outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


async def test_tab_order_reaches_every_apply_field_and_submit(console_url: str, browser: Any) -> None:
    page = await signed_in(browser, console_url, Role.PARTICIPANT, f"kbd-{uuid.uuid4().hex[:8]}", **MOBILE)
    await page.locator("#apply-form").wait_for()
    await page.focus("#apply-form [name=fullName]")
    await page.keyboard.press("Shift+Tab")  # start just before the form, like a user tabbing in
    seen: list[str] = []
    for _ in range(40):  # a date input takes one Tab per segment (day, month, year)
        await page.keyboard.press("Tab")
        focused = await page.evaluate(FOCUSED)
        assert focused["outline"] != "none" and focused["width"] >= 2, focused  # focus is visible
        name = focused["name"] if focused["type"] != "submit" else "submit"
        if not seen or seen[-1] != name:
            seen.append(name)
        if name == "submit":
            break
    assert seen == [*ORDER, "submit"]
    await page.keyboard.press("Enter")  # Enter on submit sends the empty form; the API's problems come back inline
    await page.locator(".field-error:not([hidden])").first.wait_for()
    assert await page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"  # focus moves there
