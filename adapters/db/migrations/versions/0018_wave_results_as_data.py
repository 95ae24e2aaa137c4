"""wave results as data: which joiners a wave's fan-out wakes, and a narrower search-index trigger.

``wave_joiners.wake_all``: true for a joiner whose workflow learns its result only when woken (code before
generation 3, and every row before this migration), false for one that reads it at its next interaction (only the
selected are woken, to enrol). The selection writes every joiner's outcome into ``cases`` itself, so
``case_waves`` is kept only when the *waves joined* change, not when an outcome is added to one of them.

``prakerja_card_number(seq)``: ``domain.enrollment.card.card_number`` in SQL (prefix 5, the sequence scrambled by
multiplication mod 10^14, Luhn check digit), so the selection can issue the selected participants' cards set-based.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_IDS = "jsonb_path_query_array({}.waves, '$[*].wave_id')"
_WAVE_IDS_CHANGED = f"{_IDS.format('OLD')} IS DISTINCT FROM {_IDS.format('NEW')}"
_SAME_ROW = " OR OLD.province_code IS DISTINCT FROM NEW.province_code OR OLD.applied_at IS DISTINCT FROM NEW.applied_at"


def _trigger(when: str) -> str:
    return (
        "CREATE TRIGGER cases_waves_update AFTER UPDATE ON cases FOR EACH ROW"
        f" WHEN ({when}) EXECUTE FUNCTION case_waves_sync()"
    )


_CARD_NUMBER = """
CREATE FUNCTION prakerja_card_number(seq bigint) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT body || CAST((10 - (
    SELECT sum(CASE WHEN i % 2 = 0 THEN CASE WHEN 2 * d > 9 THEN 2 * d - 9 ELSE 2 * d END ELSE d END)
    FROM (SELECT i, CAST(substr(reverse(body), i + 1, 1) AS int) AS d FROM generate_series(0, 14) AS i) AS digits
  ) % 10) % 10 AS text)
  FROM (SELECT '5' || lpad(CAST((CAST(seq AS numeric) * 73939133391) % 100000000000000 AS text), 14, '0') AS body) AS b
$$
"""


def upgrade() -> None:
    op.execute(_CARD_NUMBER)
    op.add_column(
        "wave_joiners",
        sa.Column(
            "wake_all",
            sa.Boolean,
            nullable=False,
            server_default=sa.true(),
            comment="the fan-out wakes this joiner whatever its result (false: only if selected)",
        ),
    )
    op.execute("DROP TRIGGER IF EXISTS cases_waves_update ON cases")
    op.execute(_trigger(_WAVE_IDS_CHANGED + _SAME_ROW))


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS prakerja_card_number(bigint)")
    op.execute("DROP TRIGGER IF EXISTS cases_waves_update ON cases")
    op.execute(_trigger("OLD.waves IS DISTINCT FROM NEW.waves" + _SAME_ROW))
    op.drop_column("wave_joiners", "wake_all")
