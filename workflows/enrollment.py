"""Enrollment for ``ParticipantWorkflow``: the card, the first-purchase deadline and its reminder.

A mixin so that the participant workflow module stays readable; it shares the workflow's state and helpers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.training import TrainingActivities
    from domain.case import Stage
    from domain.decisions import revocation_decision
    from domain.enrollment import CardStatus, Enrollment
    from domain.ledger import EntryKind, LedgerEntry, balance
    from domain.notifications import Channel, Notification, enrolled_text, reminder_text, revoked_text
    from domain.training import bought
    from domain.training_messages import EnrollInput, NotifyInput, RevokeInput
    from workflows.base import DB_WRITE, NOTES_WITH_PROJECTION, CaseWorkflowBase

Timer = tuple[datetime, Callable[[], Awaitable[None]]]


class EnrollmentMixin(CaseWorkflowBase):
    def _needs_enrollment(self) -> bool:
        return self.state.stage is Stage.SELECTED and self.state.enrollment is None

    async def _enroll(self) -> None:
        now = workflow.now()
        enrolled = await workflow.execute_local_activity_method(
            TrainingActivities.enroll,
            EnrollInput(self.state.case_id, self.state.scheme_id, self.scheme.balance, now),
            **DB_WRITE,
        )
        deadline = now + self.scheme.first_purchase_deadline
        self.state.enrollment = Enrollment(
            card_number=enrolled.card_number,
            enrolled_at=now,
            credited=enrolled.credit.amount,
            purchase_deadline=deadline,
            reminder_at=deadline - self.scheme.purchase_reminder_before,
        )
        self.state.ledger = [enrolled.credit]
        self.state.stage = Stage.ENROLLED
        self._set_search_attributes()
        await self._notify_and_project("ENROLLED", enrolled_text(enrolled.card_number, self.balance(), deadline))

    def balance(self) -> int:
        return balance(self.state.ledger)

    def _enrollment_timers(self) -> list[Timer]:
        e = self.state.enrollment
        if e is None or e.status is not CardStatus.ACTIVE or bought(self.state.trainings):
            return []
        timers: list[Timer] = [(e.purchase_deadline, self._revoke_for_no_purchase)]
        if not e.reminder_sent:
            timers.append((e.reminder_at, self._remind_purchase))
        return timers

    async def _remind_purchase(self) -> None:
        e = self.state.enrollment
        assert e is not None
        self.state.enrollment = dataclasses.replace(e, reminder_sent=True)
        await self._notify_and_project("PURCHASE_REMINDER", reminder_text(e.purchase_deadline))

    async def _revoke_for_no_purchase(self) -> None:
        async with self._market_lock:  # a purchase accepted just before the deadline finishes first
            e = self.state.enrollment
            if e is None or e.status is not CardStatus.ACTIVE or bought(self.state.trainings):
                return
            reason = (
                f"no training was bought within {(self.scheme.first_purchase_deadline * self.scheme.time_factor).days} "
                "days of "
                "enrollment; the balance returned to the state treasury and this NIK cannot join again."
            )
            remaining = await self._revoke_card(reason, "NO_FIRST_PURCHASE")
            now = workflow.now()
            self.state.stage = Stage.REVOKED
            self.state.decisions.append(revocation_decision(reason, remaining, self.scheme.ruleset_version, now))
            self._set_search_attributes()
            await self._notify_and_project("CARD_REVOKED", revoked_text(remaining))

    async def _revoke_card(self, reason: str, reference: str) -> int:
        """Card REVOKED, what is left forfeited to the treasury (a ledger entry), the NIK blacklisted; every
        revocation (deadline, operator, clawback) goes through here. Returns the amount forfeited."""
        e = self.state.enrollment
        assert e is not None
        now = workflow.now()
        remaining = self.balance()
        forfeit = self._forfeit_entry(remaining, reference)
        await workflow.execute_local_activity_method(
            TrainingActivities.revoke_card,
            RevokeInput(self.state.case_id, e.card_number, forfeit, reason, now),
            **DB_WRITE,
        )
        if forfeit is not None:
            self.state.ledger.append(forfeit)
        self.state.enrollment = dataclasses.replace(e, status=CardStatus.REVOKED, revoked_at=now, revoke_reason=reason)
        return remaining

    def _forfeit_entry(self, remaining: int, reference: str) -> LedgerEntry | None:
        """The entry returning what is left to the treasury; keyed per revocation (a reinstated card can be
        revoked again), the first one keeping the original ``<case>:forfeit`` key."""
        if remaining <= 0:
            return None
        n = sum(1 for x in self.state.ledger if x.kind is EntryKind.FORFEIT)
        key = f"{self.state.case_id}:forfeit" + (f":{n + 1}" if n else "")
        return LedgerEntry(key, EntryKind.FORFEIT, remaining, workflow.now(), reference)

    def _notes(self, kind: str, body: str, key: str | None) -> tuple[Notification, ...]:
        """SMS and e-mail to the participant; ``key`` distinguishes repeated kinds (one per voucher…)."""
        form = self.state.application
        assert form is not None
        suffix = f":{key}" if key else ""
        now = workflow.now()
        return tuple(
            Notification(f"{self.state.case_id}:{kind}{suffix}:{ch.value}", self.state.case_id, ch, to, kind, body, now)
            for ch, to in ((Channel.SMS, form.phone), (Channel.EMAIL, form.email))
        )

    async def _notify(self, kind: str, body: str, *, key: str | None = None) -> None:
        """SMS and e-mail through the outbox, on their own."""
        notes = self._notes(kind, body, key)
        await workflow.execute_local_activity_method(TrainingActivities.notify, NotifyInput(notes), **DB_WRITE)

    async def _notify_and_project(self, kind: str, body: str, *, key: str | None = None) -> None:
        """The notifications and the projection of the change they announce, in one local activity (runs
        recorded before the patch replay their two)."""
        if self._patched(NOTES_WITH_PROJECTION):
            await self._project(self._notes(kind, body, key))
        else:
            await self._notify(kind, body, key=key)
            await self._project()


def due_in(timers: list[Timer], now: datetime) -> tuple[timedelta | None, Callable[[], Awaitable[None]] | None]:
    """Time until the earliest timer and its action (``timedelta(0)`` when already due)."""
    if not timers:
        return None, None
    when, action = min(timers, key=lambda t: t[0])
    return max(when - now, timedelta(0)), action
