"""Typed table definitions (Alembic owns the schema; these mirror it for queries)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, MetaData, Table, Text
from sqlalchemy.dialects.postgresql import JSONB

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
    Column("full_name", Text, nullable=False),
    Column("application", JSONB, nullable=False, comment="PII: NIK and KK stored masked only"),
    Column("decisions", JSONB, nullable=False),
    Column("next_action", Text, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("ability_test", JSONB, nullable=False),
)

blacklist = Table(
    "blacklist",
    metadata,
    Column("nik_index", Text, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
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

PII_COLUMNS = {"cases": {"full_name", "application"}}
