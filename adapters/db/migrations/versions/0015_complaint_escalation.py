"""Complaints escalated to supervisors when unanswered at their service level.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without a default: a catalogue-only change, no table rewrite and no long lock.
    op.add_column("complaints", sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("complaints", "escalated_at")
