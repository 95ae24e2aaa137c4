"""Incentive payouts, reconciliation and clawback receivables: thin activities over the payment ports.

``pay_tranche`` is the exactly-once core. It writes (or finds) the attempt's ``payments`` row and commits it
before the partner hears of the transfer, asks the partner for the key's status before sending, and records
the answer. A worker killed at any point retries the same key; the partner's idempotency and the row's unique
key make a second transfer impossible.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Callable

from temporalio import activity

from activities.metrics import count
from domain.payouts.messages import CheckAccountInput, PayInput, ReceivableStatusInput, ReconcileResult
from domain.payouts.ports import (
    AccountCheck,
    PartnerUnavailable,
    PaymentPartner,
    PaymentRow,
    PaymentStatus,
    PaymentStore,
    Receivable,
    ReceivableStore,
    ReconciliationStore,
    Repayment,
    TransferOutcome,
    TransferRequest,
    TransferResult,
)
from domain.payouts.reconciliation import compare, tranche_of

SETTLE_WAIT_TRIES, SETTLE_WAIT_STEP = 10, 0.5
"""How long a run before generation 4 waits inside the transfer for an asynchronous partner to settle."""

FaultHook = Callable[[str], None]
"""Called at named points of a payment (``after_claim``, ``after_transfer``); drills kill the worker there."""


def _no_faults(point: str) -> None:
    return None


class PayoutActivities:
    def __init__(
        self,
        partner: PaymentPartner,
        payments: PaymentStore,
        receivables: ReceivableStore,
        reconciliation: ReconciliationStore,
        *,
        fault_hook: FaultHook | None = None,
    ) -> None:
        self._partner = partner
        self._payments = payments
        self._receivables = receivables
        self._reconciliation = reconciliation
        self._fault = fault_hook or _no_faults

    @activity.defn
    async def check_account(self, inp: CheckAccountInput) -> AccountCheck:
        return await self._partner.check_account(inp.provider, inp.account_number, inp.nik)

    @activity.defn
    async def pay_tranche(self, inp: PayInput) -> PaymentRow:
        row = await self._payments.claim(inp.claim)
        if row.status is not PaymentStatus.PENDING:
            return row  # paid before (a retry, a reset) or this attempt already failed
        self._fault("after_claim")
        known = await self._partner.transfer_status(row.key)
        if known is None:
            # The row's own account: a PENDING row of an earlier attempt is finished as it was started.
            known = await self._partner.transfer(
                TransferRequest(
                    row.key, row.case_id, row.provider, row.account_number, inp.nik, row.amount, inp.description
                )
            )  # PartnerUnavailable fails the attempt; the retry asks for the status first
        self._fault("after_transfer")
        if known.outcome is TransferOutcome.PENDING:
            if inp.accept_pending:
                return await self._payments.settle(row.key, known)  # the row as it stands (a report may have come)
            known = await self._settled_soon(row.key)  # a run before generation 4 waits, as it always did
        return await self._record(row.key, known)

    @activity.defn
    async def check_transfer(self, key: str) -> PaymentRow:
        """An accepted transfer (generation 4): its row once settled (by the partner's report, or now by the
        partner's status), else the row still PENDING."""
        [row] = await self._payments.by_keys([key])
        if row.status is not PaymentStatus.PENDING:
            return row
        known = await self._partner.transfer_status(key)
        if known is None or known.outcome is TransferOutcome.PENDING:
            return row
        return await self._record(key, known)

    async def _settled_soon(self, key: str) -> TransferResult:
        """The partner's settled answer within a few seconds; else ``PartnerUnavailable`` (the run tries the same
        key again later, as after a lost answer)."""
        for _ in range(SETTLE_WAIT_TRIES):
            await asyncio.sleep(SETTLE_WAIT_STEP)
            known = await self._partner.transfer_status(key)
            if known is not None and known.outcome is not TransferOutcome.PENDING:
                return known
        raise PartnerUnavailable(f"transfer {key}: accepted, not settled yet")

    async def _record(self, key: str, known: TransferResult) -> PaymentRow:
        settled = await self._payments.settle(key, known)
        outcome = settled.status.value
        count("prakerja_payouts", "Incentive transfers settled, by outcome and reason.", outcome=outcome,
              reason=settled.failure_code or "")  # fmt: skip
        if settled.status is PaymentStatus.PAID:
            count("prakerja_paid_rupiah", "Rupiah paid in incentives.", settled.amount)
        return settled

    @activity.defn
    async def open_receivable(self, r: Receivable) -> Receivable:
        return await self._receivables.open(r)

    @activity.defn
    async def record_repayment(self, p: Repayment) -> Receivable:
        return await self._receivables.repay(p)

    @activity.defn
    async def set_receivable_status(self, inp: ReceivableStatusInput) -> Receivable:
        return await self._receivables.set_status(inp.case_id, inp.status, inp.at)

    @activity.defn
    async def reconcile(self, day: dt.date) -> ReconcileResult:
        """Compare the partner's statement of ``day`` with the payments table; record what differs."""
        statement = await self._partner.statement(day)
        ours = await self._payments.by_tranches(sorted({tranche_of(line.key) for line in statement}))
        paid = await self._payments.paid_on(day)
        found = compare(day, statement, {r.key: r for r in ours}, paid)
        now = dt.datetime.now(dt.UTC)
        new = await self._reconciliation.record([dataclasses.replace(f, found_at=now) for f in found])
        await self._reconciliation.mark_run(day, lines=len(statement), rows=len(paid), found=len(found), at=now)
        return ReconcileResult(day, len(statement), len(paid), len(found), new)
