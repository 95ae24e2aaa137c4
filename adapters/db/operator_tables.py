"""Tables of the staff console: four-eyes operator requests, the append-only audit log and complaints (Alembic
owns the schema; these mirror it for queries)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

from adapters.db.tables import metadata

operator_requests = Table(
    "operator_requests",
    metadata,
    Column("id", Text, primary_key=True),
    Column("case_id", Text, nullable=False),
    Column("province_code", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("params", JSONB, nullable=False),
    Column("reason_code", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_by", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("result", Text, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("case_id", Text),
    Column("reason_code", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("detail", JSONB, nullable=False),
    Column("request_id", Text),
)

complaints = Table(
    "complaints",
    metadata,
    Column("id", Text, primary_key=True),
    Column("case_id", Text, nullable=False),
    Column("province_code", Text, nullable=False),
    Column("request_id", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("filed_at", DateTime(timezone=True), nullable=False),
    Column("sla_due_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("assigned_to", Text),
    Column("answer", Text),
    Column("answered_by", Text),
    Column("answered_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("escalated_at", DateTime(timezone=True)),
)
