"""A wave's results overlaid on the read model at read time: the selection does not rewrite its joiners' case rows.

A case row still ``IN_WAVE`` whose last wave is undecided in its history, while ``wave_results`` holds its result
for that wave, is shown as the workflow will record it: the wave entry's outcome, reason and decision time (the
wave's ``decided_at``), the ``WAVE_SELECTION`` decision, the stage (``SELECTED`` or back to ``ELIGIBLE``) and the
next action. One primary-key probe of ``wave_results`` per case read; staff search by stage and the funnel count
through the same condition. The row catches up when its workflow next projects (it reads its result first), or
when the wave's fan-out folds its page of results into the rows (``adapters.db.wave_announce.fold_range``).

Because the overlay follows whatever the row says, a projection written just before the selection's commit (the
case still ``IN_WAVE``) cannot hide the result: there is no write of the selection for it to overwrite.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import Boolean, and_, exists, literal_column, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from adapters.db.tables import cases, wave_results, waves
from domain.case import Stage
from domain.decisions import wave_decision
from domain.messages import CaseRecord
from domain.progress import next_action
from domain.scheme import get_scheme

_LAST_WAVE = literal_column("cases.waves -> -1 ->> 'wave_id'")
_LAST_OUTCOME = literal_column("cases.waves -> -1 ->> 'outcome'")

_WAITING: ColumnElement[bool] = and_(cases.c.stage == Stage.IN_WAVE.value, _LAST_OUTCOME.is_(None))
"""The row shows the case waiting in its last wave (the only rows a result is overlaid on)."""


def _result_of_last_wave() -> Any:
    return and_(wave_results.c.wave_id == _LAST_WAVE, wave_results.c.case_id == cases.c.case_id)


RESULT = (
    select(
        wave_results.c.selected.label("wr_selected"),
        wave_results.c.reason.label("wr_reason"),
        waves.c.decided_at.label("wr_decided_at"),
    )
    .join(waves, waves.c.wave_id == wave_results.c.wave_id)
    .where(_WAITING, _result_of_last_wave())
    .lateral("wr")
)
"""Joined to ``cases`` (``LEFT JOIN LATERAL ... ON TRUE``): the result of the wave the row still waits in."""

COLUMNS = (RESULT.c.wr_selected, RESULT.c.wr_reason, RESULT.c.wr_decided_at)


def with_results(stmt: Any) -> Any:
    """``select(cases)``-based ``stmt`` with the overlay's columns."""
    return stmt.add_columns(*COLUMNS).outerjoin(RESULT, true())


def _decided(selected: bool | None = None) -> ColumnElement[bool]:
    conds = [_WAITING, _result_of_last_wave()]
    if selected is not None:
        conds.append(wave_results.c.selected.is_(selected) if selected else ~wave_results.c.selected)
    # OFFSET 0 keeps the probe a per-row filter: as a semi-join, the planner would probe every row of the stage
    # and sort them instead of reading the stage's ordered index until the page is full.
    return exists(select(literal_column("1", Boolean)).select_from(wave_results).where(*conds).offset(0))


def stage_variants(stage: Stage) -> list[ColumnElement[bool]]:
    """The conditions on ``cases`` whose union is "the case shows ``stage``": one per ordered index range read
    (the stored stage is a column of the search's indexes; the overlay is a probe per row of ``IN_WAVE``)."""
    stored = cases.c.stage == stage.value
    if stage is Stage.SELECTED:
        return [stored, and_(cases.c.stage == Stage.IN_WAVE.value, _decided(True))]
    if stage is Stage.ELIGIBLE:
        return [stored, and_(cases.c.stage == Stage.IN_WAVE.value, _decided(False))]
    if stage is Stage.IN_WAVE:
        return [and_(stored, ~_decided())]
    return [stored]


def shows_stage(stage: Stage) -> ColumnElement[bool]:
    """One condition: the case shows ``stage`` (the stored one, or the overlaid result)."""
    variants = stage_variants(stage)
    return variants[0] if len(variants) == 1 else or_(*variants)


def overlay(
    record: CaseRecord, selected: bool | None, reason: str | None, decided_at: dt.datetime | None
) -> CaseRecord:
    """``record`` as its workflow records the wave's result (``workflows.participant.waves._read_result``, generation
    3: the decision's time is the wave's); unchanged without a result."""
    if reason is None or selected is None or decided_at is None or not record.waves:
        return record
    last = record.waves[-1]
    if last.outcome is not None or record.stage is not Stage.IN_WAVE:
        return record
    scheme = get_scheme(record.scheme_id)
    entry = dataclasses.replace(
        last, outcome="SELECTED" if selected else "NOT_SELECTED", reason=reason, decided_at=decided_at
    )
    stage = Stage.SELECTED if selected else Stage.ELIGIBLE
    return dataclasses.replace(
        record,
        stage=stage,
        waves=(*record.waves[:-1], entry),
        decisions=(*record.decisions, wave_decision(entry, scheme.ruleset_version)),
        next_action=next_action(stage, record.ability_test, scheme),
        updated_at=max(record.updated_at, decided_at),
    )


def overlaid(record: CaseRecord, row: Any) -> CaseRecord:
    """``overlay`` with the columns of ``with_results`` from ``row``."""
    return overlay(record, row.wr_selected, row.wr_reason, row.wr_decided_at)
