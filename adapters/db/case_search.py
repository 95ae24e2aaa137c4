"""The staff case search as SQL: filters, keyset pages over (applied_at, case_id), and opaque cursors."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from sqlalchemy import Select, and_, exists, select, text, tuple_, union_all

from adapters.db.search_tables import case_names
from adapters.db.tables import case_waves, cases, waves
from adapters.db.wave_overlay import stage_variants, with_results
from domain.case import Stage
from domain.ports import CaseFilter, CaseFlag

FLAG_SQL: dict[CaseFlag, str] = {
    CaseFlag.PAYOUT_FAILED: """(cases.payouts -> 'incentives') @> '[{"status": "FAILED"}]'::jsonb""",
    CaseFlag.CLAWBACK: "(cases.stage = 'CLAWBACK' OR jsonb_typeof(cases.payouts -> 'clawback') = 'object')",
    CaseFlag.CARD_REVOKED: "(cases.enrollment ->> 'status') = 'REVOKED'",
    CaseFlag.NO_PURCHASE_YET: (
        "((cases.enrollment ->> 'status') = 'ACTIVE'"
        """ AND NOT jsonb_path_exists(cases.trainings, '$[*] ? (@.status != "CANCELLED")'))"""
    ),
}


def _case_conditions(flt: CaseFilter, stage: Any = None) -> list[Any]:
    conds: list[Any] = []
    if flt.case_id is not None:
        conds.append(cases.c.case_id == flt.case_id)
    if flt.card_number is not None:
        conds.append(cases.c.card_number == flt.card_number)
    if stage is not None:
        conds.append(stage)
    conds.extend(text(FLAG_SQL[flag]) for flag in sorted(flt.flags))
    return conds


def _page_keys(flt: CaseFilter, *, first: int, after: str | None, name_token: str | None) -> Select[Any]:
    """The page's case IDs: with a stage that a wave's result can show on a row still ``IN_WAVE``
    (``adapters.db.wave_overlay``), the merge of one ordered read per way of showing it."""
    variants = stage_variants(flt.stage) if flt.stage is not None else [None]
    if len(variants) == 1:
        return _keys(flt, variants[0], first=first, after=after, name_token=name_token)
    reads = [_keys(flt, v, first=first, after=after, name_token=name_token).subquery() for v in variants]
    merged = union_all(*(select(r.c.applied_at, r.c.case_id) for r in reads)).subquery("merged")
    return select(merged.c.case_id).order_by(merged.c.applied_at.desc(), merged.c.case_id.desc()).limit(first + 1)


def _keys(flt: CaseFilter, stage: Any, *, first: int, after: str | None, name_token: str | None) -> Select[Any]:
    """The page's case IDs, from indexes alone where one covers the filter (no row is read to be discarded).

    With a wave, the order and the province come from ``case_waves`` (the trigger copies them from the case in the
    same transaction), so the wave's index is read in order. Checking the province on ``cases`` as well would be
    redundant and mislead the planner: it would take the two checks as independent, expect a small province's
    page to need the whole wave, and sort every joiner of the province instead of reading 21 index entries.
    A name prefix (without a wave) is read the same way from ``case_names``, by its blind token.
    """
    conds = _case_conditions(flt, stage)
    if flt.wave_id is not None and flt.stage is Stage.IN_WAVE:  # nobody still waits in a decided wave: no scan
        conds.append(
            ~exists(select(waves.c.wave_id).where(waves.c.wave_id == flt.wave_id, waves.c.decided_at.isnot(None)))
        )
    if flt.wave_id is None and name_token is not None:
        order = (case_names.c.applied_at, case_names.c.case_id)
        source = case_names.join(cases, cases.c.case_id == case_names.c.case_id) if conds else case_names
        conds.append(case_names.c.token == name_token)
        if flt.province_codes is not None:
            conds.append(case_names.c.province_code.in_(flt.province_codes))
    elif flt.wave_id is None:
        order, source = (cases.c.applied_at, cases.c.case_id), cases
        if flt.province_codes is not None:
            conds.append(cases.c.province_code.in_(flt.province_codes))
    else:
        order = (case_waves.c.applied_at, case_waves.c.case_id)
        source = case_waves.join(cases, cases.c.case_id == case_waves.c.case_id) if conds else case_waves
        conds.append(case_waves.c.wave_id == flt.wave_id)
        if flt.province_codes is not None:
            conds.append(case_waves.c.province_code.in_(flt.province_codes))
        if name_token is not None:
            named = select(case_names.c.case_id).where(
                case_names.c.token == name_token, case_names.c.case_id == case_waves.c.case_id
            )
            conds.append(named.exists())
    if after is not None:
        applied_at, case_id = decode_cursor(after)
        conds.append(tuple_(*order) < tuple_(applied_at, case_id))
    return (
        select(order[1].label("case_id"), order[0].label("applied_at"))
        .select_from(source)
        .where(and_(True, *conds))
        .order_by(order[0].desc(), order[1].desc())
        .limit(first + 1)
    )


def search_statement(flt: CaseFilter, *, first: int, after: str | None, name_token: str | None = None) -> Select[Any]:
    """The keyset page, newest application first, with ``first + 1`` rows to tell whether a next page exists.

    A deferred join: the page's keys first (``_page_keys``), then only those rows. A filter that matches a few
    thousand cases (a common name prefix in a big province) sorts narrow index entries, not full rows.
    """
    page = _page_keys(flt, first=first, after=after, name_token=name_token).subquery("page")
    return with_results(select(cases).join(page, page.c.case_id == cases.c.case_id)).order_by(
        cases.c.applied_at.desc(), cases.c.case_id.desc()
    )


def encode_cursor(applied_at: dt.datetime, case_id: str) -> str:
    raw = json.dumps([applied_at.isoformat(), case_id]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_cursor(cursor: str) -> tuple[dt.datetime, str]:
    """Raises ValueError on anything that is not a cursor we issued."""
    try:
        applied_at, case_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return dt.datetime.fromisoformat(applied_at), str(case_id)
    except (ValueError, TypeError) as exc:
        raise ValueError("invalid cursor") from exc
