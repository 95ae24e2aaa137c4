"""Wave activities: open (commit to a seed), close, select set-wise, and fan out to participants."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import secrets
import time

from temporalio import activity
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from activities.metrics import count
from activities.wave_batch import signal_in_batch
from activities.wave_enrolment import BulkEnrolment, recorded
from domain.nik import blind_index
from domain.waves.lifecycle import (
    JoinOutcome,
    NotifyPageInput,
    NotifyPageResult,
    RegisterJoinerInput,
    RegisterJoinerResult,
    RunSelectionInput,
    SelectionOutcome,
    WaveCloseInput,
    WaveDecided,
    WaveExtendInput,
    WaveResult,
    WaveResultInput,
)
from domain.waves.ports import SelectionEngine, WaveStore
from domain.waves.selection import commitment

SIGNAL_CONCURRENCY = 64
HEARTBEAT_EVERY = 5.0


async def _heartbeat_every(seconds: float) -> None:
    while True:
        activity.heartbeat()
        await asyncio.sleep(seconds)


class WaveActivities:
    def __init__(
        self,
        store: WaveStore,
        selection: SelectionEngine,
        *,
        blind_key: bytes,
        fanout: str = "signals",
        enrolment: BulkEnrolment | None = None,
    ) -> None:
        self._store = store
        self._enrolment = enrolment
        """Writes the selected's enrolled rows (generation 4); without it, signals carry no card and each woken
        case enrols itself (a local activity finds the card the selection issued)."""
        self._selection = selection
        self._key = blind_key
        self._batch = fanout == "batch"
        """Signal each page through a server batch operation (``activities.wave_batch``) instead of one by one."""

    @activity.defn
    async def register_joiner(self, inp: RegisterJoinerInput) -> RegisterJoinerResult:
        kk_index = blind_index(inp.kk_number, self._key)
        status = await self._store.register_joiner(
            inp.wave_id, inp.case_id, inp.province_code, kk_index, wake_all=inp.wake_all
        )
        return RegisterJoinerResult(status=JoinOutcome(status), joined_at=dt.datetime.now(dt.UTC))

    @activity.defn
    async def wave_result(self, inp: WaveResultInput) -> WaveResult:
        found = await self._store.result(inp.wave_id, inp.case_id)
        if found is None:
            return WaveResult(decided=False)
        selected, reason, decided_at = found
        return WaveResult(decided=True, selected=selected, reason=reason, decided_at=decided_at)

    @activity.defn
    async def open_wave(self, wave_id: str) -> str:
        """Draw the secret seed and publish its SHA-256 commitment; the seed stays in the database."""
        seed = secrets.token_hex(32)
        await self._store.open(wave_id, seed=seed, commitment=commitment(seed))
        view = await self._store.get(wave_id)
        return view.seed_commitment or "" if view else ""

    @activity.defn
    async def close_wave(self, inp: WaveCloseInput) -> None:
        await self._store.close(inp.wave_id, actor=inp.actor, reason=inp.reason)

    @activity.defn
    async def extend_wave(self, inp: WaveExtendInput) -> None:
        await self._store.extend(inp.wave_id, closes_at=inp.closes_at, actor=inp.actor, reason=inp.reason)

    @activity.defn
    async def run_selection(self, inp: RunSelectionInput) -> SelectionOutcome:
        # One long SQL statement (minutes for 800k joiners): heartbeats while it runs, so that a worker that dies
        # meanwhile is noticed within the heartbeat timeout instead of the 30-minute start-to-close timeout.
        beating = asyncio.create_task(_heartbeat_every(HEARTBEAT_EVERY))
        try:
            summary = await self._selection.run(inp.wave_id, max_per_kk=inp.max_per_kk)
        finally:
            beating.cancel()
        activity.logger.info("wave %s: %d selected", inp.wave_id, summary.selected)
        count("prakerja_selected", "Participants selected in wave lotteries.", int(summary.selected))
        return SelectionOutcome(selected=int(summary.selected), digest=str(summary.digest))

    @activity.defn
    async def notify_joiners(self, inp: NotifyPageInput) -> NotifyPageResult:
        """One page of the fan-out: signal those who must act (the selected, to enrol, and joiners whose code learns
        its result only when woken), then fold the page's other results into their case rows (the read paths
        overlaid them since the selection's commit) and push the live status of every joiner it covers. Heartbeats
        carry the cursor, so a retried attempt resumes its signals mid-page; the fold and push cover the page from
        its start (both can repeat)."""
        details = activity.info().heartbeat_details
        cursor = str(details[0]) if details else inp.after_case_id
        started = time.perf_counter()
        page = await self._store.wake_page(inp.wave_id, cursor, inp.page_size)
        read = time.perf_counter()
        ids = page.wake
        client = activity.client()
        sem = asyncio.Semaphore(SIGNAL_CONCURRENCY)

        signals = page.signals
        if self._enrolment is None:
            signals = {c: dataclasses.replace(s, card=None) for c, s in signals.items()}

        async def tell(case_id: str) -> None:
            async with sem:
                handle = client.get_workflow_handle(f"participant-{case_id}")
                try:
                    await handle.signal("wave_decided", signals.get(case_id) or WaveDecided(inp.wave_id))
                except RPCError as exc:
                    if exc.status is not RPCStatusCode.NOT_FOUND:
                        raise  # retried; the cursor in the heartbeat keeps what was already sent
                    activity.logger.warning("no open workflow for a joiner of %s", inp.wave_id)

        if self._batch and ids:
            await signal_in_batch(client, inp.wave_id, ids[0], ids)
        told: list[str] = []  # signalled, rows not written yet: pipelined one chunk behind the signals
        for start in range(0, 0 if self._batch else len(ids), SIGNAL_CONCURRENCY * 4):
            chunk = ids[start : start + SIGNAL_CONCURRENCY * 4]
            await asyncio.gather(*(tell(c) for c in chunk))
            cursor = await self._enrol(client, told, signals, cursor)  # the cursor passes them once written
            told = chunk
        await self._enrol(client, told, signals, cursor)
        signalled = time.perf_counter()
        pushed = await self._store.push_results(inp.wave_id, inp.after_case_id, page.last_case_id)
        activity.logger.info(
            "wave %s page: %d woken in %.2f s, folded and %d live-status messages in %.2f s, read in %.2f s",
            inp.wave_id, len(ids), signalled - read, pushed, time.perf_counter() - signalled, read - started,
        )  # fmt: skip
        return NotifyPageResult(notified=len(ids), last_case_id=page.last_case_id, done=page.done)

    async def _enrol(self, client: Client, case_ids: list[str], signals: dict[str, WaveDecided], cursor: str) -> str:
        """The enrolled rows of a signalled chunk, once their workflows recorded the enrolment (the read model is
        never ahead of a workflow); then the cursor (heartbeated) moves past the chunk. A workflow that does not
        record it in time fails the attempt: the retry signals the chunk again (a repeat is ignored)."""
        if not case_ids:
            return cursor
        if self._enrolment is not None:
            cards = {c: card for c in case_ids if (card := signals[c].card if c in signals else None) is not None}
            await self._enrolment.record(await recorded(client, cards, cursor))
        activity.heartbeat(case_ids[-1])
        return case_ids[-1]

    @activity.defn
    async def mark_announced(self, wave_id: str) -> None:
        await self._store.mark_announced(wave_id)
