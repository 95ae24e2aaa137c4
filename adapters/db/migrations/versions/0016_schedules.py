"""schedules with a quota (the partner API's quota-schedule / send-otp / authorize / void), the seat each
purchase on a schedule holds, a course's entry requirements (age, education) that send-otp checks, and the
sandbox's PRAT- test codes (apart from every real voucher).

A purchase takes its seat in the transaction of its debit (``record_purchase``) and a cancelled voucher gives it
back in the transaction of its cancellation, so ``taken`` always equals the schedule's live seats.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "course_schedules",
        sa.Column("schedule_code", sa.Text, primary_key=True),
        sa.Column("course_code", sa.Text, sa.ForeignKey("courses.course_code"), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("quota", sa.BigInteger, nullable=False),
        sa.Column("taken", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("sandbox", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.CheckConstraint("quota >= 0 AND taken >= 0 AND taken <= quota", name="ck_schedule_seats"),
        sa.CheckConstraint("ends_at >= starts_at", name="ck_schedule_period"),
    )
    op.create_index("ix_course_schedules_course", "course_schedules", ["course_code"])
    op.create_table(
        "schedule_seats",
        sa.Column("purchase_key", sa.Text, primary_key=True, comment="<platform>:<the platform's invoice_code>"),
        sa.Column("schedule_code", sa.Text, sa.ForeignKey("course_schedules.schedule_code"), nullable=False),
        sa.Column("voucher_code", sa.Text, unique=True, comment="set when the purchase took the seat"),
        sa.Column("invoice_url", sa.Text, nullable=False, server_default=""),
        sa.Column("released_at", sa.DateTime(timezone=True), comment="the voucher was cancelled: seat given back"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "course_requirements",
        sa.Column("course_code", sa.Text, sa.ForeignKey("courses.course_code"), primary_key=True),
        sa.Column("min_age", sa.BigInteger),
        sa.Column("max_age", sa.BigInteger),
        sa.Column("min_education", sa.Text, comment="domain.application.Education; none = any"),
    )

    op.create_table(
        "sandbox_codes",
        sa.Column("redeem_code", sa.Text, primary_key=True, comment="PRAT-…: a test code, never a real voucher"),
        sa.Column("provider_code", sa.Text, sa.ForeignKey("partners.client_code"), nullable=False),
        sa.Column(
            "test_case", sa.Text, nullable=False, comment="TC1-001-200 | TC1-999-200 | TC2-001-200 | TC2-999-200"
        ),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.Column("redeemed_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sandbox_codes")
    op.drop_table("course_requirements")
    op.drop_table("schedule_seats")
    op.drop_index("ix_course_schedules_course", table_name="course_schedules")
    op.drop_table("course_schedules")
