"""phones in E.164 (``+628…``): SMS recipients in the ``notifications`` outbox, and the phone inside every sealed
application form (``cases.pii``), as the API now stores them.

The sealed forms are opened and sealed again in Python with ``PII_KEYS`` / ``PII_ACTIVE_KEY`` from the environment
(SQL cannot read them). Without the keys those rows are left as they are: the API and the projections normalise a
form's phone when they open or seal it (adapters/db/sealed_forms.py), so an unmigrated row still reads ``+62…``
and is rewritten in E.164 by its case's next projection. A number that is not a mobile number stays as typed.

Revision ID: 0014
Revises: 0013
"""

import json
import logging
import os

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_BATCH = 1000
_log = logging.getLogger("alembic.runtime.migration")


def _notifications(bind: sa.Connection) -> None:
    from domain.phones import normalised

    rows = bind.execute(
        sa.text("SELECT id, recipient FROM notifications WHERE channel = 'SMS' AND recipient NOT LIKE '+%'")
    )
    changed = [{"id": r.id, "phone": normalised(r.recipient)} for r in rows]
    changed = [c for c in changed if c["phone"].startswith("+")]
    update = sa.text("UPDATE notifications SET recipient = :phone WHERE id = :id")
    for start in range(0, len(changed), _BATCH):
        bind.execute(update, changed[start : start + _BATCH])


def _sealed_forms(bind: sa.Connection) -> None:
    if bind.execute(sa.text("SELECT NOT EXISTS (SELECT 1 FROM cases)")).scalar():
        return
    if not (os.environ.get("PII_KEYS") and os.environ.get("PII_ACTIVE_KEY")):
        _log.warning("0014: PII_KEYS unset; sealed phones are normalised on read and by the next projection")
        return
    from adapters.db.pii import FieldCipher
    from domain.phones import normalised

    cipher = FieldCipher.from_settings(os.environ["PII_KEYS"], os.environ["PII_ACTIVE_KEY"])
    update = sa.text("UPDATE cases SET pii = :pii WHERE case_id = :id")
    last = ""
    while True:  # keyset batches: the whole table is never in memory at once
        rows = bind.execute(
            sa.text("SELECT case_id, pii FROM cases WHERE case_id > :last ORDER BY case_id LIMIT :n"),
            {"last": last, "n": _BATCH},
        ).all()
        if not rows:
            return
        changed = []
        for r in rows:
            form = json.loads(cipher.open(r.pii, "cases.pii"))
            phone = normalised(str(form.get("phone", "")))
            if phone != form.get("phone"):
                form["phone"] = phone
                changed.append({"id": r.case_id, "pii": cipher.seal(json.dumps(form).encode(), "cases.pii")})
        if changed:
            bind.execute(update, changed)
        last = rows[-1].case_id


def upgrade() -> None:
    if op.get_context().as_sql:  # rendered offline (--sql): a data migration with no schema change; phones are
        op.execute("-- 0014: phones normalised to E.164 by the online upgrade (and on read)")
        return  # normalised on read until it runs online
    bind = op.get_bind()
    _notifications(bind)
    _sealed_forms(bind)


def downgrade() -> None:
    pass  # E.164 is a valid way to write every number the older code accepted
