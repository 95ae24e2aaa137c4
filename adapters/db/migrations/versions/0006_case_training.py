"""the read model carries the card, the trainings and the derived balance

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("enrollment", JSONB, nullable=True))
    op.add_column("cases", sa.Column("trainings", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")))
    op.add_column("cases", sa.Column("balance", sa.BigInteger, nullable=False, server_default="0"))
    op.add_column("cases", sa.Column("card_number", sa.Text, nullable=True))
    op.create_index("ix_cases_card_number", "cases", ["card_number"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_cases_card_number", table_name="cases")
    for column in ("card_number", "balance", "trainings", "enrollment"):
        op.drop_column("cases", column)
