"""url-generate's one e-mail per training: which participant first used an e-mail (a keyed digest, never the
address) for a course (partner-api.md §5.1; ``domain.training.attendance_emails``).

Revision ID: 0021
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attendance_emails",
        sa.Column("course_code", sa.Text, primary_key=True),
        sa.Column("email_digest", sa.Text, primary_key=True, comment="HMAC-SHA256 of the trimmed, lower-cased e-mail"),
        sa.Column("case_id", sa.Text, nullable=False, comment="the participant holding the e-mail for this course"),
        sa.Column("redeem_code", sa.Text, nullable=False, comment="the redeem code it was first used with"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("attendance_emails")
