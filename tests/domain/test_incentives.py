"""The incentive schedule, prerequisites, payout texts and clawback arithmetic (pure)."""

import dataclasses
import datetime as dt

import pytest

from domain.clawback.saga import SAGA, Clawback, ClawbackStep, StepRecord
from domain.payouts.ports import ReceivableStatus
from domain.payouts.progress import clawback_next_action, payout_next_action
from domain.payouts.schedule import build_schedule, first_certified, paid_total, prerequisites, schedule_violations
from domain.payouts.tranches import PayoutAccount, Provider, TrancheStatus, attempt_key, needs_relink, tranche_key
from domain.scheme import NORMAL_2023, SEMI_BANSOS_2020, get_scheme
from domain.texts import Text, render
from domain.training.trainings import TrainingStatus
from tests.domain.training_builders import SELF_PACED, training

MET = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
ACCOUNT = PayoutAccount(Provider.BNI, "1234567890", "B*** S***", 1, MET)


def certified(at: dt.datetime, **kw):
    return training(SELF_PACED, status=TrainingStatus.CERTIFIED, certified_at=at, **kw)


@pytest.mark.parametrize(
    ("scheme", "days", "package"),
    [
        (NORMAL_2023, [1, 31, 91], 700_000),
        (SEMI_BANSOS_2020, [1, 31, 61, 91, 31, 61, 91], 2_550_000),
    ],
)
def test_the_schedule_comes_from_the_scheme(scheme, days, package):
    tranches = build_schedule("case", scheme, MET)
    assert [round((t.due_at - MET) / dt.timedelta(days=1)) for t in tranches] == days
    assert [t.key for t in tranches] == [tranche_key("case", n) for n in range(1, len(days) + 1)]
    assert all(t.status is TrancheStatus.SCHEDULED for t in tranches)
    assert scheme.incentive_package == package and schedule_violations(tranches, scheme) == []


def test_compressed_schemes_shrink_every_payout_duration():
    fast = get_scheme("NORMAL_2023_X60")
    tranches = build_schedule("case", fast, MET)
    assert tranches[2].due_at - MET == dt.timedelta(days=91) / 60
    assert fast.survey_answer_window == dt.timedelta(days=30) / 60
    assert fast.repayment_window == dt.timedelta(days=60) / 60 and fast.incentive_package == 700_000


def test_violations_catch_a_tranche_paid_beyond_the_package():
    tranches = build_schedule("case", NORMAL_2023, MET)
    doubled = [*(dataclasses.replace(t, status=TrancheStatus.PAID) for t in tranches), tranches[0]]
    found = schedule_violations(doubled, NORMAL_2023)
    assert any("twice" in p for p in found) and any("4 tranches" in p for p in found)


def test_prerequisites_are_the_first_certificate_its_rating_and_an_account():
    first = certified(MET, voucher_code="V1")
    later = certified(MET + dt.timedelta(days=9), voucher_code="V2", rating=5)
    assert first_certified([later, first]) is first
    p = prerequisites([later, first], ACCOUNT)
    assert (p.certificate, p.rating, p.account, p.met) == (True, False, True, False)
    assert p.missing() == ["rate and review your first completed training"]
    assert prerequisites([dataclasses.replace(first, rating=4)], ACCOUNT).met
    assert not prerequisites([training(SELF_PACED)], ACCOUNT).certificate


def test_attempt_keys_and_which_failures_need_a_relink():
    assert attempt_key("c", 2, 3) == "c:incentive:2/3"
    assert needs_relink("NIK_MISMATCH") and needs_relink("KYC_NOT_VERIFIED")
    assert not needs_relink("TRANSFER_FAILED") and not needs_relink(None)
    assert ACCOUNT.masked == "••••••7890"


def test_next_action_tells_the_participant_about_failed_payouts_and_open_surveys():
    rated = [certified(MET, rating=5)]
    tranches = build_schedule("c", NORMAL_2023, MET)
    failed = [
        dataclasses.replace(
            tranches[0],
            status=TrancheStatus.FAILED,
            failure_code="ACCOUNT_CLOSED",
            failure_reason="the account is closed",
        )
    ]
    assert "gagal dicairkan: rekening sudah ditutup" in render(payout_next_action(rated, ACCOUNT, failed), "id")
    assert "Payout failed: the account is closed" in _en(payout_next_action(rated, ACCOUNT, failed))
    survey = dataclasses.replace(tranches[1], status=TrancheStatus.SURVEY_OPEN, survey_due_at=MET)
    assert "Answer survey 2" in _en(payout_next_action(rated, ACCOUNT, [survey]))
    due = [dataclasses.replace(tranches[0], status=TrancheStatus.PAYABLE)]
    assert "link a bank" in _en(payout_next_action(rated, None, due))
    paid = [dataclasses.replace(t, status=TrancheStatus.PAID) for t in tranches]
    assert _en(payout_next_action(rated, ACCOUNT, paid)).startswith("Your incentives are complete: Rp700.000 paid.")
    assert payout_next_action([training(SELF_PACED)], ACCOUNT, ()) is None
    assert paid_total(paid) == 700_000


def test_clawback_runs_its_steps_in_order_and_owes_aid_plus_incentives():
    c = Clawback("ENROLLED_STUDENT", "student", "PDDikti", "s1", MET)
    done = []
    while (step := c.next_step()) is not None:
        done.append(step)
        c = dataclasses.replace(c, steps=(*c.steps, StepRecord(step, MET, "")))
    assert done == list(SAGA) and done[0] is ClawbackStep.INCENTIVES_STOPPED
    owed = dataclasses.replace(c, training_aid=1_000_000, incentives=650_000, repaid=200_000, due_at=MET)
    assert (owed.amount_due, owed.outstanding) == (1_650_000, 1_450_000)
    opened = dataclasses.replace(owed, status=ReceivableStatus.OPEN)
    assert "Rp1.450.000" in _en(clawback_next_action(opened))
    assert "handed over" in _en(clawback_next_action(dataclasses.replace(opened, status=ReceivableStatus.ESCALATED)))


def _en(value: Text | None) -> str:
    assert value is not None
    return render(value, "en")
