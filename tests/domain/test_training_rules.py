"""Redeem rules (every failure reason, in order) and course checks."""

import dataclasses
import datetime as dt

import pytest

from domain.errors import ErrorCode
from domain.training.trainings import (
    MAX_SESSIONS,
    POST_TEST,
    REDEEM_WINDOW,
    Cancellation,
    TrainingMode,
    TrainingStatus,
    course_problems,
)
from tests.domain.training_builders import (
    BOUGHT,
    S1,
    SELF_PACED,
    SESSIONS,
    US,
    attended,
    code,
    course,
    redeem,
    training,
)

# --- course_problems ---------------------------------------------------------------------------------------------


def test_good_courses_have_no_problems():
    assert course_problems(course()) == []
    assert course_problems(SELF_PACED) == []
    assert course_problems(course(mode=TrainingMode.OFFLINE)) == []
    assert course_problems(course(sessions=tuple(S1 + dt.timedelta(days=i) for i in range(MAX_SESSIONS)))) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"price": 0}, "price must be a positive number of rupiah"),
        ({"price": -1}, "price must be a positive number of rupiah"),
        ({"sessions": ()}, "webinar and offline trainings need at least one session"),
        ({"mode": TrainingMode.OFFLINE, "sessions": ()}, "webinar and offline trainings need at least one session"),
        ({"sessions": tuple(S1 + dt.timedelta(days=i) for i in range(MAX_SESSIONS + 1))}, "at most 10 sessions"),
        ({"mode": TrainingMode.SELF_PACED}, "self-paced trainings have no sessions"),
        ({"sessions": (dt.datetime(2026, 11, 24, 9, 0),)}, "session times need a time zone"),
        ({"course_code": " "}, "course code, title and category are required"),
        ({"title": ""}, "course code, title and category are required"),
        ({"category": "\t"}, "course code, title and category are required"),
    ],
)
def test_course_problems(changes, problem):
    assert course_problems(course(**changes)) == [problem]


# --- redeem_refusal ----------------------------------------------------------------------------------------------


def test_redeem_of_a_fresh_code_in_the_window_is_allowed():
    assert redeem(training()) is None
    assert redeem(training(), mode=TrainingMode.WEBINAR) is None


def test_redeem_refusal_reasons_in_order():
    """Start from a code that is wrong in every way and fix one reason at a time."""
    t = training(
        course=course(provider_code="LPK99"),
        cancelled=Cancellation.VOUCHER,
        status=TrainingStatus.CANCELLED,
        redemptions=attended(1),
    )
    kw = {"sequence": 1, "now": S1 - 2 * REDEEM_WINDOW, "mode": TrainingMode.SELF_PACED}
    assert code(redeem(t, **kw)) is ErrorCode.CODE_OF_OTHER_PROVIDER
    t = dataclasses.replace(t, course=course())
    assert code(redeem(t, **kw)) is ErrorCode.TRAINING_TYPE_MISMATCH
    kw["mode"] = TrainingMode.WEBINAR
    assert code(redeem(t, **kw)) is ErrorCode.CODE_CANCELLED
    t = dataclasses.replace(t, cancelled=Cancellation.TRANSACTION)
    assert code(redeem(t, **kw)) is ErrorCode.TRANSACTION_CANCELLED
    t = dataclasses.replace(t, cancelled=None, status=TrainingStatus.IN_TRAINING)
    assert code(redeem(t, **{**kw, "sequence": 4})) is ErrorCode.INVALID_SEQUENCE
    assert code(redeem(t, **kw)) is ErrorCode.CODE_ALREADY_USED
    kw["sequence"] = 2
    assert code(redeem(t, **kw)) is ErrorCode.OUTSIDE_REDEEM_WINDOW
    kw["now"] = SESSIONS[1]
    assert redeem(t, **kw) is None


def test_code_of_other_provider():
    refusal = redeem(training(), provider="LPK99")
    assert refusal == (ErrorCode.CODE_OF_OTHER_PROVIDER, "This redeem code belongs to another training provider.")


@pytest.mark.parametrize("declared", [TrainingMode.SELF_PACED, TrainingMode.OFFLINE])
def test_training_type_mismatch(declared):
    refusal = redeem(training(), mode=declared)
    assert refusal == (ErrorCode.TRAINING_TYPE_MISMATCH, "This code is for a webinar training.")


def test_code_cancelled_by_the_programme():
    t = training(cancelled=Cancellation.VOUCHER, status=TrainingStatus.CANCELLED)
    assert code(redeem(t)) is ErrorCode.CODE_CANCELLED


