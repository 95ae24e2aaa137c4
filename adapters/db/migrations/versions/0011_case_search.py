"""staff case search over 1M cases: composite and partial indexes for every filter, and ``case_waves``,
the waves each case joined in keyset order (kept from ``cases.waves`` by a trigger)

The filter indexes end in (applied_at DESC, case_id DESC), the search's keyset order, so a filtered page is
an ordered index range read that stops after ``first + 1`` rows instead of sorting every match. A name prefix
cannot be read in that order; its index carries the order key (INCLUDE) so the matches are sorted without
reading rows.

A wave has hundreds of thousands of joiners who applied at about the same time: a GIN index on
``cases.waves`` finds them but cannot return them in keyset order (every match is fetched and sorted: 0.64 s
for a 123k-joiner wave over 1M cases), and an ordered scan of ``ix_cases_applied`` filtered by ``waves @>``
walks every newer case first (4 s for the oldest wave).
``case_waves`` holds one row per (wave, case) with the case's order key and province, so a wave's page is
a btree range read joined to ``cases`` by primary key.

Online-safe (rewritten in place; a database that already ran 0011 has the same schema, see
tests/adapters/schema_0013.txt): the ``cases`` indexes are built CONCURRENTLY outside the transaction (writers
are never blocked; the stage index is rebuilt under a temporary name and renamed), ``case_waves`` and its
triggers are created in one short transaction (the triggers keep it current from then on), and the backfill
runs afterwards in committed batches of ``BATCH`` cases in key order (``ON CONFLICT DO NOTHING``: a row the
trigger wrote first wins). Each step skips what an interrupted earlier attempt finished.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from adapters.db.online_ddl import create_index_concurrently, in_batches, offline, replace_index_concurrently

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_KEY = (sa.text("applied_at DESC"), sa.text("case_id DESC"))

# The adapter's filter SQL (adapters/db/case_store.py, FLAG_SQL) must stay identical to these predicates:
# PostgreSQL uses a partial index only when it can match the query's condition to the index predicate.
FLAGS = {
    "payout_failed": """(payouts -> 'incentives') @> '[{"status": "FAILED"}]'::jsonb""",
    "clawback": "(stage = 'CLAWBACK' OR jsonb_typeof(payouts -> 'clawback') = 'object')",
    "card_revoked": "(enrollment ->> 'status') = 'REVOKED'",
    "no_purchase_yet": (
        "((enrollment ->> 'status') = 'ACTIVE'"
        """ AND NOT jsonb_path_exists(trainings, '$[*] ? (@.status != "CANCELLED")'))"""
    ),
}

_SYNC = """
CREATE OR REPLACE FUNCTION case_waves_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM case_waves WHERE case_id = NEW.case_id;
  INSERT INTO case_waves (wave_id, case_id, province_code, applied_at)
  SELECT DISTINCT e ->> 'wave_id', NEW.case_id, NEW.province_code, NEW.applied_at
  FROM jsonb_array_elements(NEW.waves) AS e
  WHERE e ->> 'wave_id' IS NOT NULL;
  RETURN NULL;
END $$
"""

BATCH = 5000
_BACKFILL = sa.text("""
WITH batch AS (
  SELECT case_id, province_code, applied_at, waves FROM cases WHERE case_id > :after ORDER BY case_id LIMIT :size
), copied AS (
  INSERT INTO case_waves (wave_id, case_id, province_code, applied_at)
  SELECT DISTINCT e ->> 'wave_id', b.case_id, b.province_code, b.applied_at
  FROM batch AS b, jsonb_array_elements(b.waves) AS e
  WHERE b.waves <> '[]'::jsonb AND e ->> 'wave_id' IS NOT NULL
  ON CONFLICT DO NOTHING
)
SELECT max(case_id) FROM batch
""")


def _backfill_batch(after: str) -> str | None:
    statement = _BACKFILL.bindparams(after=after, size=BATCH)
    if offline():
        op.execute(statement)
        return None
    return op.get_bind().execute(statement).scalar()


def upgrade() -> None:
    # Province + stage: an ordered range read that stops after the page.
    create_index_concurrently("ix_cases_province_stage_applied", "cases", ["province_code", "stage", *_KEY])
    # The stage index of 0001 lacked case_id: the keyset condition could not bound the scan exactly.
    replace_index_concurrently("ix_cases_stage_applied", "cases", ["stage", *_KEY])
    # A name prefix in a province (and a stage): the matches are a range of this index, sorted by the included
    # order key without reading a row (index-only); the search then reads the page's rows alone.
    create_index_concurrently(
        "ix_cases_province_name",
        "cases",
        ["province_code", sa.text("lower(full_name) text_pattern_ops")],
        postgresql_include=["stage", "applied_at", "case_id", "full_name"],
    )
    for name, predicate in FLAGS.items():
        where = sa.text(predicate)
        create_index_concurrently(f"ix_cases_flag_{name}", "cases", list(_KEY), postgresql_where=where)
        create_index_concurrently(
            f"ix_cases_flag_{name}_province", "cases", ["province_code", *_KEY], postgresql_where=where
        )

    # One transaction: the table, its indexes and the triggers that keep it (each statement re-runnable).
    op.create_table(
        "case_waves",
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("wave_id", sa.Text, primary_key=True),
        sa.Column("province_code", sa.Text, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.case_id"], name="fk_case_waves_case", ondelete="CASCADE"),
        comment="search index of cases.waves (one row per wave a case joined), kept by trigger case_waves_sync",
        if_not_exists=True,
    )
    op.create_index("ix_case_waves_wave", "case_waves", ["wave_id", *_KEY], if_not_exists=True)
    op.create_index(
        "ix_case_waves_wave_province", "case_waves", ["wave_id", "province_code", *_KEY], if_not_exists=True
    )
    op.execute(_SYNC)
    op.execute(
        "CREATE OR REPLACE TRIGGER cases_waves_insert AFTER INSERT ON cases FOR EACH ROW "
        "WHEN (NEW.waves <> '[]'::jsonb) EXECUTE FUNCTION case_waves_sync()"
    )
    # The projection rewrites every column on each version: act only when what case_waves copies changed.
    op.execute(
        "CREATE OR REPLACE TRIGGER cases_waves_update AFTER UPDATE ON cases FOR EACH ROW "
        "WHEN (OLD.waves IS DISTINCT FROM NEW.waves OR OLD.province_code IS DISTINCT FROM NEW.province_code"
        " OR OLD.applied_at IS DISTINCT FROM NEW.applied_at) EXECUTE FUNCTION case_waves_sync()"
    )
    # The cases that existed before the triggers, in committed batches (no lock on cases beyond reading).
    in_batches(_backfill_batch, start="")
    op.execute("ANALYZE cases")
    op.execute("ANALYZE case_waves")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS cases_waves_update ON cases")
    op.execute("DROP TRIGGER IF EXISTS cases_waves_insert ON cases")
    op.execute("DROP FUNCTION IF EXISTS case_waves_sync()")
    op.drop_table("case_waves")
    for name in FLAGS:
        op.drop_index(f"ix_cases_flag_{name}_province", table_name="cases")
        op.drop_index(f"ix_cases_flag_{name}", table_name="cases")
    op.drop_index("ix_cases_province_name", table_name="cases")
    op.drop_index("ix_cases_stage_applied", table_name="cases")
    op.create_index("ix_cases_stage_applied", "cases", ["stage", sa.text("applied_at DESC")])
    op.drop_index("ix_cases_province_stage_applied", table_name="cases")
