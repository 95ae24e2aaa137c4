import dataclasses
import datetime as dt

import pytest

from domain.enrollment.enrollment import CardStatus, Enrollment, OtpChallenge, otp_digest, otp_matches, purchase_refusal
from domain.errors import ErrorCode
from domain.scheme import NORMAL_2023, SEMI_BANSOS_2020, get_scheme
from domain.texts import Text, render
from domain.training.progress import enrolled_next_action
from domain.training.trainings import Cancellation, Course, Training, TrainingMode, TrainingStatus

ENROLLED = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
DEADLINE = ENROLLED + NORMAL_2023.first_purchase_deadline
CARD = "5123456789012346"
COURSE = Course(
    course_code="C-001",
    title="Digital Marketing",
    provider_code="LPK01",
    platform_code="DP01",
    price=750_000,
    mode=TrainingMode.SELF_PACED,
    category="marketing",
)


def enrollment(**kw) -> Enrollment:
    base = Enrollment(
        card_number=CARD,
        enrolled_at=ENROLLED,
        credited=NORMAL_2023.balance,
        purchase_deadline=DEADLINE,
        reminder_at=DEADLINE - NORMAL_2023.purchase_reminder_before,
    )
    return dataclasses.replace(base, **kw)


def training(status: TrainingStatus = TrainingStatus.CERTIFIED, title: str = "Excel Dasar") -> Training:
    return Training(
        purchase_key="DP01:idem-1",
        invoice_code="INV-1",
        voucher_code="VCH-1",
        redeem_code="RDM-1",
        course=dataclasses.replace(COURSE, title=title),
        price=COURSE.price,
        purchased_at=ENROLLED,
        status=status,
    )


def refuse(**kw):
    args = {
        "enrollment": enrollment(),
        "trainings": [],
        "balance": NORMAL_2023.balance,
        "course": COURSE,
        "price": COURSE.price,
        "now": ENROLLED + dt.timedelta(days=1),
    }
    return purchase_refusal(**{**args, **kw})


def code(refusal):
    return None if refusal is None else refusal[0]


# --- purchase_refusal --------------------------------------------------------------------------------------------


def test_purchase_is_allowed():
    assert refuse() is None


def test_no_enrollment_is_an_inactive_card():
    assert refuse(enrollment=None) == (ErrorCode.CARD_INACTIVE, "This Kartu Prakerja is not active.")


def test_revoked_card_is_inactive():
    revoked = enrollment(status=CardStatus.REVOKED, revoked_at=DEADLINE, revoke_reason="no purchase")
    assert code(refuse(enrollment=revoked)) is ErrorCode.CARD_INACTIVE


def test_deadline_passed_before_the_first_purchase():
    refusal = refuse(now=DEADLINE + dt.timedelta(microseconds=1))
    assert refusal == (
        ErrorCode.PURCHASE_DEADLINE_PASSED,
        "The deadline for the first training purchase has passed.",
    )


def test_purchase_exactly_at_the_deadline_is_allowed():
    assert refuse(now=DEADLINE) is None


def test_deadline_does_not_apply_after_the_first_training():
    assert refuse(trainings=[training()], now=DEADLINE + dt.timedelta(days=90)) is None


def test_a_cancelled_purchase_does_not_end_the_first_purchase_deadline():
    cancelled = dataclasses.replace(
        training(TrainingStatus.CANCELLED), cancelled=Cancellation.TRANSACTION, status_reason="refund"
    )
    refusal = refuse(trainings=[cancelled], now=DEADLINE + dt.timedelta(seconds=1))
    assert code(refusal) is ErrorCode.PURCHASE_DEADLINE_PASSED
    assert refuse(trainings=[cancelled], now=DEADLINE) is None


def test_inactive_course():
    refusal = refuse(course=dataclasses.replace(COURSE, active=False))
    assert refusal == (ErrorCode.COURSE_NOT_FOUND, "This training is no longer offered.")


@pytest.mark.parametrize("price", [749_999, 750_001, 0])
def test_price_mismatch(price):
    refusal = refuse(price=price)
    assert code(refusal) is ErrorCode.PRICE_MISMATCH
    assert "Rp750,000" in refusal[1]


