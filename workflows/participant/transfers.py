"""Stage 7b, transfers the partner settles later (generation 4, ``ASYNC_SETTLEMENT``): a bank or e-wallet that
accepts a transfer and settles it afterwards leaves its tranche PENDING. The partner's report (``reportTransfer``,
which records the result in ``payments`` and then signals ``transfer_reported`` with the transfer's key) or a
status check settles it. Checks run on a durable timer: the first after ``transfer_check_first``, the wait doubling
up to ``transfer_check_max``; a report makes the check due at once. Every report and check only reads the
``payments`` row (settled exactly once in PostgreSQL), so duplicates and reports out of order change nothing twice.
"""

from __future__ import annotations

import dataclasses

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.payouts import PayoutActivities
    from domain.payouts.ports import PaymentRow, PaymentStatus
    from domain.payouts.settlement import next_check, pending, settle
    from domain.payouts.tranches import PayoutAccount, Tranche, TrancheStatus
    from workflows.participant.case import CaseBase, Timer
    from workflows.participant.generations import ASYNC_SETTLEMENT, PATCHES
    from workflows.participant.payout_options import LOCAL_ACTIVITY_FAILED, PAY_LOCALLY


class TransfersStage(CaseBase):
    _early_reports: set[str]
    """Keys reported and not looked at since: while the transfer was still being accepted (the tranche not PENDING
    yet), or while a status check of it ran."""

    def _settles_later(self) -> bool:
        """Whether this run takes a partner's PENDING answer as is (by generation only: no patch marker)."""
        return self._generation >= PATCHES[ASYNC_SETTLEMENT]

    @workflow.signal
    def transfer_reported(self, key: str) -> None:
        """The partner reported the transfer ``key`` (already recorded in ``payments``): check it now."""
        if not self._settles_later():
            return  # older runs settle within the transfer; the row already holds the report
        self._early_reports.add(key)
        t = next((t for t in self.state.incentives if t.transfer_key == key), None)
        if t is not None and t.status is TrancheStatus.PENDING and (t.check_at is None or t.check_at > workflow.now()):
            self._set_tranche(dataclasses.replace(t, check_at=workflow.now()))
            self._wake += 1

    async def _accepted(self, t: Tranche, row: PaymentRow, attempt: int) -> None:
        """The partner accepted the transfer of ``t`` (``row`` PENDING): wait for its report or a status check."""
        reported = row.key in self._early_reports
        self._early_reports.discard(row.key)
        now = workflow.now()
        done = pending(t, row, attempt, now=now, first=self.scheme.transfer_check_first, reported=reported)
        self._set_tranche(done.tranche)
        assert done.note is not None
        await self._notify_and_project(done.note[0], done.note[1], key=done.note[2])

    def _transfer_timers(self) -> list[Timer]:
        """A status check for every PENDING transfer (also after a clawback stopped the rest: money is moving)."""
        now = workflow.now()
        return [
            (t.check_at or now, lambda n=t.number: self._check_transfer(n))
            for t in self.state.incentives
            if t.status is TrancheStatus.PENDING
        ]

    async def _check_transfer(self, n: int) -> None:
        async with self._payout_lock:
            t = self.state.incentives[n - 1]
            if t.status is not TrancheStatus.PENDING or t.transfer_key is None:
                return
            self._early_reports.discard(t.transfer_key)
            try:
                row = await workflow.execute_local_activity_method(
                    PayoutActivities.check_transfer, t.transfer_key, **PAY_LOCALLY
                )
            except LOCAL_ACTIVITY_FAILED:
                row = None  # our books or the partner unreachable: check again later, as if still pending
            if row is None or row.status is PaymentStatus.PENDING:
                if t.transfer_key in self._early_reports:  # reported while this check ran: look again now
                    self._set_tranche(dataclasses.replace(t, checks=t.checks + 1, check_at=workflow.now()))
                    return
                wait = next_check(
                    t.checks, first=self.scheme.transfer_check_first, bound=self.scheme.transfer_check_max
                )
                self._set_tranche(dataclasses.replace(t, checks=t.checks + 1, check_at=workflow.now() + wait))
                return
            account = self.state.payout_account or PayoutAccount(
                row.provider, row.account_number, "", row.link_no, row.created_at
            )
            done = settle(
                t, account, row, max(t.attempt, row.attempt), now=workflow.now(),
                retry_after=self.scheme.payout_retry_after,
            )  # fmt: skip
            self._set_tranche(done.tranche)
            if done.note is None:
                await self._project()
            else:
                await self._notify_and_project(done.note[0], done.note[1], key=done.note[2])
