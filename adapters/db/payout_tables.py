"""Tables of incentive payouts: payment attempts, reconciliation and clawback receivables (Alembic owns the
schema; these mirror it for queries)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Identity,
    Integer,
    Table,
    Text,
    UniqueConstraint,
)

from adapters.db.tables import metadata

payments = Table(
    "payments",
    metadata,
    Column("key", Text, primary_key=True, comment="<case>:incentive:<n>/<attempt>"),
    Column("tranche_key", Text, nullable=False, comment="<case>:incentive:<n>; unique among non-FAILED rows"),
    Column("case_id", Text, nullable=False),
    Column("tranche", Integer, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("kind", Text, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("provider", Text, nullable=False),
    Column("account_number", Text, nullable=False),
    Column("link_no", Integer, nullable=False),
    Column("status", Text, nullable=False, comment="PENDING | PAID | FAILED (a trigger settles once)"),
    Column("partner_ref", Text),
    Column("failure_code", Text),
    Column("failure_message", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("settled_at", DateTime(timezone=True)),
)

payment_discrepancies = Table(
    "payment_discrepancies",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("day", Date, nullable=False),
    Column("key", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("case_id", Text),
    Column("detail", Text, nullable=False),
    Column("found_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False, comment="OPEN | RESOLVED"),
    Column("resolved_by", Text),
    Column("resolved_note", Text),
    Column("resolved_at", DateTime(timezone=True)),
    UniqueConstraint("day", "key", "kind"),
)

reconciliation_runs = Table(
    "reconciliation_runs",
    metadata,
    Column("day", Date, primary_key=True),
    Column("lines", Integer, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("found", Integer, nullable=False),
    Column("ran_at", DateTime(timezone=True), nullable=False),
)

receivables = Table(
    "receivables",
    metadata,
    Column("case_id", Text, primary_key=True),
    Column("training_aid", BigInteger, nullable=False),
    Column("incentives", BigInteger, nullable=False),
    Column("reason_code", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False, comment="OPEN | REPAID | ESCALATED"),
    Column("closed_at", DateTime(timezone=True)),
)

repayments = Table(
    "repayments",
    metadata,
    Column("key", Text, primary_key=True),
    Column("case_id", Text, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("reference", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
