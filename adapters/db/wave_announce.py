"""Wave results as data: the results overlaid on the read model from the selection's commit
(``adapters.db.wave_overlay``), folded into the case rows page by page behind the wave's fan-out, and live-status
pushes for those changes in bounded batches.

* ``fold_range`` (the trickle, one fan-out page at a time, after the page's selected were signalled): each joiner
  of the page not selected and still waiting in the wave (its case row ``IN_WAVE`` with that wave undecided) gets
  the outcome and reason in its wave history, the selection decision, its stage (back to ``ELIGIBLE``) and next
  action: what the overlay showed. The selected are left to their woken workflows. The JSON is the codec's own:
  one template per reason, built here from the domain's ``wave_decision`` (the decision's ruleset set per case from
  its scheme), so a participant's workflow projecting the same outcome later writes the same bytes. The version is
  not bumped: it belongs to the workflow (its projection replaces the row only with a newer one). Bounded by the
  page and resumable with the fan-out's cursor (a row already folded no longer matches).
* ``wake_page`` pages over a wave's joiners in case ID order until it has ``limit`` to wake: the selected ones
  (to enrol) and those whose code learns its result only when woken (``wave_joiners.wake_all``).
* ``push_range`` raises the live-status notifications of one page's changed rows, grouped into ``case_changes``
  messages of at most ~6 kB each (``{"changes": [...]}``, expanded per account by the change feed), instead of one
  notification per row: a 6M-joiner wave is ~120,000 messages spread over the fan-out's pages, not 6M at commit.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.codec import decisions_to_json, waves_to_json
from domain.ability_test.attempts import AttemptStatus, TestAttempt
from domain.case import Stage
from domain.decisions import wave_decision
from domain.enrollment.ledger import EntryKind, LedgerEntry
from domain.progress import next_action
from domain.scheme import SCHEMES
from domain.training.messages import EnrollResult
from domain.waves.lifecycle import REASON_TEXT, WaveDecided, WaveEntry, WaveResult
from domain.waves.ports import WakePage

PUSH_BYTES = 6000
"""Entries per live-status message, by size: a NOTIFY payload must stay under 8,000 bytes."""

OUTCOMES = """UPDATE cases AS c SET
  stage = t.stage,
  next_action = t.next_action,
  waves = jsonb_set(c.waves, ARRAY[CAST(jsonb_array_length(c.waves) - 1 AS text)], (c.waves -> -1) || t.entry),
  decisions = c.decisions || jsonb_build_array(jsonb_set(t.decision, '{{ruleset_version}}', to_jsonb({ruleset}))),
  updated_at = :at
FROM wave_results AS r,
     jsonb_to_recordset(CAST(:tpl AS jsonb))
       AS t(reason text, stage text, next_action text, entry jsonb, decision jsonb)
