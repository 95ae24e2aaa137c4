"""Notifications to participants (SMS and email), written to an outbox and sent by a dispatcher."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.clock import WIB


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


def rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


def enrolled_text(card_number: str, balance: int, deadline: dt.datetime) -> str:
    return (
        f"Selamat! Kartu Prakerja {card_number} aktif dengan saldo {rupiah(balance)}. "
        f"Beli pelatihan pertama sebelum {deadline.astimezone(WIB):%d-%m-%Y %H:%M} WIB."
    )


def reminder_text(deadline: dt.datetime) -> str:
    return (
        f"Pengingat: beli pelatihan pertama sebelum {deadline.astimezone(WIB):%d-%m-%Y %H:%M} WIB, "
        "atau kepesertaan Kartu Prakerja dicabut."
    )


def revoked_text(forfeited: int) -> str:
    return (
        "Kepesertaan Kartu Prakerja Anda dicabut: tidak ada pembelian pelatihan pertama sebelum batas waktu. "
        f"Sisa saldo {rupiah(forfeited)} dikembalikan ke kas negara."
    )


def otp_text(otp: str, course_title: str, price: int) -> str:
    return (
        f"Kode OTP {otp} untuk membeli '{course_title}' seharga {rupiah(price)}. Jangan berikan kode ini ke siapa pun."
    )


def purchased_text(course_title: str, redeem_code: str) -> str:
    return f"Pembelian '{course_title}' berhasil. Kode redeem: {redeem_code}."


def certificate_text(course_title: str, serial: str) -> str:
    return f"Sertifikat '{course_title}' terbit: {serial}."
