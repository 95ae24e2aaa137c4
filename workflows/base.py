"""What every part of ``ParticipantWorkflow`` shares: state, refusals, the projection and search attributes."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from domain.errors import ErrorCode
    from domain.ledger import balance
    from domain.messages import CaseRecord, CaseState
    from domain.notifications import Notification
    from domain.progress import next_action
    from domain.scheme import Scheme
    from workflows.search_attributes import CASE_STAGE, PROVINCE

DB_WRITE = {"start_to_close_timeout": timedelta(seconds=10)}

GENERATION = 2
"""The code generation new runs start in. A run of generation N takes every patch of generation <= N without
asking ``workflow.patched``: no patch marker and no ``TemporalChangeVersion`` upsert per case. A run started by
older code (generation 0) asks, as before. A new patch gets the next generation, and GENERATION moves to it
once no run of an older generation can be replayed without the patch. Ask a new patch before any local activity
of its workflow task: a query can move the code after a local activity into the next task (README, "Changing
workflow code")."""
REGISTRY_CHECKS_AS_LOCAL_ACTIVITY = "registry-checks-as-local-activity"
"""Patch: the registry checks are one local activity (they were an activity task)."""
NOTES_WITH_PROJECTION = "notifications-with-projection"
"""Patch: a change's notifications ride on its projection's local activity (they had one of their own)."""
PAY_AS_LOCAL_ACTIVITY = "pay-tranche-as-local-activity"
"""Patch: a transfer is a local activity in the workflow task that found the tranche due (it was an activity
task of its own: one more workflow task and six more events per tranche)."""
COALESCED_PROJECTIONS = "coalesced-projections"
"""Patch: a case is projected once per workflow task, by the run loop before it waits, not by each handler and
action that changed it. Asked when the run starts (before any local activity), so a run keeps one way."""
PATCHES = {
    REGISTRY_CHECKS_AS_LOCAL_ACTIVITY: 1,
    NOTES_WITH_PROJECTION: 1,
    PAY_AS_LOCAL_ACTIVITY: 1,
    COALESCED_PROJECTIONS: 2,
}
"""Patch ID -> the first generation that has it unconditionally."""


def refuse(code: ErrorCode, message: str) -> ApplicationError:
    """A business refusal: fails the update (or validator) with a stable code, never retried."""
    return ApplicationError(message, type=code.value, non_retryable=True)


class CaseWorkflowBase:
    state: CaseState
    scheme: Scheme
    _wake: int
    _market_lock: asyncio.Lock
    _generation: int
    _coalesce: bool = False
    """Whether changes are projected by the run loop when it has nothing more due (``COALESCED_PROJECTIONS``)."""
    _looping: bool = False
    _unprojected: tuple[Notification, ...] | None = None
    """Changes not projected yet: the notifications to send with them (``None``: nothing pending)."""
    _unindexed: bool = False
    """The stage changed and is not in the search attributes yet."""

    def _patched(self, patch_id: str) -> bool:
        """``workflow.patched``, answered by the run's generation when it has the patch unconditionally."""
        return self._generation >= PATCHES[patch_id] or workflow.patched(patch_id)

    def _set_search_attributes(self) -> None:
        """Index the case's stage; once the run loop runs (generation 2), with its next projection: a stage that
        lasts no longer than its workflow task (SELECTED, when the card is issued at once) is not indexed."""
        if self._coalesce and self._looping:
            self._unindexed = True
            self._unprojected = self._unprojected or ()
            return
        self._index_stage()

    def _index_stage(self) -> None:
        self._unindexed = False
        assert self.state.application is not None
        workflow.upsert_search_attributes(
            [
                CASE_STAGE.value_set(self.state.stage.value),
                PROVINCE.value_set(self.state.application.domicile.province_code),
            ]
        )

    async def _project(self, notes: tuple[Notification, ...] = ()) -> None:
        """Write the read model (and send ``notes``). Once the run loop runs (generation 2), a change is projected by
        the loop when it has nothing more due (``_project_pending``): one projection for an update and the actions
        it made due, still in the workflow task that answers the update, so a caller reads what it was answered."""
        if self._coalesce and self._looping:
            self._unprojected = (*(self._unprojected or ()), *notes)
            return
        await self._write_projection(notes)

    async def _project_pending(self) -> bool:
        """Project the changes left pending; whether there were any."""
        if self._unprojected is None:
            return False
        await self._write_projection(())
        return True

    async def _write_projection(self, notes: tuple[Notification, ...]) -> None:
        notes = (*(self._unprojected or ()), *notes)
        self._unprojected = None
        if self._unindexed:
            self._index_stage()
        self.state.version += 1
        record = self._record(self.state)
        if notes:
            record = dataclasses.replace(record, notifications=notes)
        await workflow.execute_local_activity_method(CaseActivities.project_case, record, **DB_WRITE)

    def _record(self, state: CaseState) -> CaseRecord:
        assert state.application is not None and state.account_id and state.applied_at
        money = balance(state.ledger)
        return CaseRecord(
            case_id=state.case_id,
            workflow_id=workflow.info().workflow_id,
            account_id=state.account_id,
            scheme_id=state.scheme_id,
            stage=state.stage,
            version=state.version,
            application=state.application,
            decisions=tuple(state.decisions),
            next_action=next_action(
                state.stage,
                state.ability_test,
                self.scheme,
                enrollment=state.enrollment,
                trainings=state.trainings,
                balance=money,
                account=state.payout_account,
                incentives=state.incentives,
                clawback=state.clawback,
            ),
            applied_at=state.applied_at,
            updated_at=workflow.now(),
            ability_test=tuple(state.ability_test),
            waves=tuple(state.waves),
            enrollment=state.enrollment,
            trainings=tuple(state.trainings),
            balance=money,
            payout_account=state.payout_account,
            incentives=tuple(state.incentives),
            clawback=state.clawback,
        )