def test_transaction_cancelled_by_the_platform():
    t = training(cancelled=Cancellation.TRANSACTION, status=TrainingStatus.CANCELLED)
    assert code(redeem(t)) is ErrorCode.TRANSACTION_CANCELLED


@pytest.mark.parametrize("sequence", [0, -1, 4, MAX_SESSIONS, 11, 998, 1000])
def test_invalid_sequence_for_a_webinar(sequence):
    refusal = redeem(training(), sequence=sequence)
    assert refusal == (ErrorCode.INVALID_SEQUENCE, "Sequence must be 1–3 (a session) or 999 (post-test).")


@pytest.mark.parametrize("sequence", [0, MAX_SESSIONS + 1, 998])
def test_invalid_sequence_for_a_self_paced_training(sequence):
    assert code(redeem(training(SELF_PACED), sequence=sequence)) is ErrorCode.INVALID_SEQUENCE


def test_already_used_for_this_session():
    t = training(status=TrainingStatus.IN_TRAINING, redemptions=attended(1))
    refusal = redeem(t, sequence=1)
    assert refusal == (ErrorCode.CODE_ALREADY_USED, "This redeem code was already used for this session.")


def test_post_test_already_used():
    t = training(status=TrainingStatus.IN_TRAINING, redemptions=attended(1, POST_TEST))
    assert code(redeem(t, sequence=POST_TEST)) is ErrorCode.CODE_ALREADY_USED


@pytest.mark.parametrize("status", [TrainingStatus.CERTIFIED, TrainingStatus.NOT_CERTIFIED])
def test_finished_training_counts_as_already_used(status):
    assert code(redeem(training(status=status), sequence=2, now=SESSIONS[1])) is ErrorCode.CODE_ALREADY_USED


@pytest.mark.parametrize("c", [course(), SELF_PACED], ids=["webinar", "self-paced"])
def test_post_test_before_any_attendance_is_an_invalid_sequence(c):
    refusal = redeem(training(c), sequence=POST_TEST)
    assert refusal == (ErrorCode.INVALID_SEQUENCE, "The post-test comes after at least one attended session.")


def test_post_test_after_attendance_has_no_window():
    t = training(status=TrainingStatus.IN_TRAINING, redemptions=attended(1))
    assert redeem(t, sequence=POST_TEST, now=S1 + dt.timedelta(days=30)) is None


@pytest.mark.parametrize(
    "now",
    [S1 - REDEEM_WINDOW, S1, S1 + REDEEM_WINDOW],
    ids=["exactly-1h-before", "at-start", "exactly-1h-after"],
)
def test_inside_the_window_inclusive(now):
    assert redeem(training(), now=now) is None


@pytest.mark.parametrize(
    "now",
    [S1 - REDEEM_WINDOW - US, S1 + REDEEM_WINDOW + US, S1 - dt.timedelta(days=1), S1 + dt.timedelta(days=1)],
    ids=["1us-too-early", "1us-too-late", "a-day-early", "a-day-late"],
)
def test_outside_the_window(now):
    refusal = redeem(training(), now=now)
    assert refusal == (
        ErrorCode.OUTSIDE_REDEEM_WINDOW,
        "Redeem codes work from 1 hour before to 1 hour after the session starts.",
    )


def test_window_is_per_session():
    t = training()
    assert code(redeem(t, sequence=3, now=S1)) is ErrorCode.OUTSIDE_REDEEM_WINDOW
    assert redeem(t, sequence=3, now=SESSIONS[2] + REDEEM_WINDOW) is None


def test_window_compares_instants_across_time_zones():
    wib = dt.timezone(dt.timedelta(hours=7))
    assert redeem(training(), now=(S1 + REDEEM_WINDOW).astimezone(wib)) is None
    assert code(redeem(training(), now=(S1 + REDEEM_WINDOW + US).astimezone(wib))) is ErrorCode.OUTSIDE_REDEEM_WINDOW


def test_offline_training_has_a_window_too():
    t = training(course(mode=TrainingMode.OFFLINE))
    assert redeem(t, now=S1) is None
    assert code(redeem(t, now=S1 + REDEEM_WINDOW + US)) is ErrorCode.OUTSIDE_REDEEM_WINDOW


@pytest.mark.parametrize("sequence", [1, 5, MAX_SESSIONS])
def test_self_paced_has_no_window(sequence):
    t = training(SELF_PACED)
    for now in (BOUGHT, S1 + dt.timedelta(days=365)):
        assert redeem(t, sequence=sequence, now=now, mode=TrainingMode.SELF_PACED) is None
