"""Pure rules of transfers settled later: the bounded backoff of status checks, a pending tranche, and how a payment
partner's report is read (provider, fields, verdict)."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.payouts.ports import PaymentRow, PaymentStatus, TransferOutcome
from domain.payouts.reports import ReportedOutcome, ReportVerdict, TransferReport, as_result, problem, provider_of
from domain.payouts.reports import verdict as verdict_of
from domain.payouts.settlement import next_check, pending, settle
from domain.payouts.tranches import PayoutAccount, Provider, Tranche, TrancheStatus

NOW = dt.datetime(2026, 12, 6, 5, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


def _row(status: PaymentStatus, ref: str | None = None, code: str | None = None) -> PaymentRow:
    return PaymentRow("c:incentive:1/1", "c:incentive:1", "c", 1, 1, "JOB_SEARCH", 600_000, Provider.OVO,
                      "081234567890", 1, status, NOW, partner_ref=ref, failure_code=code)  # fmt: skip


def test_status_checks_back_off_doubling_up_to_the_bound():
    waits = [next_check(n, first=5 * MIN, bound=6 * 60 * MIN) for n in range(10)]
    assert waits[:4] == [5 * MIN, 10 * MIN, 20 * MIN, 40 * MIN]
    assert max(waits) == 6 * 60 * MIN and waits == sorted(waits)
    assert next_check(10_000, first=5 * MIN, bound=6 * 60 * MIN) == 6 * 60 * MIN


def test_a_pending_tranche_waits_for_its_check_or_at_once_when_reported_and_settles_clean():
    t = Tranche(1, "JOB_SEARCH", 600_000, "c:incentive:1", TrancheStatus.PAYABLE, NOW, failure_code="X")
    waiting = pending(t, _row(PaymentStatus.PENDING), 1, now=NOW, first=5 * MIN, reported=False)
    assert (waiting.tranche.status, waiting.tranche.check_at, waiting.tranche.failure_code) == (
        TrancheStatus.PENDING, NOW + 5 * MIN, None,
    )  # fmt: skip
    assert waiting.note is not None and waiting.note[0] == "INCENTIVE_PENDING"
    assert pending(t, _row(PaymentStatus.PENDING), 1, now=NOW, first=5 * MIN, reported=True).tranche.check_at == NOW
    account = PayoutAccount(Provider.OVO, "081234567890", "B***", 1, NOW)
    paid = settle(waiting.tranche, account, _row(PaymentStatus.PAID, ref="TRX-1"), 1, now=NOW, retry_after=MIN)
    assert (paid.tranche.status, paid.tranche.transfer_key, paid.tranche.check_at) == (TrancheStatus.PAID, None, None)
    again = settle(waiting.tranche, account, _row(PaymentStatus.FAILED, code="TRANSFER_FAILED"), 1, now=NOW,
                   retry_after=MIN)  # fmt: skip
    assert (again.tranche.status, again.tranche.retry_at) == (TrancheStatus.PAYABLE, NOW + MIN)


@pytest.mark.parametrize(
    ("code", "provider"),
    [("OVO", Provider.OVO), ("ovo-sandbox", Provider.OVO), ("BNI-3fa2", Provider.BNI), ("pay-1", None), ("", None)],
)
def test_a_payment_partners_client_code_names_its_provider(code, provider):
    assert provider_of(code) == provider


def test_a_report_needs_a_reference_when_settled_and_a_reason_code_when_failed():
    assert problem(TransferReport("k", ReportedOutcome.SETTLED, partner_ref="TRX-1")) is None
    assert problem(TransferReport("k", ReportedOutcome.SETTLED)) is not None
    assert problem(TransferReport("k", ReportedOutcome.FAILED, reason_code="ACCOUNT_CLOSED")) is None
    assert problem(TransferReport("k", ReportedOutcome.FAILED, reason_code="no way!")) is not None
    assert problem(TransferReport(" ", ReportedOutcome.FAILED, reason_code="X")) is not None
    failed = as_result(TransferReport("k", ReportedOutcome.FAILED, reason_code="account_closed"), NOW)
    assert (failed.outcome, failed.code) == (TransferOutcome.REJECTED, "ACCOUNT_CLOSED")


def test_reports_after_the_first_are_duplicates_or_conflicts():
    settled = TransferReport("k", ReportedOutcome.SETTLED, partner_ref="TRX-1")
    failed = TransferReport("k", ReportedOutcome.FAILED, reason_code="TRANSFER_FAILED")
    paid_row, failed_row = _row(PaymentStatus.PAID, ref="TRX-1"), _row(PaymentStatus.FAILED, code="TRANSFER_FAILED")
    assert verdict_of(paid_row, True, settled) is ReportVerdict.APPLIED
    assert verdict_of(paid_row, False, settled) is ReportVerdict.DUPLICATE
    assert verdict_of(paid_row, False, failed) is ReportVerdict.CONFLICT  # failed after settled
    other = TransferReport("k", ReportedOutcome.SETTLED, partner_ref="TRX-2")
    assert verdict_of(paid_row, False, other) is ReportVerdict.CONFLICT  # settled twice, differently
    assert verdict_of(failed_row, False, failed) is ReportVerdict.DUPLICATE
    assert verdict_of(failed_row, False, settled) is ReportVerdict.CONFLICT  # settled after failed
