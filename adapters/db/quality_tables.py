"""Tables of course quality (migration 0019; Alembic owns the schema, these mirror it for queries)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Identity, Table, Text
from sqlalchemy.dialects.postgresql import JSONB

from adapters.db.tables import metadata

_TS = DateTime(timezone=True)

quality_bodies = Table(
    "quality_bodies",
    metadata,
    Column("body_code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("assesses", Boolean, nullable=False),
    Column("monitors", Boolean, nullable=False),
    Column("monitored_providers", JSONB, nullable=False),
    Column("updated_at", _TS, nullable=False),
)

course_versions = Table(
    "course_versions",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("course_code", Text, nullable=False),
    Column("version", nullable=False),
    Column("provider_code", Text, nullable=False),
    Column("platform_code", Text, nullable=False),
    Column("content", JSONB, nullable=False),
    Column("digest", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("layer", Text),
    Column("due_at", _TS),
    Column("escalated_at", _TS),
    Column("assessor_body", Text),
    Column("submitted_by", Text, nullable=False),
    Column("submitted_at", _TS, nullable=False),
    Column("decided_at", _TS),
)

course_review_decisions = Table(
    "course_review_decisions",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("course_code", Text, nullable=False),
    Column("version", nullable=False),
    Column("layer", Text, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("body", Text),
    Column("reasons", JSONB, nullable=False),
    Column("at", _TS, nullable=False),
)

quality_events = Table(
    "quality_events",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("at", _TS, nullable=False),
    Column("actor", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("provider_code", Text, nullable=False),
    Column("course_code", Text),
    Column("detail", JSONB, nullable=False),
)

monitoring_samples = Table(
    "monitoring_samples",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("body_code", Text, nullable=False),
    Column("provider_code", Text, nullable=False),
    Column("month", Text, nullable=False),
    Column("commitment", Text, nullable=False),
    Column("seed", Text, nullable=False),
    Column("committed_at", _TS, nullable=False),
    Column("size", nullable=False),
    Column("population", JSONB),
    Column("drawn", JSONB),
    Column("drawn_at", _TS),
)

monitoring_findings = Table(
    "monitoring_findings",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("body_code", Text, nullable=False),
    Column("provider_code", Text, nullable=False),
    Column("course_code", Text),
    Column("voucher_code", Text),
    Column("severity", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("evidence", JSONB, nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", _TS, nullable=False),
)

sanctions = Table(
    "sanctions",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("finding_id", BigInteger),
    Column("kind", Text, nullable=False),
    Column("provider_code", Text, nullable=False),
    Column("course_code", Text),
    Column("amount", BigInteger),
    Column("reason", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("requested_by", Text, nullable=False),
    Column("requested_at", _TS, nullable=False),
    Column("decided_by", Text),
    Column("decided_at", _TS),
)

suspensions = Table(
    "suspensions",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("subject_kind", Text, nullable=False),
    Column("subject_code", Text, nullable=False),
    Column("sanction_id", BigInteger, nullable=False),
    Column("since", _TS, nullable=False),
    Column("lifted_at", _TS),
)
