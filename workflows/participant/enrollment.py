"""Stage 4, enrollment: a selected participant gets a card number and the scheme's balance at once; the
first-purchase deadline and its reminder are durable timers. No purchase by the deadline: the card is revoked, what
is left returns to the treasury, and the NIK is blacklisted. Generation 3: the wave's selection issues the card and
credit in bulk and its signal hands them over, so enrolment records them and starts the deadline's timer."""

from __future__ import annotations

import dataclasses

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.training import TrainingActivities
    from domain.case import Stage
    from domain.decisions import revocation_decision
    from domain.enrollment.bulk import enrolment_from_card
    from domain.enrollment.enrollment import CardStatus, Enrollment
    from domain.enrollment.ledger import EntryKind, LedgerEntry
    from domain.notifications import enrolled_text, reminder_text, revoked_text
    from domain.training.messages import EnrollInput, EnrollResult, RevokeInput
    from domain.training.trainings import bought
    from workflows.participant.case import DB_WRITE, CaseBase, Timer


class EnrollmentStage(CaseBase):
    def _needs_enrollment(self) -> bool:
        return self.state.stage is Stage.SELECTED and self.state.enrollment is None

    def _record_bulk_enrolment(self, card: EnrollResult) -> None:
        """Generation 4: the card and credit the selection issued, recorded as the fan-out writes them into the read
        model (``domain.enrollment.bulk``); the stage indexed now, nothing left to project. The loop then starts
        the deadline's timer."""
        self.state.enrollment = enrolment_from_card(card, self.scheme, card.credit.at)
        self.state.ledger = [card.credit]
        self.state.stage = Stage.ENROLLED
        self._index_stage()

    async def _enroll(self) -> None:
        now = workflow.now()
        enrolled, self._issued = self._issued, None  # generation 3: issued in bulk by the selection
        if enrolled is None:
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
        self._set_stage(Stage.ENROLLED)
        await self._notify_and_project("ENROLLED", enrolled_text(enrolled.card_number, self.balance(), deadline))

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
            self.state.decisions.append(revocation_decision(reason, remaining, self.scheme.ruleset_version, now))
            self._set_stage(Stage.REVOKED)
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
