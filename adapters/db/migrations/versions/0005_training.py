"""training: partners, catalogue, cards, the append-only ledger, vouchers, certificates, notification outbox,
signed-request replay guard

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_NOW = sa.func.now()


def upgrade() -> None:
    op.create_table(
        "partners",
        sa.Column("client_code", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("sign_key", sa.Text, nullable=False, comment="secret: HMAC key of the partner's signed requests"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
    )
    op.create_table(
        "courses",
        sa.Column("course_code", sa.Text, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("provider_code", sa.Text, nullable=False),
        sa.Column("platform_code", sa.Text, nullable=False),
        sa.Column("price", sa.BigInteger, sa.CheckConstraint("price > 0", name="ck_courses_price"), nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("sessions", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb"), comment="ISO timestamps"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
    )
    op.create_index("ix_courses_platform", "courses", ["platform_code", "course_code"])

    op.execute("CREATE SEQUENCE card_seq AS bigint START 1")
    op.create_table(
        "cards",
        sa.Column("case_id", sa.Text, primary_key=True, comment="HMAC-SHA256 of the NIK (blind index)"),
        sa.Column("card_number", sa.Text, nullable=False, unique=True),
        sa.Column("seq", sa.BigInteger, nullable=False, unique=True, comment="nextval('card_seq')"),
        sa.Column("scheme_id", sa.Text, nullable=False),
        sa.Column(
            "status",
            sa.Text,
            sa.CheckConstraint("status IN ('ACTIVE', 'REVOKED')", name="ck_cards_status"),
            nullable=False,
            server_default="ACTIVE",
        ),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.Text, nullable=True),
    )
    op.execute("ALTER SEQUENCE card_seq OWNED BY cards.seq")

    op.create_table(
        "ledger_entries",
        sa.Column("entry_key", sa.Text, primary_key=True),
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), nullable=False, unique=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("card_number", sa.Text, nullable=False),
        sa.Column(
            "kind",
            sa.Text,
            sa.CheckConstraint("kind IN ('CREDIT', 'DEBIT', 'REFUND', 'FORFEIT')", name="ck_ledger_entries_kind"),
            nullable=False,
        ),
        sa.Column(
            "amount", sa.BigInteger, sa.CheckConstraint("amount > 0", name="ck_ledger_entries_amount"), nullable=False
        ),
        sa.Column("reference", sa.Text, nullable=False, server_default=""),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ledger_entries_case", "ledger_entries", ["case_id", "id"])
    op.execute(
        """
        CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'ledger_entries is append-only: % refused', TG_OP USING ERRCODE = 'raise_exception';
        END
        $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
        FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()
        """
    )

    op.create_table(
        "vouchers",
        sa.Column("voucher_code", sa.Text, primary_key=True),
        sa.Column("redeem_code", sa.Text, nullable=False, unique=True),
        sa.Column("invoice_code", sa.Text, nullable=False, unique=True),
        sa.Column("purchase_key", sa.Text, nullable=False, unique=True, comment="<platform>:<idempotency key>"),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("card_number", sa.Text, nullable=False),
        sa.Column("course_code", sa.Text, nullable=False),
        sa.Column("provider_code", sa.Text, nullable=False),
        sa.Column("platform_code", sa.Text, nullable=False),
        sa.Column("price", sa.BigInteger, sa.CheckConstraint("price > 0", name="ck_vouchers_price"), nullable=False),
        sa.Column(
            "status",
            sa.Text,
            sa.CheckConstraint(
                "status IN ('ACTIVE', 'CANCELLED_VOUCHER', 'CANCELLED_TRANSACTION')", name="ck_vouchers_status"
            ),
            nullable=False,
            server_default="ACTIVE",
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
    )
    op.create_index("ix_vouchers_case", "vouchers", ["case_id"])

    op.execute("CREATE SEQUENCE certificate_seq AS bigint START 1")
    op.create_table(
        "certificates",
        sa.Column("voucher_code", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("course_code", sa.Text, nullable=False),
        sa.Column("serial", sa.Text, nullable=False, unique=True, comment="PKJ/<year>/<nextval('certificate_seq')>"),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_certificates_case", "certificates", ["case_id"])

    op.create_table(
        "notifications",
        sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
        sa.Column("dedupe_key", sa.Text, nullable=False, unique=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("recipient", sa.Text, nullable=False, comment="PII: phone number or e-mail address"),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False, comment="PII: may hold an OTP"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
        sa.Column(
            "status",
            sa.Text,
            sa.CheckConstraint("status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')", name="ck_notifications_status"),
            nullable=False,
            server_default="PENDING",
            comment="SENDING = leased by a dispatcher until next_attempt_at",
        ),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True, server_default=_NOW),
    )
    op.create_index("ix_notifications_case", "notifications", ["case_id", "id"])
    op.create_index(
        "ix_notifications_due",
        "notifications",
        ["next_attempt_at", "id"],
        postgresql_where=sa.text("status IN ('PENDING', 'SENDING')"),
    )

    op.create_table(
        "signed_requests",
        sa.Column("client_code", sa.Text, primary_key=True),
        sa.Column("signature", sa.Text, primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_signed_requests_seen", "signed_requests", ["seen_at"])


def downgrade() -> None:
    op.drop_table("signed_requests")
    op.drop_table("notifications")
    op.drop_table("certificates")
    op.execute("DROP SEQUENCE IF EXISTS certificate_seq")
    op.drop_table("vouchers")
    op.drop_table("ledger_entries")
    op.execute("DROP FUNCTION IF EXISTS ledger_entries_append_only()")
    op.drop_table("cards")  # drops card_seq, which it owns
    op.drop_table("courses")
    op.drop_table("partners")
