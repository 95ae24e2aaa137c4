"""staff console: operator action requests (four-eyes), the append-only audit log, complaints, and the
LISTEN/NOTIFY feed raised by the projection (case status) and by the staff queues

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "operator_requests",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("province_code", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("params", JSONB, nullable=False),
        sa.Column("reason_code", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("requested_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column(
            "status",
            sa.Text,
            sa.CheckConstraint(
                "status IN ('PENDING', 'APPROVED', 'EXECUTED', 'REJECTED', 'EXPIRED', 'FAILED')",
                name="ck_operator_requests_status",
            ),
            nullable=False,
        ),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", _TS),
        sa.Column("result", sa.Text, nullable=False, server_default=""),
        sa.CheckConstraint("decided_by IS NULL OR decided_by <> requested_by", name="ck_operator_requests_four_eyes"),
    )
    op.create_index("ix_operator_requests_pending", "operator_requests", ["province_code", "requested_at"])
    op.create_index("ix_operator_requests_case", "operator_requests", ["case_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text),
        sa.Column("reason_code", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("detail", JSONB, nullable=False),
        sa.Column("request_id", sa.Text),
    )
    op.create_index("ix_audit_log_case", "audit_log", ["case_id", "id"])
    op.execute(
        """
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'raise_exception';
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    )
    op.create_table(
        "complaints",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("province_code", sa.Text, nullable=False),
        sa.Column("request_id", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("filed_at", _TS, nullable=False),
        sa.Column("sla_due_at", _TS, nullable=False),
        sa.Column(
            "status",
            sa.Text,
            sa.CheckConstraint("status IN ('OPEN', 'ASSIGNED', 'ANSWERED', 'CLOSED')", name="ck_complaints_status"),
            nullable=False,
        ),
        sa.Column("assigned_to", sa.Text),
        sa.Column("answer", sa.Text),
        sa.Column("answered_by", sa.Text),
        sa.Column("answered_at", _TS),
        sa.Column("closed_at", _TS),
        sa.UniqueConstraint("case_id", "request_id", name="uq_complaints_request"),
    )
    op.create_index("ix_complaints_queue", "complaints", ["province_code", "status", "sla_due_at"])
    op.create_index("ix_complaints_case", "complaints", ["case_id", "filed_at"])
    # The live feed: the projection's write raises the case's change; the staff queues raise theirs.
    op.execute(
        """
        CREATE FUNCTION notify_case_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' OR NEW.version IS DISTINCT FROM OLD.version THEN
            PERFORM pg_notify('case_changes', json_build_object(
              'case_id', NEW.case_id, 'account_id', NEW.account_id, 'province_code', NEW.province_code,
              'stage', NEW.stage, 'version', NEW.version, 'next_action', left(NEW.next_action, 500),
              'updated_at', NEW.updated_at)::text);
          END IF;
          RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER cases_notify AFTER INSERT OR UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION notify_case_change()"
    )
    op.execute(
        """
        CREATE FUNCTION notify_staff_queue() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('staff_queues', json_build_object(
            'queue', TG_TABLE_NAME, 'id', NEW.id, 'case_id', NEW.case_id, 'province_code', NEW.province_code,
            'status', NEW.status)::text);
          RETURN NULL;
        END $$
        """
    )
    for table in ("operator_requests", "complaints"):
        op.execute(
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION notify_staff_queue()"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS cases_notify ON cases")
    op.execute("DROP FUNCTION IF EXISTS notify_case_change()")
    op.drop_table("complaints")
    op.execute("DROP TRIGGER IF EXISTS operator_requests_notify ON operator_requests")
    op.drop_table("audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table("operator_requests")
    op.execute("DROP FUNCTION IF EXISTS notify_staff_queue()")
