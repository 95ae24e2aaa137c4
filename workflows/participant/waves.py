"""Stage 3, waves (gelombang): an eligible participant who passed the test joins one open wave of their domicile
province; the wave's selection decides, and its fan-out tells each joiner to read their own result. Not selected:
back to eligible, free to join a later wave with one click.

Generation 3 (``WAVE_RESULTS_AS_DATA``): every joiner's result is data from the selection's commit (the read model
shows it), and the fan-out wakes only the selected (to enrol). A case still waiting in a decided wave reads its
result at its next interaction: before it projects anything, and when joining the next wave (one click, as before)."""

from __future__ import annotations

import dataclasses

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.waves import WaveActivities
    from domain.ability_test.attempts import AttemptStatus
    from domain.case import Stage
    from domain.decisions import JOIN_REFUSALS, wave_decision
    from domain.errors import ErrorCode
    from domain.progress import test_status
    from domain.waves.lifecycle import (
        JoinOutcome,
        JoinWaveRequest,
        RegisterJoinerInput,
        WaveDecided,
        WaveEntry,
        WaveResult,
        WaveResultInput,
    )
    from workflows.participant.case import DB_WRITE, CaseBase, refuse


class WavesStage(CaseBase):
    @workflow.update
    async def join_wave(self, req: JoinWaveRequest) -> WaveEntry:
        async with self._wave_lock:
            current = self._current_wave()
            if current is not None and (current.wave_id == req.wave_id or not self._results_as_data):
                return current  # a retried join of the same wave
            if current is not None:  # an earlier wave: its result is data, read it now
                await self._settle_wave()
                await self._project()
                if self._current_wave() is not None:
                    raise refuse(ErrorCode.ALREADY_IN_WAVE, "You are already in a wave; wait for its result.")
                if self.state.stage is not Stage.ELIGIBLE:
                    raise refuse(ErrorCode.ALREADY_SELECTED, "You were already selected.")
            form = self.state.application
            assert form is not None
            joiner = RegisterJoinerInput(
                req.wave_id,
                self.state.case_id,
                form.domicile.province_code,
                form.kk_number,
                wake_all=not self._results_as_data,
            )
            joined = await workflow.execute_local_activity_method(WaveActivities.register_joiner, joiner, **DB_WRITE)
            if joined.status not in (JoinOutcome.JOINED, JoinOutcome.ALREADY_JOINED):
                raise refuse(ErrorCode(joined.status.value), JOIN_REFUSALS[joined.status.value])
            entry = WaveEntry(req.wave_id, joined.joined_at or workflow.now())
            self.state.waves.append(entry)
            self._joined_now = req.wave_id
            self._set_stage(Stage.IN_WAVE)
            await self._project()
            return entry

    @join_wave.validator
    def validate_join_wave(self, req: JoinWaveRequest) -> None:
        self._check_owner(req.account_id)
        current = self._current_wave()
        if current is not None and current.wave_id == req.wave_id:
            return
        if self.state.stage is Stage.IN_WAVE and self._results_as_data:
            return  # the handler reads the earlier wave's result first
        if self.state.stage is Stage.IN_WAVE:
            raise refuse(ErrorCode.ALREADY_IN_WAVE, "You are already in a wave; wait for its result.")
        if self.state.stage is Stage.SELECTED:
            raise refuse(ErrorCode.ALREADY_SELECTED, "You were already selected.")
        if self.state.stage is not Stage.ELIGIBLE:
            raise refuse(ErrorCode.NOT_ELIGIBLE, "Only eligible applicants can join a wave.")
        if test_status(self.state.ability_test) != AttemptStatus.PASSED:
            raise refuse(ErrorCode.TEST_NOT_PASSED, "Pass the basic-ability test before joining a wave.")

    @workflow.signal
    async def wave_decided(self, signal: WaveDecided) -> None:
        """Sent by the wave's fan-out; reads this case's own result. Repeats and unknown waves are ignored."""
        async with self._wave_lock:
            current = self._current_wave()
            if current is None or current.wave_id != signal.wave_id:
                return
            given = signal.result if self._results_as_data else None
            in_bulk = self._enrolment_in_bulk and signal.card is not None and given is not None and given.selected
            if await self._read_result(current, given, indexed=not in_bulk):
                if in_bulk and signal.card is not None:
                    self._record_bulk_enrolment(signal.card)  # generation 4: no projection, the fan-out writes it
                    self._wake += 1  # the loop starts the deadline's timer
                    return
                if self._results_as_data and signal.card is not None and self.state.stage is Stage.SELECTED:
                    self._issued = signal.card  # issued by the selection: enrolment only records it
                await self._project()
                self._wake += 1

    async def _settle_wave(self) -> None:
        current = self._current_wave()
        if current is not None and await self._read_result(current):
            self._wake += 1

    async def _read_result(self, current: WaveEntry, given: WaveResult | None = None, *, indexed: bool = True) -> bool:
        """Record this case's result of the wave it waits in (not projected): the one ``given`` with the signal, or
        read; whether the wave was decided. Not ``indexed``: the stage is set without a search-attribute upsert or a
        pending projection (the caller records more and indexes the final stage)."""
        result = given
        if result is None or not result.decided:
            result = await workflow.execute_local_activity_method(
                WaveActivities.wave_result, WaveResultInput(current.wave_id, self.state.case_id), **DB_WRITE
            )
        if not result.decided or self._current_wave() != current:  # undecided, or recorded meanwhile
            return False
        outcome = "SELECTED" if result.selected else "NOT_SELECTED"
        # Generation 3: the decision's time is the wave's, as the read model shows it.
        at = (result.decided_at if self._results_as_data else None) or workflow.now()
        decided = dataclasses.replace(current, outcome=outcome, reason=result.reason, decided_at=at)
        self.state.waves[-1] = decided
        self.state.decisions.append(wave_decision(decided, self.scheme.ruleset_version))
        stage = Stage.SELECTED if result.selected else Stage.ELIGIBLE
        if indexed:
            self._set_stage(stage)
        else:
            self.state.stage = stage
        return True

    def _current_wave(self) -> WaveEntry | None:
        last = self.state.waves[-1] if self.state.waves else None
        return last if last is not None and last.outcome is None else None
