"""The fan-out's half of enrolment in bulk (generation 4, ``domain.enrollment.bulk``): after signalling a chunk of
selected participants, write each one's enrolled read-model row and its ``ENROLLED`` SMS and e-mail, so the woken
workflow's task has no local activity. Written from the row as the read model shows it (the result overlaid), with
the row's own version: a workflow that projected since (a newer version) keeps its row. The messages go first and
carry the workflow's dedupe keys, so a workflow of an older generation enrolling itself sends them once in all."""

from __future__ import annotations

import asyncio

from domain.enrollment.bulk import enrolled_record
from domain.ports import CaseReader, CaseStore
from domain.scheme import get_scheme
from domain.training.messages import EnrollResult
from domain.training.ports import NotificationOutbox

CONCURRENCY = 8
"""Rows written at once per fan-out page (each a read, an outbox insert and a version-guarded update)."""


class BulkEnrolment:
    def __init__(self, reader: CaseReader, cases: CaseStore, outbox: NotificationOutbox) -> None:
        self._reader = reader
        self._cases = cases
        self._outbox = outbox

    async def record(self, cards: dict[str, EnrollResult]) -> int:
        """The enrolled rows and messages of ``cards`` (case ID -> the card its selection issued); how many rows
        were written (a case its workflow projected already is left alone)."""
        sem = asyncio.Semaphore(CONCURRENCY)

        async def one(case_id: str, card: EnrollResult) -> bool:
            async with sem:
                record = await self._reader.by_id(case_id)
                enrolled = enrolled_record(record, card, get_scheme(record.scheme_id)) if record else None
                if enrolled is None:
                    return False
                await self._outbox.add(enrolled.notifications)
                return await self._cases.project(enrolled)

        return sum(await asyncio.gather(*(one(c, card) for c, card in cards.items())))
