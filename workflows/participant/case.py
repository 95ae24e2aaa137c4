"""The one base every stage of ``ParticipantWorkflow`` stands on.

It holds the case's state and locks, the durable-timer helpers, the notification and read-model projection helpers,
the ownership check, and **typed declarations of the few calls that cross stages** (revoke a card, cancel with
refund, set a tranche, start a clawback). A stage file calls another stage only through these declarations; the
stage that owns a call overrides it (``ParticipantWorkflow`` lists every stage before this base, so the override
wins in the method resolution order).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.options import LocalActivityOptions

with workflow.unsafe.imports_passed_through():
    from activities.cases import CaseActivities
    from activities.training import TrainingActivities
    from domain.case import Stage
    from domain.clawback.saga import Clawback
    from domain.enrollment.ledger import balance
    from domain.errors import ErrorCode
    from domain.messages import CaseRecord, CaseState
    from domain.notifications import Channel, Notification, body_of
    from domain.payouts.messages import MarkIneligibleRequest
    from domain.payouts.ports import PaymentRow
    from domain.payouts.tranches import Tranche
    from domain.progress import next_action
    from domain.scheme import Scheme
    from domain.texts.text import Text
    from domain.training.messages import EnrollResult, NotifyInput
    from domain.training.trainings import Cancellation, Refusal, Training
    from workflows.participant.generations import NOTES_WITH_PROJECTION, PATCHES
    from workflows.search_attributes import CASE_STAGE, PROVINCE

DB_WRITE: LocalActivityOptions = {"start_to_close_timeout": timedelta(seconds=10)}

Timer = tuple[datetime, Callable[[], Awaitable[None]]]
"""A durable deadline: when, and the action the run loop takes then."""


def due_in(timers: list[Timer], now: datetime) -> tuple[timedelta | None, Callable[[], Awaitable[None]] | None]:
    """Time until the earliest timer and its action (``timedelta(0)`` when already due)."""
    if not timers:
        return None, None
    when, action = min(timers, key=lambda t: t[0])
    return max(when - now, timedelta(0)), action


def refuse(code: ErrorCode, message: str) -> ApplicationError:
    """A business refusal: fails the update (or validator) with a stable code, never retried."""
    return ApplicationError(message, type=code.value, non_retryable=True)


def raise_if(refusal: Refusal | None) -> None:
    """Raise a domain rule's refusal (code and message), if it gave one."""
    if refusal is not None:
        raise refuse(*refusal)


