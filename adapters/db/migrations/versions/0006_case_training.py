"""the read model carries the card, the trainings and the derived balance

The card-number index is built CONCURRENTLY (online-safe; same index as before for databases that ran 0006);
the columns are added with IF NOT EXISTS so that a run interrupted after the build can be run again.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from adapters.db.online_ddl import create_index_concurrently

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = (
        sa.Column("enrollment", JSONB, nullable=True),
        sa.Column("trainings", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("balance", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("card_number", sa.Text, nullable=True),
    )
    for column in columns:  # constant defaults: catalog-only changes, no table rewrite
        op.add_column("cases", column, if_not_exists=True)
    create_index_concurrently("ix_cases_card_number", "cases", ["card_number"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_cases_card_number", table_name="cases")
    for column in ("card_number", "balance", "trainings", "enrollment"):
        op.drop_column("cases", column)
