"""The fake payment partner's own books: its accounts and transfers tables (the partner's system, not the
programme's: ``FakePaymentPartner.ensure_schema`` creates them), its refusal texts and row mappings."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, DateTime, MetaData, Table, Text, select
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.payouts.ports import TransferOutcome, TransferResult
from domain.payouts.tranches import Provider

MESSAGES = {
    "ACCOUNT_NOT_FOUND": "Rekening tidak ditemukan",
    "ACCOUNT_CLOSED": "Rekening sudah ditutup",
    "NIK_MISMATCH": "NIK pemilik rekening tidak sesuai",
    "KYC_NOT_VERIFIED": "Akun belum terverifikasi (KYC)",
    "TRANSFER_FAILED": "Transfer gagal, silakan coba lagi",
    "INVALID_AMOUNT": "Nominal tidak valid",
}

_meta = MetaData()
partner_accounts = Table(
    "fake_partner_accounts",
    _meta,
    Column("provider", Text, primary_key=True),
    Column("account_number", Text, primary_key=True),
    Column("nik_hash", Text, nullable=False),
    Column("holder_name", Text, nullable=False),
    Column("kyc_verified", Boolean, nullable=False),
    Column("closed", Boolean, nullable=False),
)
partner_transfers = Table(
    "fake_partner_transfers",
    _meta,
    Column("key", Text, primary_key=True),
    Column("provider", Text, nullable=False),
    Column("account_number", Text, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("code", Text),
    Column("partner_ref", Text),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("settle_at", DateTime(timezone=True)),
    Column("final_outcome", Text),
    Column("final_code", Text),
)

DDL = (
    "CREATE TABLE IF NOT EXISTS fake_partner_accounts (provider text NOT NULL, account_number text NOT NULL,"
    " nik_hash text NOT NULL, holder_name text NOT NULL, kyc_verified boolean NOT NULL DEFAULT true,"
    " closed boolean NOT NULL DEFAULT false, PRIMARY KEY (provider, account_number))",
    "CREATE TABLE IF NOT EXISTS fake_partner_transfers (key text PRIMARY KEY, provider text NOT NULL,"
    " account_number text NOT NULL, amount bigint NOT NULL,"
    " outcome text NOT NULL CHECK (outcome IN ('PAID', 'REJECTED', 'PENDING')), code text, partner_ref text UNIQUE,"
    " at timestamptz NOT NULL, settle_at timestamptz, final_outcome text, final_code text)",
    "CREATE INDEX IF NOT EXISTS ix_fake_partner_transfers_at ON fake_partner_transfers (at)",
    # The asynchronous mode: a transfer is PENDING until ``settle_at``, then becomes its ``final_outcome`` (books
    # made before it get the columns once).
    "DO $$ BEGIN IF NOT EXISTS (SELECT FROM information_schema.columns WHERE table_name = 'fake_partner_transfers'"
    " AND column_name = 'settle_at') THEN ALTER TABLE fake_partner_transfers ADD COLUMN settle_at timestamptz,"
    " ADD COLUMN final_outcome text, ADD COLUMN final_code text,"
    " DROP CONSTRAINT IF EXISTS fake_partner_transfers_outcome_check, ADD CONSTRAINT"
    " fake_partner_transfers_outcome_check CHECK (outcome IN ('PAID', 'REJECTED', 'PENDING')); END IF; END $$",
    "CREATE INDEX IF NOT EXISTS ix_fake_partner_transfers_pending ON fake_partner_transfers (settle_at)"
    " WHERE outcome = 'PENDING'",
)
"""The partner's books (``nik_hash`` is the SHA-256 of the NIK: the raw NIK is never stored)."""


@dataclass(frozen=True, slots=True)
class PartnerTransfer:
    """One row of the partner's transfer book (for test assertions)."""

    key: str
    provider: Provider
    account_number: str
    amount: int
    outcome: TransferOutcome
    code: str | None
    partner_ref: str | None
    at: dt.datetime


def nik_hash(nik: str) -> str:
    return hashlib.sha256(nik.encode()).hexdigest()


def mask_name(name: str) -> str:
    """``BUDI SANTOSO`` → ``BUDI S***``: the first word, then the initial of every other word."""
    first, *others = name.upper().split()
    return " ".join([first, *(f"{w[0]}***" for w in others)])



def result_of(row: Any) -> TransferResult:
    return TransferResult(
        key=row.key,
        outcome=TransferOutcome(row.outcome),
        at=row.at,
        partner_ref=row.partner_ref,
        code=row.code,
        message=MESSAGES.get(row.code) if row.code else None,
    )


def transfer_of(r: Any) -> PartnerTransfer:
    outcome = TransferOutcome(r.outcome)
    return PartnerTransfer(
        r.key, Provider(r.provider), r.account_number, int(r.amount), outcome, r.code, r.partner_ref, r.at
    )


def new_partner_ref() -> str:
    return f"TRX-{secrets.token_hex(6).upper()}"


async def account_row(conn: AsyncConnection, provider: Provider, account_number: str) -> Any:
    stmt = select(partner_accounts).where(
        partner_accounts.c.provider == Provider(provider).value, partner_accounts.c.account_number == account_number
    )
    return (await conn.execute(stmt)).first()


async def transfer_row(conn: AsyncConnection, key: str) -> Any:
    return (await conn.execute(select(partner_transfers).where(partner_transfers.c.key == key))).first()