class CaseBase:
    state: CaseState
    scheme: Scheme
    _wake: int
    """Bumped by a handler that made something due; the run loop wakes when it changes."""
    _generation: int
    _test_lock: asyncio.Lock
    _wave_lock: asyncio.Lock
    _market_lock: asyncio.Lock
    """Purchases, redemptions, reports, cancellations, revocations: one at a time (validators ran before)."""
    _payout_lock: asyncio.Lock
    """A transfer in flight finishes before the account changes or incentives stop."""
    _validation: asyncio.Task[None] | None
    _coalesce: bool = False
    """Whether changes are projected by the run loop when it has nothing more due (``COALESCED_PROJECTIONS``)."""
    _looping: bool = False
    _unprojected: tuple[Notification, ...] | None = None
    """Changes not projected yet: the notifications to send with them (``None``: nothing pending)."""
    _unindexed: bool = False
    """The stage changed and is not in the search attributes yet."""
    _results_as_data: bool = False
    """Whether a wave's result is read by the case itself before it shows anything (``WAVE_RESULTS_AS_DATA``)."""
    _joined_now: str | None = None
    """A wave joined since the last projection (still open: no result to read yet)."""
    _issued: EnrollResult | None = None
    """The card and credit the wave's selection issued, handed over with its signal (generation 3)."""
    _enrolment_in_bulk: bool = False
    """Whether a card handed over with the wave's signal is recorded without a projection (``ENROLMENT_IN_BULK``)."""

    # -- calls that cross stages (declared here, carried out by the stage named) ----------------
    async def _revoke_card(self, reason: str, reference: str) -> int:
        """Enrollment: revoke the card and forfeit what is left; the amount forfeited."""
        raise NotImplementedError

    async def _cancel_with_refund(self, t: Training, kind: Cancellation, reason: str) -> Training:
        """Purchase: cancel a voucher and refund its price to the card."""
        raise NotImplementedError

    def _set_tranche(self, t: Tranche) -> None:
        """Payouts: replace a tranche of the incentive schedule."""
        raise NotImplementedError

    def _settles_later(self) -> bool:
        """Transfers: whether this run takes a partner's PENDING answer as is (generation 4)."""
        raise NotImplementedError

    async def _accepted(self, t: Tranche, row: PaymentRow, attempt: int) -> None:
        """Transfers: the partner accepted the transfer of ``t`` and settles it later."""
        raise NotImplementedError

    def _check_clawback(self, req: MarkIneligibleRequest) -> None:
        """Clawback: refuse a marking that does not fit the case (a validator: changes nothing)."""
        raise NotImplementedError

    async def _start_clawback(self, req: MarkIneligibleRequest) -> Clawback:
        """Clawback: mark the case ineligible and start the saga."""
        raise NotImplementedError

    def _record_bulk_enrolment(self, card: EnrollResult) -> None:
        """Enrollment: record the card the wave's selection issued (generation 4; the fan-out writes the row)."""
        raise NotImplementedError

    async def _settle_wave(self) -> None:
        """Waves: read the result of the wave the case is waiting in, and record it if the wave is decided."""
        raise NotImplementedError

    # -- shared helpers ------------------------------------------------------------------------
    def _patched(self, patch_id: str) -> bool:
        """``workflow.patched``, answered by the run's generation when it has the patch unconditionally."""
        return self._generation >= PATCHES[patch_id] or workflow.patched(patch_id)

    def _check_owner(self, account_id: str) -> None:
        if self.state.application is None or self.state.account_id != account_id:
            raise refuse(ErrorCode.CASE_NOT_FOUND, "You have not applied yet.")

    def balance(self) -> int:
        return balance(self.state.ledger)

    def _set_stage(self, stage: Stage) -> None:
        self.state.stage = stage
        self._set_search_attributes()

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

    # -- trainings (read by the purchase, training, clawback and operator stages) ---------------
    def _training_by_voucher(self, code: str) -> Training:
        t = next((t for t in self.state.trainings if t.voucher_code == code), None)
        if t is None:
            raise refuse(ErrorCode.REDEEM_CODE_NOT_FOUND, "There is no such voucher.")
        return t

    def _replace_training(self, t: Training, **changes: object) -> Training:
        i = self.state.trainings.index(t)
        new = dataclasses.replace(t, **changes)  # type: ignore[arg-type]
        self.state.trainings[i] = new
        return new

    # -- projection and notifications ----------------------------------------------------------
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
        waiting = self.state.waves[-1] if self.state.waves and self.state.waves[-1].outcome is None else None
        if self._results_as_data and waiting is not None and waiting.wave_id != self._joined_now:
            await self._settle_wave()  # the read model may show the result already: never project it away
        self._joined_now = None
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

    def _notes(self, kind: str, message: str | Text, key: str | None) -> tuple[Notification, ...]:
        """SMS and e-mail to the participant; ``key`` distinguishes repeated kinds (one per voucher…). A catalogue
        text is sent in Bahasa Indonesia and kept with the message (the API shows it in the reader's language)."""
        form = self.state.application
        assert form is not None
        suffix = f":{key}" if key else ""
        now = workflow.now()
        body, text = body_of(message)
        case_id = self.state.case_id
        return tuple(
            Notification(f"{case_id}:{kind}{suffix}:{ch.value}", case_id, ch, to, kind, body, now, text=text)
            for ch, to in ((Channel.SMS, form.phone), (Channel.EMAIL, form.email))
        )

    async def _notify(self, kind: str, body: str | Text, *, key: str | None = None) -> None:
        """SMS and e-mail through the outbox, on their own."""
        notes = self._notes(kind, body, key)
        await workflow.execute_local_activity_method(TrainingActivities.notify, NotifyInput(notes), **DB_WRITE)

    async def _notify_and_project(self, kind: str, body: str | Text, *, key: str | None = None) -> None:
        """The notifications and the projection of the change they announce, in one local activity (runs
        recorded before the patch replay their two)."""
        if self._patched(NOTES_WITH_PROJECTION):
            await self._project(self._notes(kind, body, key))
        else:
            await self._notify(kind, body, key=key)
            await self._project()
