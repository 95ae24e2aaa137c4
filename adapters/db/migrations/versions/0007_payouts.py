"""payouts: payments (one live or paid attempt per tranche, settled once), discrepancies found by the daily
reconciliation, reconciliation runs, clawback receivables and their repayments

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_NOW = sa.func.now()


def _payments() -> None:
    op.create_table(
        "payments",
        sa.Column("key", sa.Text, primary_key=True, comment="<case>:incentive:<n>/<attempt>"),
        sa.Column("tranche_key", sa.Text, nullable=False, comment="<case>:incentive:<n>"),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("tranche", sa.Integer, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("kind", sa.Text, nullable=False, comment="JOB_SEARCH | SURVEY"),
        sa.Column("amount", sa.BigInteger, sa.CheckConstraint("amount > 0", name="ck_payments_amount"), nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("account_number", sa.Text, nullable=False, comment="PII: bank or e-wallet account"),
        sa.Column("link_no", sa.Integer, nullable=False),
        sa.Column(
            "status",
            sa.Text,
            sa.CheckConstraint("status IN ('PENDING', 'PAID', 'FAILED')", name="ck_payments_status"),
            nullable=False,
            server_default="PENDING",
        ),
        sa.Column("partner_ref", sa.Text, nullable=True),
        sa.Column("failure_code", sa.Text, nullable=True),
        sa.Column("failure_message", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("key = tranche_key || '/' || attempt::text", name="ck_payments_key"),
        sa.CheckConstraint("(status = 'PENDING') = (settled_at IS NULL)", name="ck_payments_settled_at"),
    )
    # At most one live (PENDING) or PAID attempt per tranche: the database refuses a second payment.
    op.create_index(
        "ux_payments_live_tranche",
        "payments",
        ["tranche_key"],
        unique=True,
        postgresql_where=sa.text("status <> 'FAILED'"),
    )
    op.create_index("ix_payments_case", "payments", ["case_id", "tranche", "attempt"])
    op.create_index("ix_payments_settled", "payments", ["settled_at"])
    op.execute(
        """
        CREATE FUNCTION payments_settle_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'payments are never deleted: % refused', OLD.key USING ERRCODE = 'raise_exception';
          END IF;
          IF OLD.status <> 'PENDING' THEN
            RAISE EXCEPTION 'payment % is settled (%): change refused', OLD.key, OLD.status
              USING ERRCODE = 'raise_exception';
          END IF;
          IF NEW.status NOT IN ('PAID', 'FAILED') THEN
            RAISE EXCEPTION 'payment %: only PENDING -> PAID or FAILED is allowed', OLD.key
              USING ERRCODE = 'raise_exception';
          END IF;
          IF (NEW.key, NEW.tranche_key, NEW.case_id, NEW.tranche, NEW.attempt, NEW.kind, NEW.amount, NEW.provider,
              NEW.account_number, NEW.link_no, NEW.created_at)
             IS DISTINCT FROM
             (OLD.key, OLD.tranche_key, OLD.case_id, OLD.tranche, OLD.attempt, OLD.kind, OLD.amount, OLD.provider,
              OLD.account_number, OLD.link_no, OLD.created_at) THEN
            RAISE EXCEPTION 'payment %: only the settlement columns may change', OLD.key
              USING ERRCODE = 'raise_exception';
          END IF;
          RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER payments_settle_once BEFORE UPDATE OR DELETE ON payments
        FOR EACH ROW EXECUTE FUNCTION payments_settle_once()
        """
    )


def _reconciliation() -> None:
    op.create_table(
        "payment_discrepancies",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("day", sa.Date, nullable=False, comment="the statement day (Asia/Jakarta)"),
        sa.Column("key", sa.Text, nullable=False, comment="payment key, or tranche key for DOUBLE_PAYMENT"),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("case_id", sa.Text, nullable=True),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
        sa.Column(
            "status",
            sa.Text,
            sa.CheckConstraint("status IN ('OPEN', 'RESOLVED')", name="ck_payment_discrepancies_status"),
            nullable=False,
            server_default="OPEN",
        ),
        sa.Column("resolved_by", sa.Text, nullable=True),
        sa.Column("resolved_note", sa.Text, nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("day", "key", "kind", name="uq_payment_discrepancies_day_key_kind"),
    )
    op.create_index("ix_payment_discrepancies_status", "payment_discrepancies", ["status", "day"])
    op.create_index("ix_payment_discrepancies_case", "payment_discrepancies", ["case_id"])
    op.create_table(
        "reconciliation_runs",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("lines", sa.Integer, nullable=False, comment="statement lines"),
        sa.Column("rows", sa.Integer, nullable=False, comment="our rows settled PAID that day"),
        sa.Column("found", sa.Integer, nullable=False, comment="discrepancies found"),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
    )


def _receivables() -> None:
    op.create_table(
        "receivables",
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column(
            "training_aid",
            sa.BigInteger,
            sa.CheckConstraint("training_aid >= 0", name="ck_receivables_training_aid"),
            nullable=False,
        ),
        sa.Column(
            "incentives",
            sa.BigInteger,
            sa.CheckConstraint("incentives >= 0", name="ck_receivables_incentives"),
            nullable=False,
        ),
        sa.Column("reason_code", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Text,
            sa.CheckConstraint("status IN ('OPEN', 'REPAID', 'ESCALATED')", name="ck_receivables_status"),
            nullable=False,
            server_default="OPEN",
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_receivables_status", "receivables", ["status", "due_at"])
    op.create_table(
        "repayments",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("receivables.case_id"), nullable=False),
        sa.Column(
            "amount", sa.BigInteger, sa.CheckConstraint("amount > 0", name="ck_repayments_amount"), nullable=False
        ),
        sa.Column("reference", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_repayments_case", "repayments", ["case_id"])


def upgrade() -> None:
    _payments()
    _reconciliation()
    _receivables()


def downgrade() -> None:
    op.drop_table("repayments")
    op.drop_table("receivables")
    op.drop_table("reconciliation_runs")
    op.drop_table("payment_discrepancies")
    op.drop_table("payments")
    op.execute("DROP FUNCTION IF EXISTS payments_settle_once()")
