"""Enrolment in bulk: the selected participants' cards and balance credits issued set-based by the selection.

The same rules as one enrolment (``adapters.db.training_ledger.PgTrainingLedger.enroll``): a card number from
``card_seq`` through ``prakerja_card_number`` (``domain.enrollment.card.card_number`` in SQL: scrambled, Luhn
checked, unique by the sequence), one card per case, and the credit under the ledger key ``<case>:credit`` with the
scheme's balance. Both inserts skip what exists, so a repeated selection or a participant's own enrolment finds the
same card and the same credit. A woken workflow is handed its card with the wave's signal and records it.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.scheme import SCHEMES

ISSUE = """WITH chosen AS (
  SELECT r.case_id, c.scheme_id FROM wave_results AS r JOIN cases AS c ON c.case_id = r.case_id
  WHERE r.wave_id = :w AND r.selected AND NOT EXISTS (SELECT 1 FROM cards AS k WHERE k.case_id = r.case_id)
  ORDER BY r.case_id),
numbered AS (SELECT case_id, scheme_id, nextval('card_seq') AS seq FROM chosen),
issued AS (
  INSERT INTO cards (case_id, card_number, seq, scheme_id, status, issued_at)
  SELECT case_id, prakerja_card_number(seq), seq, scheme_id, 'ACTIVE', :at FROM numbered
  ON CONFLICT (case_id) DO NOTHING
  RETURNING case_id, card_number, scheme_id)
INSERT INTO ledger_entries (entry_key, case_id, card_number, kind, amount, reference, at)
SELECT i.case_id || '\\:credit', i.case_id, i.card_number, 'CREDIT', b.amount, i.scheme_id, :at
FROM issued AS i JOIN jsonb_to_recordset(CAST(:balances AS jsonb)) AS b(scheme text, amount bigint)
  ON b.scheme = regexp_replace(i.scheme_id, '_X[0-9]+$', '')
ON CONFLICT (entry_key) DO NOTHING"""
# A compressed test scheme (``<ID>_X<factor>``) keeps its base's balance.


async def issue_cards(conn: AsyncConnection, wave_id: str, at: dt.datetime) -> int:
    """In the selection's transaction: a card and its credit for every selected joiner without one; how many."""
    balances = json.dumps([{"scheme": s.id, "amount": s.balance} for s in SCHEMES.values()])
    return int((await conn.execute(text(ISSUE), {"w": wave_id, "at": at, "balances": balances})).rowcount or 0)
