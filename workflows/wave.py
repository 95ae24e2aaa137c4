"""WaveWorkflow: one per wave (gelombang): open, close, select set-wise, tell every joiner."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

from workflows.options import ActivityOptions

with workflow.unsafe.imports_passed_through():
    from activities.waves import WaveActivities
    from domain.errors import ErrorCode
    from domain.scheme import get_scheme
    from domain.waves.lifecycle import (
        CloseWaveRequest,
        ExtendWaveRequest,
        NotifyPageInput,
        RunSelectionInput,
        SelectionOutcome,
        WaveCloseInput,
        WaveExtendInput,
        WaveInput,
        WaveStatus,
    )

SHORT: ActivityOptions = {"start_to_close_timeout": timedelta(seconds=30)}
# Both heartbeat (the selection while its SQL runs, the fan-out per chunk of signals): a dead worker's attempt is
# retried elsewhere after the heartbeat timeout, not after the start-to-close timeout.
SELECTION: ActivityOptions = {
    "start_to_close_timeout": timedelta(minutes=30),
    "heartbeat_timeout": timedelta(seconds=20),
    "retry_policy": RetryPolicy(maximum_attempts=0),
}
FANOUT: ActivityOptions = {
    "start_to_close_timeout": timedelta(minutes=30),
    "heartbeat_timeout": timedelta(seconds=15),
    "retry_policy": RetryPolicy(maximum_interval=timedelta(seconds=30)),
}
PAGE_SIZE = 2000
PAGES_PER_RUN = 50
"""Fan-out pages before continue-as-new: keeps the coordinator's history short for any wave size."""


@workflow.defn
class WaveWorkflow:
    @workflow.init
    def __init__(self, inp: WaveInput) -> None:
        self.state = inp
        self._close_request: CloseWaveRequest | None = None
        self._extended = 0
        self.outcome: SelectionOutcome | None = None

    @workflow.run
    async def run(self, inp: WaveInput) -> str:
        wave_id = self.state.wave_id
        if self.state.status is WaveStatus.SCHEDULED:
            wait = self.state.opens_at - workflow.now()
            if wait > timedelta(0):
                try:
                    await workflow.wait_condition(lambda: self._close_request is not None, timeout=wait)
                except TimeoutError:
                    pass
            if self._close_request is None:
                await workflow.execute_activity_method(WaveActivities.open_wave, wave_id, **SHORT)
                self._set(status=WaveStatus.OPEN)
        if self.state.status in (WaveStatus.SCHEDULED, WaveStatus.OPEN):
            await self._stay_open()
            request = self._close_request or CloseWaveRequest("system", "closing time reached")
            await workflow.execute_activity_method(
                WaveActivities.close_wave, WaveCloseInput(wave_id, request.actor, request.reason), **SHORT
            )
            self._set(status=WaveStatus.CLOSED)
        if self.state.status is WaveStatus.CLOSED:
            max_per_kk = get_scheme(self.state.scheme_id).max_selected_per_kk
            self.outcome = await workflow.execute_activity_method(
                WaveActivities.run_selection, RunSelectionInput(wave_id, max_per_kk), **SELECTION
            )
            self._set(status=WaveStatus.SELECTED)
        if self.state.status is WaveStatus.SELECTED:
            for _ in range(PAGES_PER_RUN):
                page = await workflow.execute_activity_method(
                    WaveActivities.notify_joiners,
                    NotifyPageInput(wave_id, self.state.fanout_cursor, PAGE_SIZE),
                    **FANOUT,
                )
                self._set(fanout_cursor=page.last_case_id, notified=self.state.notified + page.notified)
                if page.done:
                    await workflow.execute_activity_method(WaveActivities.mark_announced, wave_id, **SHORT)
                    self._set(status=WaveStatus.ANNOUNCED)
                    return f"{wave_id}: {self.state.notified} joiners told"
            await workflow.wait_condition(workflow.all_handlers_finished)
            workflow.continue_as_new(self.state)
        return f"{wave_id}: {self.state.status.value}"

    async def _stay_open(self) -> None:
        """Until the closing time (which staff may extend) or an early close by staff."""
        while self._close_request is None:
            seen = self._extended
            remaining = self.state.closes_at - workflow.now()
            if remaining <= timedelta(0):
                return
            try:
                await workflow.wait_condition(
                    lambda seen=seen: self._close_request is not None or self._extended != seen, timeout=remaining
                )
            except TimeoutError:
                return

    def _set(self, **changes: object) -> None:
        self.state = dataclasses.replace(self.state, **changes)  # type: ignore[arg-type]

    @workflow.update
    async def close_now(self, req: CloseWaveRequest) -> str:
        self._close_request = req
        return self.state.status.value

    @close_now.validator
    def validate_close_now(self, req: CloseWaveRequest) -> None:
        if self.state.status not in (WaveStatus.SCHEDULED, WaveStatus.OPEN):
            raise ApplicationError("The wave is already closed.", type=ErrorCode.WAVE_NOT_OPEN.value)
        if len(req.reason.strip()) < 5:
            raise ApplicationError("Give a reason (5+ characters).", type=ErrorCode.INVALID_ARGUMENT.value)

    @workflow.update
    async def extend(self, req: ExtendWaveRequest) -> str:
        await workflow.execute_activity_method(
            WaveActivities.extend_wave,
            WaveExtendInput(self.state.wave_id, req.actor, req.reason, req.closes_at),
            **SHORT,
        )
        self._set(closes_at=req.closes_at)
        self._extended += 1
        return req.closes_at.isoformat()

    @extend.validator
    def validate_extend(self, req: ExtendWaveRequest) -> None:
        if self.state.status not in (WaveStatus.SCHEDULED, WaveStatus.OPEN) or self._close_request is not None:
            raise ApplicationError(
                "Only an open or scheduled wave can be extended.", type=ErrorCode.WAVE_NOT_OPEN.value
            )
        if req.closes_at <= self.state.closes_at or req.closes_at <= workflow.now():
            raise ApplicationError("The new closing time must be later.", type=ErrorCode.INVALID_ARGUMENT.value)
        if len(req.reason.strip()) < 5:
            raise ApplicationError("Give a reason (5+ characters).", type=ErrorCode.INVALID_ARGUMENT.value)

    @workflow.query
    def status(self) -> WaveInput:
        return self.state
