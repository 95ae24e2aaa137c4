"""The programme funnel in one statement over the read model and the money tables.

Steps before the card come from the case row (its eligibility decision, its wave history); the card, purchases,
certificates and payouts come from their own tables (``cards``, ``vouchers``, ``certificates``, ``payments``),
each probed by its ``case_id`` index, so the chart agrees with the ledgers rather than with a projection.
A case row still waiting in a decided wave counts as selected by its result (``adapters.db.wave_overlay``): the
selection does not rewrite the rows, so the funnel reads ``wave_results`` for them (one primary-key probe each).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import Text

from domain.funnel import FunnelCounts, FunnelQuery, FunnelStep

# ``scope`` is the set of cases counted: all cases (optionally by province), or a wave's joiners through
# ``case_waves`` (its (wave_id, province_code) index) with their results of that wave (joined: one hash join, not a
# probe per joiner). Containment tests on JSONB match the codec's shapes.
_SCOPE_ALL = """
SELECT c.case_id, c.stage, c.decisions, c.waves FROM cases AS c
WHERE (CAST(:provinces AS text[]) IS NULL OR c.province_code = ANY(CAST(:provinces AS text[])))"""

_SCOPE_WAVE = """
SELECT c.case_id, c.stage, c.decisions, c.waves, r.selected AS result_selected
FROM case_waves AS w JOIN cases AS c ON c.case_id = w.case_id
  LEFT JOIN wave_results AS r ON r.wave_id = w.wave_id AND r.case_id = w.case_id
WHERE w.wave_id = :wave_id
  AND (CAST(:provinces AS text[]) IS NULL OR w.province_code = ANY(CAST(:provinces AS text[])))"""

_COUNTS = """
WITH scope AS ({scope})
SELECT
  count(*) AS registered,
  count(*) FILTER (WHERE s.decisions @> '[{{"kind": "ELIGIBILITY", "outcome": "PASS"}}]'
                      OR s.decisions @> '[{{"kind": "ELIGIBILITY", "outcome": "FAIL"}}]') AS validated,
  count(*) FILTER (WHERE s.decisions @> '[{{"kind": "ELIGIBILITY", "outcome": "PASS"}}]') AS eligible,
  count(*) FILTER (WHERE {joined}) AS joined,
  count(*) FILTER (WHERE {selected}) AS selected,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM cards AS k WHERE k.case_id = s.case_id)) AS enrolled,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM vouchers AS v WHERE v.case_id = s.case_id)) AS first_purchase,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM certificates AS t WHERE t.case_id = s.case_id)) AS completed,
  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM payments AS p WHERE p.case_id = s.case_id AND p.status = 'PAID'))
    AS paid
FROM scope AS s"""

_ANY_WAVE = {
    "joined": "jsonb_array_length(s.waves) > 0",
    "selected": """(s.waves @> '[{"outcome": "SELECTED"}]'
        OR s.stage = 'IN_WAVE' AND s.waves -> -1 ->> 'outcome' IS NULL AND EXISTS (SELECT 1 FROM wave_results AS r
                    WHERE r.wave_id = s.waves -> -1 ->> 'wave_id' AND r.case_id = s.case_id AND r.selected))""",
}
_THIS_WAVE = {
    "joined": "TRUE",
    "selected": "(s.waves @> jsonb_build_array(jsonb_build_object('wave_id', CAST(:wave_id AS text), "
    "'outcome', 'SELECTED')) OR s.stage = 'IN_WAVE' AND s.waves -> -1 ->> 'outcome' IS NULL"
    " AND s.waves -> -1 ->> 'wave_id' = CAST(:wave_id AS text) AND s.result_selected)",
}


def _statement(query: FunnelQuery) -> Any:
    if query.wave_id is None:
        sql = _COUNTS.format(scope=_SCOPE_ALL, **_ANY_WAVE)
    else:
        sql = _COUNTS.format(scope=_SCOPE_WAVE, **_THIS_WAVE)
    return text(sql).bindparams(bindparam("provinces", type_=ARRAY(Text)))


async def funnel_counts(engine: AsyncEngine, query: FunnelQuery) -> FunnelCounts:
    params: dict[str, Any] = {"provinces": list(query.province_codes) if query.province_codes is not None else None}
    if query.wave_id is not None:
        params["wave_id"] = query.wave_id
    async with engine.connect() as conn:
        row = (await conn.execute(_statement(query), params)).one()
    return FunnelCounts({step: int(getattr(row, step.value.lower())) for step in FunnelStep})
