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

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

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
CREATE FUNCTION case_waves_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM case_waves WHERE case_id = NEW.case_id;
  INSERT INTO case_waves (wave_id, case_id, province_code, applied_at)
  SELECT DISTINCT e ->> 'wave_id', NEW.case_id, NEW.province_code, NEW.applied_at
  FROM jsonb_array_elements(NEW.waves) AS e
  WHERE e ->> 'wave_id' IS NOT NULL;
  RETURN NULL;
END $$
"""

_BACKFILL = """
INSERT INTO case_waves (wave_id, case_id, province_code, applied_at)
SELECT DISTINCT e ->> 'wave_id', c.case_id, c.province_code, c.applied_at
FROM cases AS c, jsonb_array_elements(c.waves) AS e
WHERE c.waves <> '[]'::jsonb AND e ->> 'wave_id' IS NOT NULL
"""


def upgrade() -> None:
    # Province + stage: an ordered range read that stops after the page.
    op.create_index("ix_cases_province_stage_applied", "cases", ["province_code", "stage", *_KEY])
    # The stage index of 0001 lacked case_id: the keyset condition could not bound the scan exactly.
    op.drop_index("ix_cases_stage_applied", table_name="cases")
    op.create_index("ix_cases_stage_applied", "cases", ["stage", *_KEY])
    # A name prefix in a province (and a stage): the matches are a range of this index, sorted by the included
    # order key without reading a row (index-only); the search then reads the page's rows alone.
    op.create_index(
        "ix_cases_province_name",
        "cases",
        ["province_code", sa.text("lower(full_name) text_pattern_ops")],
        postgresql_include=["stage", "applied_at", "case_id", "full_name"],
    )
    for name, predicate in FLAGS.items():
        where = sa.text(predicate)
        op.create_index(f"ix_cases_flag_{name}", "cases", list(_KEY), postgresql_where=where)
        op.create_index(f"ix_cases_flag_{name}_province", "cases", ["province_code", *_KEY], postgresql_where=where)

    op.create_table(
        "case_waves",
        sa.Column("case_id", sa.Text, primary_key=True),
        sa.Column("wave_id", sa.Text, primary_key=True),
        sa.Column("province_code", sa.Text, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        comment="search index of cases.waves (one row per wave a case joined), kept by trigger case_waves_sync",
    )
    op.execute(_BACKFILL)
    # Added after the backfill: one validating anti-join instead of a check per inserted row.
    op.create_foreign_key("fk_case_waves_case", "case_waves", "cases", ["case_id"], ["case_id"], ondelete="CASCADE")
    op.create_index("ix_case_waves_wave", "case_waves", ["wave_id", *_KEY])
    op.create_index("ix_case_waves_wave_province", "case_waves", ["wave_id", "province_code", *_KEY])
    op.execute(_SYNC)
    op.execute(
        "CREATE TRIGGER cases_waves_insert AFTER INSERT ON cases FOR EACH ROW "
        "WHEN (NEW.waves <> '[]'::jsonb) EXECUTE FUNCTION case_waves_sync()"
    )
    # The projection rewrites every column on each version: act only when what case_waves copies changed.
    op.execute(
        "CREATE TRIGGER cases_waves_update AFTER UPDATE ON cases FOR EACH ROW "
        "WHEN (OLD.waves IS DISTINCT FROM NEW.waves OR OLD.province_code IS DISTINCT FROM NEW.province_code"
        " OR OLD.applied_at IS DISTINCT FROM NEW.applied_at) EXECUTE FUNCTION case_waves_sync()"
    )
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