WHERE r.wave_id = :w AND r.case_id > :after AND r.case_id <= :upto AND NOT r.selected
  AND c.case_id = r.case_id AND t.reason = r.reason AND {ruleset} IS NOT NULL
  AND c.stage = 'IN_WAVE' AND c.waves -> -1 ->> 'wave_id' = :w AND c.waves -> -1 ->> 'outcome' IS NULL"""
# One template per reason (the texts do not depend on the scheme); the decision's ruleset is the case's scheme's.
# A compressed test scheme (``<ID>_X<factor>``, ``domain.scheme.get_scheme``) has its base's rules.
RULESET = "(CASE regexp_replace(c.scheme_id, '_X[0-9]+$', '') {whens} END)"


def _ruleset_sql() -> str:
    whens = " ".join(f"WHEN '{s.id}' THEN '{s.ruleset_version}'" for s in SCHEMES.values())
    return RULESET.format(whens=whens)


WAKE_PAGE = """SELECT j.case_id, (r.selected OR j.wake_all) AS wake, r.selected, r.reason
FROM wave_joiners AS j JOIN wave_results AS r ON r.wave_id = j.wave_id AND r.case_id = j.case_id
WHERE j.wave_id = :w AND j.case_id > :after ORDER BY j.case_id LIMIT :n"""
DECIDED_AT = "SELECT decided_at FROM waves WHERE wave_id = :w"
ISSUED = """SELECT k.case_id, k.card_number, e.entry_key, e.amount, e.reference, e.at
FROM cards AS k JOIN ledger_entries AS e ON e.entry_key = k.case_id || '\\:credit'
WHERE k.case_id = ANY(CAST(:ids AS text[]))"""

PUSH = """SELECT count(*) FROM (
  SELECT pg_notify('case_changes', json_build_object('wave_id', CAST(:w AS text), 'stage', stage,
           'next_action', left(next_action, 500), 'updated_at', updated_at,
           'changes', json_agg(json_build_array(account_id, case_id, province_code, version) ORDER BY case_id))::text)
  FROM (SELECT c.account_id, c.case_id, c.province_code, c.version, c.stage, c.next_action, c.updated_at,
               sum(octet_length(c.account_id) + octet_length(c.case_id) + 24) OVER (ORDER BY c.case_id) / :bytes
                 AS part
        FROM wave_joiners AS j JOIN cases AS c ON c.case_id = j.case_id
        WHERE j.wave_id = :w AND j.case_id > :after AND j.case_id <= :upto
          AND c.waves -> -1 ->> 'wave_id' = :w AND c.waves -> -1 ->> 'outcome' IS NOT NULL) AS x
  GROUP BY part, stage, next_action, updated_at) AS sent"""


def templates(wave_id: str, decided_at: dt.datetime) -> str:
    """Per reason: the stage, next action, wave-history fields and decision the workflow records (the same for
    every scheme but the decision's ruleset, which the statement sets per case)."""
    passed = (TestAttempt(1, "", (), decided_at, decided_at, AttemptStatus.PASSED),)
    rows: list[dict[str, object]] = []
    for reason in REASON_TEXT:
        selected = reason.startswith("SELECTED")
        stage = Stage.SELECTED if selected else Stage.ELIGIBLE
        entry = WaveEntry(wave_id, decided_at, "SELECTED" if selected else "NOT_SELECTED", reason, decided_at)
        fields = waves_to_json((entry,))[0]
        actions = {next_action(stage, passed, scheme) for scheme in SCHEMES.values()}
        assert len(actions) == 1, "a next action that depends on the scheme needs a template per scheme"
        rows.append(
            {
                "reason": reason,
                "stage": stage.value,
                "next_action": actions.pop(),
                "entry": {k: fields[k] for k in ("outcome", "reason", "decided_at")},
                "decision": decisions_to_json((wave_decision(entry, ""),))[0],
            }
        )
    return json.dumps(rows)


async def fold_range(conn: AsyncConnection, wave_id: str, after: str, upto: str) -> int:
    """The outcomes of the joiners in (after, upto] not selected and still waiting, into their case rows; how many
    rows changed."""
    decided_at = (await conn.execute(text(DECIDED_AT), {"w": wave_id})).scalar()
    if decided_at is None:
        return 0
    params = {"w": wave_id, "after": after, "upto": upto, "at": decided_at, "tpl": templates(wave_id, decided_at)}
    statement = OUTCOMES.format(ruleset=_ruleset_sql())
    return int((await conn.execute(text(statement), params)).rowcount or 0)


async def wake_page(engine: AsyncEngine, wave_id: str, after: str, limit: int) -> WakePage:
    """Joiners after ``after`` up to the ``limit``-th one to wake (or the end of the wave), each with its result
    and, when selected, the card the selection issued."""
    wake: list[tuple[str, bool, str]] = []
    last, chunk, done = after, max(4 * limit, 1000), False
    async with engine.connect() as conn:
        decided_at = (await conn.execute(text(DECIDED_AT), {"w": wave_id})).scalar()
        while len(wake) < limit and not done:
            rows = (await conn.execute(text(WAKE_PAGE), {"w": wave_id, "after": last, "n": chunk})).all()
            done = len(rows) < chunk
            for case_id, woken, selected, reason in rows:
                last = case_id
                if woken:
                    wake.append((case_id, selected, reason))
                    if len(wake) == limit:
                        done = rows[-1][0] == case_id and len(rows) < chunk
                        break
        chosen = [case_id for case_id, selected, _ in wake if selected]
        issued = (await conn.execute(text(ISSUED), {"ids": chosen})).all() if chosen else []
    cards = {
        r.case_id: EnrollResult(r.card_number, LedgerEntry(r.entry_key, EntryKind.CREDIT, r.amount, r.at, r.reference))
        for r in issued
    }
    signals = {
        case_id: WaveDecided(wave_id, WaveResult(True, selected, reason, decided_at), cards.get(case_id))
        for case_id, selected, reason in wake
    }
    return WakePage([c for c, _, _ in wake], last, done, signals)


async def push_range(engine: AsyncEngine, wave_id: str, after: str, upto: str) -> int:
    """Fold the results of the joiners in (after, upto] into their rows (``fold_range``), then raise the live-status
    messages for the decided ones, in one transaction; how many messages were raised."""
    if upto <= after:
        return 0
    async with engine.connect() as conn:
        await fold_range(conn, wave_id, after, upto)
        params = {"w": wave_id, "after": after, "upto": upto, "bytes": PUSH_BYTES}
        sent = (await conn.execute(text(PUSH), params)).scalar_one()
        await conn.commit()
    return int(sent)
