"""skills tasks on courses, and the provider integrity read model

``courses.skills_tasks``: the TPM (1–998) and UK (999) tasks a course sets (a constant default: catalog-only).

``case_trainings``: one row per purchased training, derived from ``cases.trainings`` by a trigger (like
``case_waves``): provider, course, status, attendance counts and timings, the skills tasks' outcome, rating and
cancellation. ``rushed`` marks every session redeemed within ``RUSHED_MINUTES`` of the first (sessions are days
apart: someone redeemed for the participant); ``timing_key`` is the redemption clock times to the second, so
trainings of a course with the same key were redeemed at the same seconds for every session.

``training_stats``: per provider and course, the counters the integrity view sums (trainings, finished, certified,
refunds, rushed, tasks set / passed / revised / lapsed, ratings 1–5, training complaints), kept by the same trigger
as a delta of the training's old and new row, and by a trigger on ``complaints`` (a TRAINING complaint counts for the
case's latest training bought before it). The view reads these small tables set-based, never the workflows.

Existing cases are backfilled in batches of 500 (each committed on its own); the sync is idempotent per case (an
unchanged training touches nothing), so a projection that fires the trigger meanwhile does no harm. The sync takes
the counters' rows in (provider, course) order, so concurrent projections never deadlock on them.

Revision ID: 0020
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from adapters.db.online_ddl import in_batches, offline

revision = "0020"
down_revision = "0023"
branch_labels = None
depends_on = None

RUSHED_MINUTES = 10
"""Also written literally in ``training_fact`` (a constant of the SQL, not a parameter)."""

_FACT = """
CREATE OR REPLACE FUNCTION training_fact(p_case text, t jsonb) RETURNS case_trainings LANGUAGE sql STABLE AS $$
  SELECT t->>'voucher_code', p_case, t->'course'->>'provider_code', t->'course'->>'course_code',
         t->'course'->>'platform_code', t->>'status', CAST(t->>'price' AS bigint),
         CAST(t->>'purchased_at' AS timestamptz),
         CAST(jsonb_array_length(COALESCE(t->'course'->'sessions', '[]')) AS bigint),
         r.attended, r.first_at, r.last_at,
         CASE WHEN r.attended >= 2 THEN r.timing END,
         r.attended >= 2 AND r.last_at - r.first_at <= interval '10 minutes',
         k.tasks, k.passed, k.revised, k.lapsed,
         CAST(t->>'rating' AS bigint), t->>'cancelled'
  FROM (SELECT CAST(count(*) AS bigint) AS attended, min(at) AS first_at, max(at) AS last_at,
               string_agg(CAST(CAST(floor(extract(epoch FROM at)) AS bigint) AS text), ',' ORDER BY seq) AS timing
        FROM (SELECT CAST(e->>'at' AS timestamptz) AS at, CAST(e->>'sequence' AS bigint) AS seq
              FROM jsonb_array_elements(COALESCE(t->'redemptions', '[]')) AS e) AS s
        WHERE seq <> 999) AS r,
       (SELECT CAST(count(*) AS bigint) AS tasks,
               CAST(count(*) FILTER (WHERE e->>'status' = 'PASSED') AS bigint) AS passed,
               CAST(COALESCE(sum((SELECT count(*) FROM jsonb_array_elements(e->'grades') AS g
                                  WHERE g->>'verdict' = 'REVISE')), 0) AS bigint) AS revised,
               CAST(count(*) FILTER (WHERE e->>'status' = 'LAPSED') AS bigint) AS lapsed
        FROM jsonb_array_elements(COALESCE(t->'tasks', '[]')) AS e) AS k
