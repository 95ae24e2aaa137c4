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


def schedule_text(first_amount: int, first_due: dt.datetime) -> str:
    return (
        f"Jadwal insentif Anda sudah terbit. Insentif pertama {rupiah(first_amount)} "
        f"dijadwalkan {first_due.astimezone(WIB):%d-%m-%Y} WIB."
    )


def paid_text(amount: int, kind: str, masked_account: str) -> str:
    what = "insentif pencarian kerja" if kind == "JOB_SEARCH" else "insentif survei"
    return f"{what.capitalize()} {rupiah(amount)} telah ditransfer ke rekening {masked_account}."


def payout_failed_text(amount: int, reason: str) -> str:
    return (
        f"Insentif {rupiah(amount)} gagal dicairkan: {reason}. Putuskan rekening lalu hubungkan rekening/e-wallet "
        "atas nama dan NIK Anda sendiri; insentif akan ditransfer ulang otomatis."
    )


def survey_open_text(due: dt.datetime) -> str:
    return (
        "Survei evaluasi Kartu Prakerja sudah tersedia di dasbor Anda. Isi sebelum "
        f"{due.astimezone(WIB):%d-%m-%Y %H:%M} WIB untuk menerima insentif survei."
    )


def clawback_text(amount: int, due: dt.datetime, reason: str) -> str:
    return (
        f"Hasil audit: Anda tidak memenuhi syarat ({reason}). Sesuai Perpres 76/2020 pasal 31C, kembalikan "
        f"{rupiah(amount)} (bantuan pelatihan dan insentif) ke kas negara sebelum "
        f"{due.astimezone(WIB):%d-%m-%Y} WIB."
    )
