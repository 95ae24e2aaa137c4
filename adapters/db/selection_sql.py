"""The selection's bookkeeping statements (``adapters.db.selection``): the wave's lock and publication, its state
and the verification's comparison (the lottery's own statements are in ``adapters.db.lottery``)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.waves.selection import SelectionSummary

COMPARE = """SELECT (SELECT count(*) FROM (SELECT {cols} FROM {res} EXCEPT {stored}) a)
     + (SELECT count(*) FROM ({stored} EXCEPT SELECT {cols} FROM {res}) b)"""
STORED = "SELECT {cols} FROM wave_results WHERE wave_id = :w"
COLUMNS = "case_id, selected, reason, priority, lottery_rank"
LOCK = (
    "SELECT w.scheme_id, s.seed, now() FROM waves w JOIN wave_seeds s USING (wave_id)"
    " WHERE w.wave_id = :w FOR UPDATE OF w"
)
MAY_SKIP_TRIGGERS = (
    "SELECT current_setting('is_superuser') = 'on'"
    " OR has_parameter_privilege(current_user, 'session_replication_role', 'SET')"
)
PUBLISH = (
    "UPDATE waves SET selected_count = :n, result_digest = :d, revealed_seed = :seed, decided_at = :at,"
    " status = 'SELECTED' WHERE wave_id = :w"
)
DECIDED = "SELECT status, decided_at, result_digest, selected_count FROM waves WHERE wave_id = :w"
PUBLISHED = "SELECT revealed_seed, seed_commitment, result_digest, decided_at, scheme_id FROM waves WHERE wave_id = :w"
PUBLISHED_COUNTS = """SELECT coalesce(j.p, q.province_code), coalesce(j.joined, 0), coalesce(q.quota, 0),
       coalesce(j.selected, 0)
FROM (SELECT j.province_code AS p, count(*) AS joined, count(*) FILTER (WHERE r.selected) AS selected
      FROM wave_joiners AS j JOIN wave_results AS r ON r.wave_id = j.wave_id AND r.case_id = j.case_id
      WHERE j.wave_id = :w GROUP BY 1) AS j
FULL JOIN (SELECT province_code, quota FROM wave_quotas WHERE wave_id = :w) AS q ON q.province_code = j.p"""
"""A published wave's (joined, quota, selected) per province, as its selection summarised them."""


async def published_summary(conn: AsyncConnection, wave_id: str) -> SelectionSummary | None:
    """The summary of a wave whose selection was published (``None``: not yet)."""
    row = (await conn.execute(text(DECIDED), {"w": wave_id})).one_or_none()
    if row is None or row.status not in ("SELECTED", "ANNOUNCED") or row.result_digest is None:
        return None
    counts = {p: (int(j), int(q), int(n)) for p, j, q, n in await conn.execute(text(PUBLISHED_COUNTS), {"w": wave_id})}
    return SelectionSummary(wave_id, int(row.selected_count or 0), counts, row.result_digest, 0)
