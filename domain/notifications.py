"""Notifications to participants (SMS and email), written to an outbox and sent by a dispatcher."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.clawback.saga import REASON_CODES
from domain.texts.format import rupiah as rupiah
from domain.texts.lang import DEFAULT_LANG, Lang
from domain.texts.render import render
from domain.texts.text import Text, text


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
    text: Text | None = None
    """``body`` as a catalogue code and parameters, so the participant can read it again in another language
    (``None`` for messages written before the catalogue, and for OTPs: a code is never kept as a parameter)."""


# Bodies are catalogue texts (``notify.<kind>``): the workflow keeps the text with the message and sends it rendered
# in the participant's language, Bahasa Indonesia (``body_of``); amounts and times as Indonesians read them (WIB).


def body_of(message: str | Text, lang: Lang = DEFAULT_LANG) -> tuple[str, Text | None]:
    """The body to send and the text to keep with it."""
    if isinstance(message, Text):
        return render(message, lang), message
    return message, None


def enrolled_text(card_number: str, balance: int, deadline: dt.datetime) -> Text:
    return text("notify.ENROLLED", card=card_number, balance=balance, deadline=deadline)


def reminder_text(deadline: dt.datetime) -> Text:
    return text("notify.PURCHASE_REMINDER", deadline=deadline)


def revoked_text(forfeited: int) -> Text:
    return text("notify.CARD_REVOKED", forfeited=forfeited)


def otp_text(otp: str, course_title: str, price: int, lang: Lang = DEFAULT_LANG) -> str:
    return render(text("notify.PURCHASE_OTP", otp=otp, title=course_title, price=price), lang)


def purchased_text(course_title: str, redeem_code: str) -> Text:
    return text("notify.PURCHASED", title=course_title, code=redeem_code)


def certificate_text(course_title: str, serial: str) -> Text:
    return text("notify.CERTIFICATE", title=course_title, serial=serial)


def schedule_text(first_amount: int, first_due: dt.datetime) -> Text:
    return text("notify.INCENTIVES_SCHEDULED", amount=first_amount, due=first_due)


def paid_text(amount: int, kind: str, masked_account: str) -> Text:
    code = "notify.INCENTIVE_PAID.JOB_SEARCH" if kind == "JOB_SEARCH" else "notify.INCENTIVE_PAID.SURVEY"
    return text(code, amount=amount, account=masked_account)


def transfer_pending_text(amount: int, kind: str) -> Text:
    """The partner accepted the transfer and settles it later (an asynchronous bank or e-wallet)."""
    code = "notify.INCENTIVE_PENDING.JOB_SEARCH" if kind == "JOB_SEARCH" else "notify.INCENTIVE_PENDING.SURVEY"
    return text(code, amount=amount)


def payout_failed_text(amount: int, reason_code: str) -> Text:
    """``reason_code`` is a catalogue code (``failure.<partner code>``)."""
    return text("notify.PAYOUT_FAILED", amount=amount, reason=reason_code)


def survey_open_text(due: dt.datetime) -> Text:
    return text("notify.SURVEY_OPEN", due=due)


def clawback_text(amount: int, due: dt.datetime, reason: str) -> Text:
    """``reason`` is an audit reason code, or the English line ``domain.clawback.saga.reason_text`` gives for one
    (what workflows pass), or the auditor's own words (shown as written)."""
    code = reason if reason in REASON_CODES else next((c for c, t in REASON_CODES.items() if t == reason), None)
    return text("notify.CLAWBACK", amount=amount, due=due, reason=f"audit.{code}" if code is not None else reason)
