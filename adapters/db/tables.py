"""Typed table definitions (Alembic owns the schema; these mirror it for queries)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Identity,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

metadata = MetaData()

cases = Table(
    "cases",
    metadata,
    Column("case_id", Text, primary_key=True, comment="HMAC-SHA256 of the NIK (blind index)"),
    Column("account_id", Text, nullable=False, unique=True),
    Column("kk_index", Text, nullable=False, comment="HMAC-SHA256 of the KK number"),
    Column("workflow_id", Text, nullable=False),
    Column("scheme_id", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("province_code", Text, nullable=False),
    Column("regency_code", Text, nullable=False),
    Column("pii", LargeBinary, nullable=False, comment="sealed application: name, e-mail, phone, birth, addresses"),
    Column("name_tokens", ARRAY(Text), nullable=False, comment="blind name prefixes (domain.names)"),
    Column("decisions", JSONB, nullable=False),
    Column("next_action", Text, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("ability_test", JSONB, nullable=False),
    Column("waves", JSONB, nullable=False),
    Column("enrollment", JSONB),
    Column("trainings", JSONB, nullable=False),
    Column("balance", BigInteger, nullable=False),
    Column("card_number", Text),
    Column("payouts", JSONB, nullable=False, comment="linked account (masked), incentive schedule, clawback"),
)

blacklist = Table(
    "blacklist",
    metadata,
    Column("nik_index", Text, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

waves = Table(
    "waves",
    metadata,
    Column("wave_id", Text, primary_key=True),
    Column("number", Integer, nullable=False),
    Column("scheme_id", Text, nullable=False),
    Column("opens_at", DateTime(timezone=True), nullable=False),
    Column("closes_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("national_quota", Integer, nullable=False),
    Column("seed_commitment", Text),
    Column("revealed_seed", Text),
    Column("result_digest", Text),
    Column("selected_count", Integer),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("closed_at", DateTime(timezone=True)),
    Column("decided_at", DateTime(timezone=True)),
)

wave_quotas = Table(
    "wave_quotas",
    metadata,
    Column("wave_id", Text, primary_key=True),
    Column("province_code", Text, primary_key=True),
    Column("quota", Integer, nullable=False),
)

wave_seeds = Table(
    "wave_seeds", metadata, Column("wave_id", Text, primary_key=True), Column("seed", Text, nullable=False)
)

wave_cohorts = Table(
    "wave_cohorts",
    metadata,
    Column("wave_id", Text, primary_key=True),
    Column("nik_index", Text, primary_key=True),
    Column("cohort", Text, nullable=False),
)

wave_joiners = Table(
    "wave_joiners",
    metadata,
    Column("wave_id", Text, primary_key=True),
    Column("case_id", Text, primary_key=True),
    Column("province_code", Text, nullable=False),
    Column("kk_index", Text, nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("wake_all", Boolean, nullable=False, comment="woken whatever its result (false: only if selected)"),
)

wave_results = Table(
    "wave_results",
    metadata,
    Column("wave_id", Text, primary_key=True),
    Column("case_id", Text, primary_key=True),
    Column("selected", Boolean, nullable=False),
    Column("reason", Text, nullable=False),
    Column("priority", Boolean, nullable=False),
    Column("lottery_rank", Text, nullable=False),
)

wave_audit = Table(
    "wave_audit",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("wave_id", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

recipients = Table(
    "recipients",
    metadata,
    Column("case_id", Text, primary_key=True),
    Column("kk_index", Text, nullable=False),
    Column("scheme_id", Text, nullable=False),
    Column("wave_id", Text),
    Column("selected_at", DateTime(timezone=True), nullable=False),
)

partners = Table(
    "partners",
    metadata,
    Column("client_code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("sign_key", Text, nullable=False, comment="secret: HMAC key of the partner's signed requests"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

courses = Table(
    "courses",
    metadata,
    Column("course_code", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("provider_code", Text, nullable=False),
    Column("platform_code", Text, nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("mode", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("sessions", JSONB, nullable=False, comment="ISO timestamps"),
    Column("active", Boolean, nullable=False),
    Column("skills_tasks", JSONB, nullable=False, server_default="[]", comment="TPM 1-998 / UK 999 (0020)"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

cards = Table(
    "cards",
    metadata,
    Column("case_id", Text, primary_key=True),
    Column("card_number", Text, nullable=False, unique=True),
    Column("seq", BigInteger, nullable=False, unique=True, comment="nextval('card_seq')"),
    Column("scheme_id", Text, nullable=False),
    Column("status", Text, nullable=False, comment="ACTIVE | REVOKED"),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoke_reason", Text),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("entry_key", Text, primary_key=True),
    Column("id", BigInteger, Identity(always=True), nullable=False, unique=True, comment="append order"),
    Column("case_id", Text, nullable=False),
    Column("card_number", Text, nullable=False),
    Column("kind", Text, nullable=False, comment="CREDIT | DEBIT | REFUND | FORFEIT"),
    Column("amount", BigInteger, nullable=False),
    Column("reference", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    comment="append-only: a trigger refuses UPDATE and DELETE",
)

vouchers = Table(
    "vouchers",
    metadata,
    Column("voucher_code", Text, primary_key=True),
    Column("redeem_code", Text, nullable=False, unique=True),
    Column("invoice_code", Text, nullable=False, unique=True),
    Column("purchase_key", Text, nullable=False, unique=True),
    Column("case_id", Text, nullable=False),
    Column("card_number", Text, nullable=False),
    Column("course_code", Text, nullable=False),
    Column("provider_code", Text, nullable=False),
    Column("platform_code", Text, nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("status", Text, nullable=False, comment="ACTIVE | CANCELLED_VOUCHER | CANCELLED_TRANSACTION"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

certificates = Table(
    "certificates",
    metadata,
    Column("voucher_code", Text, primary_key=True),
    Column("case_id", Text, nullable=False),
    Column("course_code", Text, nullable=False),
    Column("serial", Text, nullable=False, unique=True),
    Column("issued_at", DateTime(timezone=True), nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("dedupe_key", Text, nullable=False, unique=True),
    Column("case_id", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("message", JSONB, comment="catalogue text of the body: {code, params} (0015)"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False, comment="PENDING | SENDING (leased) | SENT | FAILED"),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    Column("next_attempt_at", DateTime(timezone=True)),
)

signed_requests = Table(
    "signed_requests",
    metadata,
    Column("client_code", Text, primary_key=True),
    Column("signature", Text, primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

# Personal data and secrets, column by column (for the encryption-at-rest and retention work).
PII_COLUMNS = {
    "cases": {"pii"},  # sealed (adapters/db/pii.py); NIK and KK only as blind indexes and masked
    "notifications": {"recipient", "body", "message"},
    "partners": {"sign_key"},
    "payments": {"account_number"},  # adapters/db/payout_tables.py
}

case_waves = Table(
    "case_waves",
    metadata,
    Column("case_id", Text, primary_key=True),
    Column("wave_id", Text, primary_key=True),
    Column("province_code", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    comment="one row per wave a case joined, with its keyset order and province (kept by a trigger on cases)",
)
