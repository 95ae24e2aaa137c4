"""Notifications to participants (SMS and email), written to an outbox and sent by a dispatcher."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.clawback.saga import REASON_CODES
from domain.texts.format import rupiah as rupiah
from domain.texts.lang import DEFAULT_LANG, Lang
from domain.texts.render import render
from domain.texts.text import text


class Channel(StrEnum):
    SMS = "SMS"
    EMAIL = "EMAIL"


@dataclass(frozen=True, slots=True)
class Notification:
    dedupe_key: str
    """``<case>:<kind>[:<n>]``: written once however often the workflow retries."""
    case_id: str
    channel: Channel
    recipient: str
    """Phone number or e-mail address (held only in the outbox, never in logs)."""
    kind: str
    """``ENROLLED``, ``PURCHASE_REMINDER``, ``CARD_REVOKED``, ``PURCHASE_OTP``…"""
    body: str
    created_at: dt.datetime
    sent_at: dt.datetime | None = None
    status: str = "PENDING"
    """``PENDING`` | ``SENT`` | ``FAILED`` (after the dispatcher's last attempt)."""


# Bodies come from the catalogue (``notify.<kind>``), in the participant's language: Indonesian unless they chose
# English. OTPs, amounts and times are formatted as Indonesians read them (WIB).


def enrolled_text(card_number: str, balance: int, deadline: dt.datetime, lang: Lang = DEFAULT_LANG) -> str:
    return render(text("notify.ENROLLED", card=card_number, balance=balance, deadline=deadline), lang)


def reminder_text(deadline: dt.datetime, lang: Lang = DEFAULT_LANG) -> str:
    return render(text("notify.PURCHASE_REMINDER", deadline=deadline), lang)


def revoked_text(forfeited: int, lang: Lang = DEFAULT_LANG) -> str:
    return render(text("notify.CARD_REVOKED", forfeited=forfeited), lang)


def otp_text(otp: str, course_title: str, price: int, lang: Lang = DEFAULT_LANG) -> str:
    return render(text("notify.PURCHASE_OTP", otp=otp, title=course_title, price=price), lang)


def purchased_text(course_title: str, redeem_code: str, lang: Lang = DEFAULT_LANG) -> str:
    return render(text("notify.PURCHASED", title=course_title, code=redeem_code), lang)


def certificate_text(course_title: str, serial: str, lang: Lang = DEFAULT_LANG) -> str:
    return render(text("notify.CERTIFICATE", title=course_title, serial=serial), lang)


def schedule_text(first_amount: int, first_due: dt.datetime, lang: Lang = DEFAULT_LANG) -> str:
    return render(text("notify.INCENTIVES_SCHEDULED", amount=first_amount, due=first_due), lang)


def paid_text(amount: int, kind: str, masked_account: str, lang: Lang = DEFAULT_LANG) -> str:
    code = "notify.INCENTIVE_PAID.JOB_SEARCH" if kind == "JOB_SEARCH" else "notify.INCENTIVE_PAID.SURVEY"
    return render(text(code, amount=amount, account=masked_account), lang)


def payout_failed_text(amount: int, reason_code: str, lang: Lang = DEFAULT_LANG) -> str:
    """``reason_code`` is a catalogue code (``failure.<partner code>``)."""
    return render(text("notify.PAYOUT_FAILED", amount=amount, reason=reason_code), lang)


def survey_open_text(due: dt.datetime, lang: Lang = DEFAULT_LANG) -> str:
    return render(text("notify.SURVEY_OPEN", due=due), lang)


def clawback_text(amount: int, due: dt.datetime, reason: str, lang: Lang = DEFAULT_LANG) -> str:
    """``reason`` is an audit reason code, or the English line ``domain.clawback.saga.reason_text`` gives for one
    (what workflows pass), or the auditor's own words (shown as written)."""
    code = reason if reason in REASON_CODES else next((c for c, t in REASON_CODES.items() if t == reason), None)
    shown = render(text(f"audit.{code}"), lang) if code is not None else reason
    return render(text("notify.CLAWBACK", amount=amount, due=due, reason=shown), lang)
