"""Completion reports, confirmations, cancellations and the verification verdict."""

import pytest

from domain.errors import ErrorCode
from domain.training.trainings import (
    POST_TEST,
    Cancellation,
    TrainingMode,
    TrainingStatus,
    cancel_purchase_refusal,
    completion_report_refusal,
    completion_verdict,
    confirmation_refusal,
    unfinished,
)
from tests.domain.training_builders import (
    PLATFORM,
    PROVIDER,
    S1,
    SELF_PACED,
    attended,
    code,
    course,
    training,
)

# --- completion_report_refusal -----------------------------------------------------------------------------------


def test_completion_report_by_the_provider_while_in_training():
    assert completion_report_refusal(training(status=TrainingStatus.IN_TRAINING), provider_code=PROVIDER) is None


def test_repeated_completion_report_is_accepted():
    t = training(status=TrainingStatus.COMPLETION_REPORTED)
    assert completion_report_refusal(t, provider_code=PROVIDER) is None


def test_completion_report_by_another_provider():
    t = training(status=TrainingStatus.IN_TRAINING)
    assert code(completion_report_refusal(t, provider_code="LPK99")) is ErrorCode.CODE_OF_OTHER_PROVIDER


@pytest.mark.parametrize(
    "status",
    [
        TrainingStatus.PURCHASED,
        TrainingStatus.VERIFYING,
        TrainingStatus.CERTIFIED,
        TrainingStatus.NOT_CERTIFIED,
        TrainingStatus.CANCELLED,
    ],
)
def test_completion_report_in_the_wrong_state(status):
    refusal = completion_report_refusal(training(status=status), provider_code=PROVIDER)
    assert refusal == (
        ErrorCode.INVALID_TRAINING_STATE,
        f"Completion cannot be reported for a {status.value} training.",
    )


# --- confirmation_refusal ----------------------------------------------------------------------------------------


def test_confirmation_after_a_completion_report():
    t = training(status=TrainingStatus.COMPLETION_REPORTED)
    assert confirmation_refusal(t, platform_code=PLATFORM) is None


def test_repeated_confirmation_is_accepted():
    assert confirmation_refusal(training(status=TrainingStatus.VERIFYING), platform_code=PLATFORM) is None


@pytest.mark.parametrize(
    "t",
    [
        training(status=TrainingStatus.COMPLETION_REPORTED, course=course(platform_code="DP02")),
        training(status=TrainingStatus.COMPLETION_REPORTED, purchase_key="DP02:idem-1"),
        training(status=TrainingStatus.COMPLETION_REPORTED, purchase_key="DP01x:idem-1"),
    ],
    ids=["course-of-other-platform", "bought-on-other-platform", "prefix-is-not-enough"],
)
def test_confirmation_by_another_platform(t):
    assert code(confirmation_refusal(t, platform_code=PLATFORM)) is ErrorCode.NOT_YOUR_PURCHASE


def test_confirmation_by_the_other_platform_of_a_split_purchase():
    t = training(status=TrainingStatus.COMPLETION_REPORTED, purchase_key="DP02:idem-1")
    assert code(confirmation_refusal(t, platform_code="DP02")) is ErrorCode.NOT_YOUR_PURCHASE


@pytest.mark.parametrize(
    "status",
    [TrainingStatus.PURCHASED, TrainingStatus.IN_TRAINING, TrainingStatus.CERTIFIED, TrainingStatus.CANCELLED],
)
def test_confirmation_before_a_completion_report(status):
    refusal = confirmation_refusal(training(status=status), platform_code=PLATFORM)
    assert code(refusal) is ErrorCode.INVALID_TRAINING_STATE


# --- cancel_purchase_refusal -------------------------------------------------------------------------------------


def test_cancel_an_unstarted_purchase():
    assert cancel_purchase_refusal(training(), platform_code=PLATFORM) is None


def test_repeated_cancellation_is_accepted():
    t = training(cancelled=Cancellation.TRANSACTION, status=TrainingStatus.CANCELLED)
    assert cancel_purchase_refusal(t, platform_code=PLATFORM) is None


def test_cancel_by_another_platform():
    refusal = cancel_purchase_refusal(training(), platform_code="DP02")
    assert refusal == (ErrorCode.NOT_YOUR_PURCHASE, "This training was not bought on your platform.")
    t = training(cancelled=Cancellation.TRANSACTION, status=TrainingStatus.CANCELLED)
    assert code(cancel_purchase_refusal(t, platform_code="DP02")) is ErrorCode.NOT_YOUR_PURCHASE


@pytest.mark.parametrize(
    "status",
    [
        TrainingStatus.IN_TRAINING,
        TrainingStatus.COMPLETION_REPORTED,
        TrainingStatus.VERIFYING,
        TrainingStatus.CERTIFIED,
        TrainingStatus.NOT_CERTIFIED,
    ],
)
def test_cancel_a_started_training(status):
    refusal = cancel_purchase_refusal(training(status=status, redemptions=attended(1)), platform_code=PLATFORM)
    assert refusal == (ErrorCode.INVALID_TRAINING_STATE, "A training that has started cannot be cancelled.")


# --- completion_verdict ------------------------------------------------------------------------------------------


def test_webinar_missing_a_session_is_not_certified():
    certified, reason = completion_verdict(training(redemptions=attended(1, 3, POST_TEST)))
    assert not certified
    assert reason == "Not certified: session(s) 2 were not attended (100% needed)."


def test_webinar_missing_several_sessions_lists_them_in_order():
    certified, reason = completion_verdict(training(redemptions=attended(2)))
    assert not certified
    assert "session(s) 1, 3 " in reason


def test_webinar_with_only_the_post_test_is_not_certified():
    certified, reason = completion_verdict(training(redemptions=attended(POST_TEST)))
    assert not certified
    assert "1, 2, 3" in reason


def test_webinar_with_every_session_attended_is_certified():
    certified, reason = completion_verdict(training(redemptions=attended(3, 1, 2)))
    assert certified
    assert reason == "Certified: all 3 session(s) attended; completion reported and confirmed."


def test_offline_training_follows_the_same_rule():
    c = course(mode=TrainingMode.OFFLINE, sessions=(S1,))
    assert completion_verdict(training(c, redemptions=attended(1)))[0]
    assert not completion_verdict(training(c))[0]


def test_self_paced_never_started_is_not_certified():
    certified, reason = completion_verdict(training(SELF_PACED))
    assert not certified
    assert reason == "Not certified: the self-paced training was never started."


def test_self_paced_started_is_certified():
    certified, reason = completion_verdict(training(SELF_PACED, redemptions=attended(1, POST_TEST)))
    assert certified
    assert reason.startswith("Certified: self-paced")


# --- Training helpers --------------------------------------------------------------------------------------------


def test_attended_excludes_the_post_test_and_redemption_finds_by_sequence():
    t = training(redemptions=attended(1, POST_TEST, 2))
    assert t.attended() == {1, 2}
    assert t.redemption(POST_TEST) is not None
    assert t.redemption(2).sequence == 2
    assert t.redemption(3) is None


def test_unfinished_finds_the_open_training():
    done = training(status=TrainingStatus.CERTIFIED)
    cancelled = training(status=TrainingStatus.CANCELLED)
    open_ = training(status=TrainingStatus.VERIFYING, invoice_code="INV-2")
    assert unfinished([]) is None
    assert unfinished([done, cancelled]) is None
    assert unfinished((done, open_)) is open_