$$
"""

_STATS_ADD = """
CREATE OR REPLACE FUNCTION training_stats_add(r case_trainings, sign bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO training_stats AS s (provider_code, course_code, trainings, finished, certified, cancelled,
      refunded_rupiah, rushed, tasks, tasks_passed, tasks_revised, tasks_lapsed,
      rating_1, rating_2, rating_3, rating_4, rating_5, complaints)
  VALUES (r.provider_code, r.course_code, sign,
      CASE WHEN r.status IN ('CERTIFIED', 'NOT_CERTIFIED') THEN sign ELSE 0 END,
      CASE WHEN r.status = 'CERTIFIED' THEN sign ELSE 0 END,
      CASE WHEN r.status = 'CANCELLED' THEN sign ELSE 0 END,
      CASE WHEN r.status = 'CANCELLED' THEN sign * r.price ELSE 0 END,
      CASE WHEN r.rushed THEN sign ELSE 0 END,
      sign * r.tasks, sign * r.tasks_passed, sign * r.tasks_revised, sign * r.tasks_lapsed,
      CASE WHEN r.rating = 1 THEN sign ELSE 0 END, CASE WHEN r.rating = 2 THEN sign ELSE 0 END,
      CASE WHEN r.rating = 3 THEN sign ELSE 0 END, CASE WHEN r.rating = 4 THEN sign ELSE 0 END,
      CASE WHEN r.rating = 5 THEN sign ELSE 0 END, 0)
  ON CONFLICT (provider_code, course_code) DO UPDATE SET
      trainings = s.trainings + EXCLUDED.trainings, finished = s.finished + EXCLUDED.finished,
      certified = s.certified + EXCLUDED.certified, cancelled = s.cancelled + EXCLUDED.cancelled,
      refunded_rupiah = s.refunded_rupiah + EXCLUDED.refunded_rupiah, rushed = s.rushed + EXCLUDED.rushed,
      tasks = s.tasks + EXCLUDED.tasks, tasks_passed = s.tasks_passed + EXCLUDED.tasks_passed,
      tasks_revised = s.tasks_revised + EXCLUDED.tasks_revised,
      tasks_lapsed = s.tasks_lapsed + EXCLUDED.tasks_lapsed,
      rating_1 = s.rating_1 + EXCLUDED.rating_1, rating_2 = s.rating_2 + EXCLUDED.rating_2,
      rating_3 = s.rating_3 + EXCLUDED.rating_3, rating_4 = s.rating_4 + EXCLUDED.rating_4,
      rating_5 = s.rating_5 + EXCLUDED.rating_5
$$
"""

_SYNC_CASE = """
CREATE OR REPLACE FUNCTION case_trainings_sync_case(p_case text, p_trainings jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t jsonb;
  fresh case_trainings;
  stale case_trainings;
BEGIN
  -- In provider, course order: every transaction takes the counters' row locks in one order (no deadlock).
  FOR t IN SELECT e FROM jsonb_array_elements(p_trainings) AS e
           ORDER BY e->'course'->>'provider_code', e->'course'->>'course_code', e->>'voucher_code' LOOP
    fresh := training_fact(p_case, t);
    SELECT * INTO stale FROM case_trainings WHERE voucher_code = fresh.voucher_code;
    IF FOUND THEN
      CONTINUE WHEN stale IS NOT DISTINCT FROM fresh;  -- an unchanged training touches no counter
      DELETE FROM case_trainings WHERE voucher_code = fresh.voucher_code;
      PERFORM training_stats_add(stale, -1);
    END IF;
    INSERT INTO case_trainings SELECT fresh.*;
    PERFORM training_stats_add(fresh, 1);
  END LOOP;
END $$
"""

_TRIGGER_FN = """
CREATE OR REPLACE FUNCTION case_trainings_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM case_trainings_sync_case(NEW.case_id, NEW.trainings);
  RETURN NULL;
END $$
"""

_COMPLAINT_FN = """
CREATE OR REPLACE FUNCTION training_complaint_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE training_stats AS s SET complaints = s.complaints + 1
  FROM (SELECT provider_code, course_code FROM case_trainings
        WHERE case_id = NEW.case_id AND purchased_at <= NEW.filed_at
        ORDER BY purchased_at DESC LIMIT 1) AS t
  WHERE s.provider_code = t.provider_code AND s.course_code = t.course_code;
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.add_column(
        "courses",
        sa.Column("skills_tasks", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        if_not_exists=True,
    )
    op.create_table(
        "case_trainings",
        sa.Column("voucher_code", sa.Text, primary_key=True),
        sa.Column("case_id", sa.Text, nullable=False),
        sa.Column("provider_code", sa.Text, nullable=False),
        sa.Column("course_code", sa.Text, nullable=False),
        sa.Column("platform_code", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("price", sa.BigInteger, nullable=False),
        sa.Column("purchased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sessions", sa.BigInteger, nullable=False),
        sa.Column("attended", sa.BigInteger, nullable=False),
        sa.Column("first_redeem_at", sa.DateTime(timezone=True)),
        sa.Column("last_redeem_at", sa.DateTime(timezone=True)),
        sa.Column("timing_key", sa.Text, comment="redemption clock times (s), ordered by session; 2+ sessions"),
        sa.Column("rushed", sa.Boolean, nullable=False, comment=f"2+ sessions redeemed within {RUSHED_MINUTES} min"),
        sa.Column("tasks", sa.BigInteger, nullable=False),
        sa.Column("tasks_passed", sa.BigInteger, nullable=False),
        sa.Column("tasks_revised", sa.BigInteger, nullable=False),
        sa.Column("tasks_lapsed", sa.BigInteger, nullable=False),
        sa.Column("rating", sa.BigInteger),
        sa.Column("cancelled", sa.Text),
        comment="one row per training, kept from cases.trainings by a trigger (0020)",
        if_not_exists=True,
    )
    op.create_index("ix_case_trainings_case", "case_trainings", ["case_id", "purchased_at"], if_not_exists=True)
    op.create_index(
        "ix_case_trainings_provider",
        "case_trainings",
        ["provider_code", "course_code", "voucher_code"],
        if_not_exists=True,
    )
    op.create_index(
        "ix_case_trainings_timing",
        "case_trainings",
        ["provider_code", "course_code", "timing_key"],
        postgresql_where=sa.text("timing_key IS NOT NULL"),
        if_not_exists=True,
    )
    for name, predicate in (  # one small partial index per flag whose evidence is rare (adapters/db/integrity.py)
        ("rushed", "rushed"),
        ("low_rating", "rating <= 2"),
        ("cancelled", "status = 'CANCELLED'"),
        ("not_certified", "status = 'NOT_CERTIFIED'"),
    ):
        op.create_index(
            f"ix_case_trainings_{name}",
            "case_trainings",
            ["provider_code", "course_code", "voucher_code"],
            postgresql_where=sa.text(predicate),
            if_not_exists=True,
        )
    counters = (
        "trainings", "finished", "certified", "cancelled", "refunded_rupiah", "rushed", "tasks", "tasks_passed",
        "tasks_revised", "tasks_lapsed", "rating_1", "rating_2", "rating_3", "rating_4", "rating_5", "complaints",
    )  # fmt: skip
    op.create_table(
        "training_stats",
        sa.Column("provider_code", sa.Text, primary_key=True),
        sa.Column("course_code", sa.Text, primary_key=True),
        *(sa.Column(c, sa.BigInteger, nullable=False, server_default="0") for c in counters),
        comment="per provider and course: counters over case_trainings and training complaints (0020 triggers)",
        if_not_exists=True,
    )
    op.create_table(
        "sandbox_tasks",
        sa.Column("redeem_code", sa.Text, sa.ForeignKey("sandbox_codes.redeem_code"), primary_key=True),
        sa.Column("sequence", sa.BigInteger, primary_key=True),
        sa.Column("task", JSONB, nullable=False),
        comment="TPM/UK tasks of sandbox PRAT- codes; reset deletes them",
        if_not_exists=True,
    )
    for ddl in (_FACT, _STATS_ADD, _SYNC_CASE, _TRIGGER_FN, _COMPLAINT_FN):
        op.execute(ddl)
    op.execute(
        "CREATE OR REPLACE TRIGGER cases_trainings_sync AFTER UPDATE OF trainings ON cases FOR EACH ROW"
        " WHEN (OLD.trainings IS DISTINCT FROM NEW.trainings) EXECUTE FUNCTION case_trainings_sync()"
    )
    op.execute(
        "CREATE OR REPLACE TRIGGER complaints_training_count AFTER INSERT ON complaints FOR EACH ROW"
        " WHEN (NEW.category = 'TRAINING') EXECUTE FUNCTION training_complaint_count()"
    )
    in_batches(_backfill_batch, start="")


def _backfill_batch(after: str) -> str | None:
    batch = (
        "SELECT case_id, trainings FROM cases WHERE case_id > :after AND trainings <> CAST('[]' AS jsonb)"
        " ORDER BY case_id LIMIT 500"
    )
    stmt = sa.text(
        f"WITH b AS ({batch}), s AS (SELECT case_trainings_sync_case(case_id, trainings) FROM b)"  # noqa: S608 (constant)
        " SELECT max(case_id) FROM b WHERE (SELECT count(*) FROM s) >= 0"
    )
    if offline():
        op.execute(stmt.bindparams(after=after))
        return None
    return op.get_bind().execute(stmt, {"after": after}).scalar()


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS complaints_training_count ON complaints")
    op.execute("DROP TRIGGER IF EXISTS cases_trainings_sync ON cases")
    for fn in (
        "training_complaint_count()",
        "case_trainings_sync()",
        "case_trainings_sync_case(text, jsonb)",
        "training_stats_add(case_trainings, bigint)",
        "training_fact(text, jsonb)",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.drop_table("sandbox_tasks")
    op.drop_table("training_stats")
    op.drop_table("case_trainings")
    op.drop_column("courses", "skills_tasks")