@pytest.mark.parametrize(
    "status",
    [
        TrainingStatus.PURCHASED,
        TrainingStatus.IN_TRAINING,
        TrainingStatus.COMPLETION_REPORTED,
        TrainingStatus.VERIFYING,
    ],
)
def test_unfinished_training(status):
    trainings = [training(TrainingStatus.CERTIFIED), training(status, title="Public Speaking")]
    refusal = refuse(trainings=trainings)
    assert code(refusal) is ErrorCode.TRAINING_UNFINISHED
    assert "Public Speaking" in refusal[1]


@pytest.mark.parametrize("status", [TrainingStatus.CERTIFIED, TrainingStatus.NOT_CERTIFIED, TrainingStatus.CANCELLED])
def test_finished_trainings_do_not_block(status):
    assert refuse(trainings=[training(status)]) is None


def test_insufficient_balance():
    refusal = refuse(balance=COURSE.price - 1)
    assert refusal == (ErrorCode.INSUFFICIENT_BALANCE, "The balance (Rp749,999) is less than the price (Rp750,000).")


def test_balance_exactly_the_price_is_enough():
    assert refuse(balance=COURSE.price) is None


def test_purchase_refusal_reasons_in_order():
    kw = {
        "enrollment": enrollment(status=CardStatus.REVOKED),
        "trainings": [],
        "balance": 0,
        "course": dataclasses.replace(COURSE, active=False),
        "price": 1,
        "now": DEADLINE + dt.timedelta(days=1),
    }
    assert code(refuse(**kw)) is ErrorCode.CARD_INACTIVE
    kw["enrollment"] = enrollment()
    assert code(refuse(**kw)) is ErrorCode.PURCHASE_DEADLINE_PASSED
    kw["trainings"] = [training(TrainingStatus.IN_TRAINING)]
    assert code(refuse(**kw)) is ErrorCode.COURSE_NOT_FOUND
    kw["course"] = COURSE
    assert code(refuse(**kw)) is ErrorCode.PRICE_MISMATCH
    kw["price"] = COURSE.price
    assert code(refuse(**kw)) is ErrorCode.TRAINING_UNFINISHED
    kw["trainings"] = [training(TrainingStatus.CERTIFIED)]
    assert code(refuse(**kw)) is ErrorCode.INSUFFICIENT_BALANCE
    kw["balance"] = COURSE.price
    assert refuse(**kw) is None


# --- otp_matches -------------------------------------------------------------------------------------------------


def challenge(otp: str = "123456") -> OtpChallenge:
    return OtpChallenge(
        challenge_id="ch-1",
        platform_code="DP01",
        course_code=COURSE.course_code,
        price=COURSE.price,
        salt="s4lt",
        digest=otp_digest("s4lt", otp),
        expires_at=ENROLLED + dt.timedelta(minutes=5),
    )


def test_right_otp_matches():
    assert otp_matches(challenge(), "123456", platform_code="DP01", course=COURSE, price=COURSE.price)


@pytest.mark.parametrize("otp", ["654321", "12345", "1234567", "", " 123456"])
def test_wrong_otp_does_not_match(otp):
    assert not otp_matches(challenge(), otp, platform_code="DP01", course=COURSE, price=COURSE.price)


def test_otp_for_another_platform_does_not_match():
    assert not otp_matches(challenge(), "123456", platform_code="DP02", course=COURSE, price=COURSE.price)


def test_otp_for_another_course_does_not_match():
    other = dataclasses.replace(COURSE, course_code="C-002")
    assert not otp_matches(challenge(), "123456", platform_code="DP01", course=other, price=COURSE.price)


def test_otp_for_another_price_does_not_match():
    assert not otp_matches(challenge(), "123456", platform_code="DP01", course=COURSE, price=COURSE.price + 1)


def test_otp_digest_is_salted():
    assert otp_digest("a", "123456") != otp_digest("b", "123456")
    assert "123456" not in otp_digest("a", "123456")


# --- schemes -----------------------------------------------------------------------------------------------------


