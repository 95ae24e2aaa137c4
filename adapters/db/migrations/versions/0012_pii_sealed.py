"""personal data encrypted at rest: ``cases.full_name`` and ``cases.application`` (e-mail, phone, date of birth,
addresses, name) become ``cases.pii`` (AES-256-GCM, adapters/db/pii.py); name search reads ``case_names``, blind
prefix tokens kept from ``cases.name_tokens`` by a trigger, in keyset order like ``case_waves``.

Existing rows are sealed here with ``PII_KEYS`` / ``PII_ACTIVE_KEY`` and tokenised with ``CASE_HMAC_KEY`` from the
environment (the migration refuses to run on a populated table without them). At national scale this backfill is
a batched job run before the column drop; here it runs in the migration.

Revision ID: 0012
Revises: 0011
"""

import json
import os

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_KEY = (sa.text("applied_at DESC"), sa.text("case_id DESC"))

_SYNC = """
CREATE FUNCTION case_names_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM case_names WHERE case_id = NEW.case_id;
  INSERT INTO case_names (token, case_id, province_code, applied_at)
  SELECT DISTINCT t, NEW.case_id, NEW.province_code, NEW.applied_at FROM unnest(NEW.name_tokens) AS t;
  RETURN NULL;
END $$
"""


def _backfill() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT case_id, full_name, application FROM cases")).all()
    if not rows:
        return
    missing = [k for k in ("CASE_HMAC_KEY", "PII_KEYS", "PII_ACTIVE_KEY") if not os.environ.get(k)]
    if missing:
        raise RuntimeError(f"migration 0012 seals existing personal data: set {', '.join(missing)}")
    from adapters.db.pii import FieldCipher
    from domain.names import name_tokens

    cipher = FieldCipher.from_settings(os.environ["PII_KEYS"], os.environ["PII_ACTIVE_KEY"])
    key = os.environ["CASE_HMAC_KEY"].encode()
    update = sa.text("UPDATE cases SET pii = :pii, name_tokens = :tokens WHERE case_id = :id")
    for start in range(0, len(rows), 1000):  # executemany in batches
        batch = rows[start : start + 1000]
        bind.execute(
            update,
            [
                {
                    "pii": cipher.seal(json.dumps(r.application).encode(), "cases.pii"),
                    "tokens": name_tokens(r.full_name, key),
                    "id": r.case_id,
                }
                for r in batch
            ],
        )


def upgrade() -> None:
    op.add_column("cases", sa.Column("pii", sa.LargeBinary, comment="sealed application (AES-256-GCM)"))
    op.add_column(
        "cases",
        sa.Column("name_tokens", ARRAY(sa.Text), nullable=False, server_default="{}", comment="blind name prefixes"),
    )
    op.create_table(
        "case_names",
        sa.Column("token", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.case_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("province_code", sa.Text, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        comment="name search: one row per (blind name prefix, case), kept by trigger case_names_sync",
    )
    op.create_index("ix_case_names_token", "case_names", ["token", *_KEY])
    op.create_index("ix_case_names_token_province", "case_names", ["token", "province_code", *_KEY])
    op.execute(_SYNC)
    op.execute(
        "CREATE TRIGGER cases_names_insert AFTER INSERT ON cases FOR EACH ROW "
        "WHEN (NEW.name_tokens <> '{}') EXECUTE FUNCTION case_names_sync()"
    )
    op.execute(
        "CREATE TRIGGER cases_names_update AFTER UPDATE ON cases FOR EACH ROW "
        "WHEN (OLD.name_tokens IS DISTINCT FROM NEW.name_tokens OR OLD.province_code IS DISTINCT FROM "
        "NEW.province_code OR OLD.applied_at IS DISTINCT FROM NEW.applied_at) EXECUTE FUNCTION case_names_sync()"
    )
    _backfill()
    op.alter_column("cases", "pii", nullable=False)
    op.drop_index("ix_cases_province_name", table_name="cases")
    op.drop_index("ix_cases_name", table_name="cases")
    op.drop_column("cases", "full_name")
    op.drop_column("cases", "application")


def downgrade() -> None:
    raise NotImplementedError("0012 removed the plaintext personal data; restore from a backup to go back")
