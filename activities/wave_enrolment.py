"""The fan-out's half of enrolment in bulk (generation 4, ``domain.enrollment.bulk``): after signalling a chunk of
selected participants, write each one's enrolled read-model row and its ``ENROLLED`` SMS and e-mail, so the woken
workflow's task has no local activity. Written from the row as the read model shows it (the result overlaid), with
the row's own version: a workflow that projected since (a newer version) keeps its row. The messages go first and
carry the workflow's dedupe keys, so a workflow of an older generation enrolling itself sends them once in all."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol, TypeVar

from temporalio import activity
from temporalio.client import Client

from domain.enrollment.bulk import enrolled_record
from domain.messages import CaseRecord
from domain.scheme import get_scheme
from domain.training.messages import EnrollResult
from domain.training.ports import NotificationOutbox

RECORDED_WITHIN = 60.0
"""Seconds a fan-out chunk waits for its woken workflows to record their enrolment before writing their rows."""
POLL = 0.1
T = TypeVar("T")


DECIDED_STAGES = ("ENROLLED", "TRAINING", "REVOKED", "JOB_SEARCH", "CLAWBACK", "CLOSED")
"""Where a selected case's ``CaseStage`` can be once its workflow recorded the enrolment."""


async def recorded(client: Client, cards: dict[str, T], cursor: str) -> dict[str, T]:
    """``cards``, once every case's workflow recorded its enrolment (its ``CaseStage`` indexed as enrolled or
    later); heartbeats ``cursor`` (what is done) while it waits. Raises after ``RECORDED_WITHIN`` seconds (the
    attempt is retried from ``cursor``)."""
    waiting = set(cards)
    deadline = time.monotonic() + RECORDED_WITHIN
    stages = ", ".join(f"'{s}'" for s in DECIDED_STAGES)
    while waiting:
        ids = ", ".join(f"'participant-{c}'" for c in sorted(waiting))
        query = f"ExecutionStatus = 'Running' AND CaseStage IN ({stages}) AND WorkflowId IN ({ids})"
        waiting -= {w.id.removeprefix("participant-") async for w in client.list_workflows(query)}
        if not waiting:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"{len(waiting)} woken cases did not record their enrolment within {RECORDED_WITHIN} s")
        if activity.in_activity():
            activity.heartbeat(cursor)
        await asyncio.sleep(POLL)
    return cards


class CaseRows(Protocol):
    """The read model's rows in bulk (``adapters.db.case_store.PgCaseStore``)."""

    async def by_ids(self, case_ids: list[str]) -> list[CaseRecord]:
        """The cases as the read model shows them (a wave's result overlaid)."""
        ...

    async def project_many(self, records: list[CaseRecord]) -> None:
        """Each record written unless a newer version is stored."""
        ...


class BulkEnrolment:
    def __init__(self, rows: CaseRows, outbox: NotificationOutbox) -> None:
        self._rows = rows
        self._outbox = outbox

    async def record(self, cards: dict[str, EnrollResult]) -> int:
        """The enrolled rows and messages of ``cards`` (case ID -> the card its selection issued) in three
        statements; how many were enrolled (a case its workflow projected already is left alone)."""
        if not cards:
            return 0
        shown = await self._rows.by_ids(list(cards))
        enrolled = [e for r in shown if (e := enrolled_record(r, cards[r.case_id], get_scheme(r.scheme_id)))]
        await self._outbox.add(tuple(n for e in enrolled for n in e.notifications))
        await self._rows.project_many(enrolled)
        return len(enrolled)