def test_scheme_balances_and_first_purchase_deadlines():
    assert NORMAL_2023.balance == 3_500_000
    assert SEMI_BANSOS_2020.balance == 1_000_000
    assert NORMAL_2023.first_purchase_deadline == dt.timedelta(days=15)
    assert SEMI_BANSOS_2020.first_purchase_deadline == dt.timedelta(days=30)


@pytest.mark.parametrize("scheme", [NORMAL_2023, SEMI_BANSOS_2020])
def test_base_schemes_run_in_real_time(scheme):
    assert scheme.time_factor == 1
    assert get_scheme(scheme.id) is scheme
    assert scheme.scaled(dt.timedelta(days=15)) == dt.timedelta(days=15)


def test_compressed_scheme_divides_by_its_factor():
    fast = get_scheme("NORMAL_2023_X60")
    assert fast.id == "NORMAL_2023_X60"
    assert fast.time_factor == 60
    assert fast.scaled(dt.timedelta(hours=1)) == dt.timedelta(minutes=1)
    assert fast.scaled(dt.timedelta(days=1)) == dt.timedelta(minutes=24)
    assert fast.first_purchase_deadline == dt.timedelta(hours=6)
    assert fast.first_purchase_deadline == fast.scaled(NORMAL_2023.first_purchase_deadline)
    assert fast.purchase_reminder_before == fast.scaled(NORMAL_2023.purchase_reminder_before)
    assert fast.balance == NORMAL_2023.balance


def test_compressed_semi_bansos_scheme():
    fast = get_scheme("SEMI_BANSOS_2020_X60")
    assert fast.time_factor == 60
    assert fast.first_purchase_deadline == dt.timedelta(hours=12)
    assert fast.balance == 1_000_000


def test_compressing_twice_multiplies_the_factor():
    assert NORMAL_2023.compressed(factor=60).compressed(factor=2).time_factor == 120


@pytest.mark.parametrize("scheme_id", ["NORMAL_2024", "NORMAL_2023_X", "NORMAL_2023_Xab", "OTHER_X60"])
def test_unknown_scheme(scheme_id):
    with pytest.raises(KeyError):
        get_scheme(scheme_id)


# --- enrolled_next_action ----------------------------------------------------------------------------------------


def test_next_action_before_any_purchase_mentions_card_and_deadline():
    text = _en(enrolled_next_action(enrollment(), [], NORMAL_2023.balance))
    assert CARD in text
    assert "8 December 2026 10:00 WIB" in text
    assert "8 Desember 2026 10.00 WIB" in render(
        enrolled_next_action(enrollment(), [], 1), "id"
    )  # the deadline 03:00 UTC, shown in programme time
    assert "Rp3.500.000" in text


def test_next_action_when_revoked_points_to_the_decision():
    revoked = enrollment(status=CardStatus.REVOKED, revoke_reason="no training was bought within 15 days")
    text = _en(enrolled_next_action(revoked, [], 0))
    assert "revoked" in text and "see the decision" in text
    assert CARD not in text
    assert "dicabut" in render(enrolled_next_action(revoked, [], 0), "id")


def test_revocation_wins_over_an_open_training():
    revoked = enrollment(status=CardStatus.REVOKED, revoke_reason="fraud")
    assert enrolled_next_action(revoked, [training(TrainingStatus.IN_TRAINING)], 0).code == "next.REVOKED"


def test_next_action_for_a_purchased_training_gives_the_redeem_code():
    text = _en(enrolled_next_action(enrollment(), [training(TrainingStatus.PURCHASED)], 2_750_000))
    assert "RDM-1" in text
    assert "Excel Dasar" in text


@pytest.mark.parametrize(
    "status",
    [TrainingStatus.IN_TRAINING, TrainingStatus.COMPLETION_REPORTED, TrainingStatus.VERIFYING],
)
def test_next_action_names_the_open_training(status):
    assert "Excel Dasar" in _en(enrolled_next_action(enrollment(), [training(status)], 0))


def test_next_action_after_a_finished_training():
    assert "Rp2.750.000" in _en(enrolled_next_action(enrollment(), [training()], 2_750_000))
    assert _en(enrolled_next_action(enrollment(), [training()], 0)) == "Training finished."


def _en(value: Text) -> str:
    return render(value, "en")
