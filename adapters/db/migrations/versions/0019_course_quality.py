"""course quality: versions reviewed in three layers, assessor and monitoring bodies, samples, findings, sanctions.

Every course already in the catalogue becomes version 1, LISTED_DIRECTLY (sold as before, recorded as never
reviewed). ``quality_events`` is the course's and provider's timeline, append-only like ``audit_log``.
The catalogue is small (thousands of rows): the backfill is one INSERT … SELECT.

Revision ID: 0019
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0019"
down_revision = "0020"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True)


_BACKFILL = """
INSERT INTO course_versions (course_code, version, provider_code, platform_code, content, digest, status,
                             submitted_by, submitted_at, decided_at)
SELECT course_code, 1, provider_code, platform_code,
       jsonb_build_object('course_code', course_code, 'title', title, 'provider_code', provider_code,
                          'platform_code', platform_code, 'price', price, 'mode', mode, 'category', category,
                          'sessions', sessions, 'modules', '[]'::jsonb, 'tasks', '[]'::jsonb,
                          'indicators', '[]'::jsonb),
       '', 'LISTED_DIRECTLY', 'system:migration-0019', updated_at, updated_at
FROM courses
ON CONFLICT DO NOTHING
"""


def upgrade() -> None:
    op.create_table(
        "quality_bodies",
        sa.Column("body_code", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("assesses", sa.Boolean, nullable=False),
        sa.Column("monitors", sa.Boolean, nullable=False),
        sa.Column("monitored_providers", JSONB, nullable=False, comment="client codes of the providers it monitors"),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_table(
        "course_versions",
        _id(),
        sa.Column("course_code", sa.Text, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("provider_code", sa.Text, nullable=False),
        sa.Column("platform_code", sa.Text, nullable=False),
        sa.Column("content", JSONB, nullable=False),
        sa.Column("digest", sa.Text, nullable=False, comment="SHA-256 of the material terms ('' for migrated rows)"),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("layer", sa.Text, comment="DP | PMO | ASSESSOR while IN_REVIEW"),
        sa.Column("due_at", _TS),
        sa.Column("escalated_at", _TS),
        sa.Column("assessor_body", sa.Text),
        sa.Column("submitted_by", sa.Text, nullable=False),
        sa.Column("submitted_at", _TS, nullable=False),
        sa.Column("decided_at", _TS),
        sa.UniqueConstraint("course_code", "version", name="uq_course_versions"),
    )
    op.create_index(
        "uq_course_versions_open", "course_versions", ["course_code"], unique=True,
        postgresql_where=sa.text("status = 'IN_REVIEW'"),
    )  # fmt: skip
    op.create_index(
        "ix_course_versions_queue", "course_versions", ["layer", "due_at"],
        postgresql_where=sa.text("status = 'IN_REVIEW'"),
    )  # fmt: skip
    op.create_table(
        "course_review_decisions",
        _id(),
        sa.Column("course_code", sa.Text, nullable=False),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("layer", sa.Text, nullable=False),
        sa.Column("verdict", sa.Text, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("body", sa.Text),
        sa.Column("reasons", JSONB, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.UniqueConstraint("course_code", "version", "layer", name="uq_course_review_decisions"),
    )
    op.create_table(
        "quality_events",
        _id(),
        sa.Column("at", _TS, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("provider_code", sa.Text, nullable=False),
        sa.Column("course_code", sa.Text),
        sa.Column("detail", JSONB, nullable=False),
    )
    op.create_index("ix_quality_events_provider", "quality_events", ["provider_code", "id"])
    op.create_index("ix_quality_events_course", "quality_events", ["course_code", "id"])
    op.execute(
        """
        CREATE FUNCTION quality_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'quality_events is append-only: % refused', TG_OP USING ERRCODE = 'raise_exception';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER quality_events_append_only BEFORE UPDATE OR DELETE ON quality_events "
        "FOR EACH ROW EXECUTE FUNCTION quality_events_append_only()"
    )
    op.create_table(
        "monitoring_samples",
        _id(),
        sa.Column("body_code", sa.Text, nullable=False),
        sa.Column("provider_code", sa.Text, nullable=False),
        sa.Column("month", sa.Text, nullable=False, comment="YYYY-MM (WIB)"),
        sa.Column("commitment", sa.Text, nullable=False, comment="SHA-256 hex of the seed, published at once"),
        sa.Column("seed", sa.Text, nullable=False, comment="secret until the month is over, then revealed"),
        sa.Column("committed_at", _TS, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("population", JSONB, comment="the month's voucher codes, frozen when drawn"),
        sa.Column("drawn", JSONB, comment="the sampled voucher codes"),
        sa.Column("drawn_at", _TS),
        sa.UniqueConstraint("body_code", "provider_code", "month", name="uq_monitoring_samples"),
    )
    op.create_table(
        "monitoring_findings",
        _id(),
        sa.Column("body_code", sa.Text, nullable=False),
        sa.Column("provider_code", sa.Text, nullable=False),
        sa.Column("course_code", sa.Text),
        sa.Column("voucher_code", sa.Text),
        sa.Column("severity", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("evidence", JSONB, nullable=False, comment="links"),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("at", _TS, nullable=False),
    )
    op.create_index("ix_monitoring_findings_provider", "monitoring_findings", ["provider_code", "id"])
    op.create_table(
        "sanctions",
        _id(),
        sa.Column("finding_id", sa.BigInteger),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("provider_code", sa.Text, nullable=False),
        sa.Column("course_code", sa.Text),
        sa.Column("amount", sa.BigInteger, comment="clawback, integer rupiah"),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, comment="PENDING | APPROVED | REJECTED"),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("requested_at", _TS, nullable=False),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", _TS),
    )
    op.create_table(
        "suspensions",
        _id(),
        sa.Column("subject_kind", sa.Text, nullable=False, comment="COURSE | PROVIDER"),
        sa.Column("subject_code", sa.Text, nullable=False),
        sa.Column("sanction_id", sa.BigInteger, nullable=False),
        sa.Column("since", _TS, nullable=False),
        sa.Column("lifted_at", _TS),
        sa.UniqueConstraint("sanction_id", name="uq_suspensions_sanction"),
    )
    op.create_index(
        "ix_suspensions_live", "suspensions", ["subject_code"], postgresql_where=sa.text("lifted_at IS NULL")
    )
    op.execute(_BACKFILL)


def downgrade() -> None:
    for table in ("suspensions", "sanctions", "monitoring_findings", "monitoring_samples", "quality_events",
                  "course_review_decisions", "course_versions", "quality_bodies"):  # fmt: skip
        op.drop_table(table)
    op.execute("DROP FUNCTION IF EXISTS quality_events_append_only()")
