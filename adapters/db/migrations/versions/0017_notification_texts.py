"""notifications keep their catalogue text (code and parameters) next to the body as sent, so a participant can
read a message again in another language; rows written before stay without one (their body is shown as sent).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "notifications",
        sa.Column("message", JSONB, nullable=True, comment="catalogue text of the body: {code, params}"),
    )


def downgrade() -> None:
    op.drop_column("notifications", "message")
