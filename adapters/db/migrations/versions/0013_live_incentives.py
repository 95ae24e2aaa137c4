"""the live case feed carries the incentive tranches: a participant's phone sees a survey open or a payment land
as it happens (the ``myCaseStatus`` subscription), instead of reading the whole case again to find out.

Revision ID: 0013
Revises: 0012
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_FUNCTION = """
CREATE OR REPLACE FUNCTION notify_case_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.version IS DISTINCT FROM OLD.version THEN
    PERFORM pg_notify('case_changes', json_build_object(
      'case_id', NEW.case_id, 'account_id', NEW.account_id, 'province_code', NEW.province_code,
      'stage', NEW.stage, 'version', NEW.version, 'next_action', left(NEW.next_action, 500),
      'updated_at', NEW.updated_at{extra})::text);
  END IF;
  RETURN NULL;
END $$
"""
_INCENTIVES = """,
      'incentives', (
        SELECT coalesce(json_agg(json_build_object(
          'number', t->'number', 'kind', t->'kind', 'amount', t->'amount', 'status', t->'status',
          'due_at', t->'due_at', 'survey_due_at', t->'survey_due_at', 'paid_at', t->'paid_at')), '[]'::json)
        FROM jsonb_array_elements(coalesce(NEW.payouts->'incentives', '[]'::jsonb)) AS t)"""
_NOTIFY = _FUNCTION.format(extra=_INCENTIVES)
_NOTIFY_0010 = _FUNCTION.format(extra="")  # the body migration 0010 created, restored on downgrade


def upgrade() -> None:
    op.execute(_NOTIFY)


def downgrade() -> None:
    op.execute(_NOTIFY_0010)
