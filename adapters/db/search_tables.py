"""Search-only tables kept by triggers on ``cases`` (migration 0012): blind name prefixes in keyset order."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Table, Text

from adapters.db.tables import metadata

case_names = Table(
    "case_names",
    metadata,
    Column("token", Text, primary_key=True),
    Column("case_id", Text, primary_key=True),
    Column("province_code", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    comment="one row per (blind name prefix, case), with the case's keyset order and province",
)
