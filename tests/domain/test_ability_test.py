import datetime as dt
from collections import Counter

import pytest

from adapters.question_bank import FileQuestionBank
from domain import progress
from domain.ability_test import attempts as at
from domain.ability_test.attempts import CATEGORIES, draw, parse_bank, score
from domain.case import Stage
from domain.scheme import NORMAL_2023

BANK = FileQuestionBank().current()


def test_draw_is_reproducible_and_balanced():
    a = draw(BANK, seed="case-1:1", count=18)
    assert a == draw(BANK, seed="case-1:1", count=18)
    assert len(set(a)) == 18
    assert Counter(BANK.questions[q].category for q in a) == dict.fromkeys(CATEGORIES, 6)
    assert a != draw(BANK, seed="case-1:2", count=18)
    assert a != draw(BANK, seed="case-2:1", count=18)


def test_score_counts_only_correct_answers_to_drawn_questions():
    ids = draw(BANK, seed="s", count=18)
    right = {q: BANK.questions[q].answer for q in ids}
    assert score(BANK, ids, right) == 18
    wrong = {q: (a + 1) % 4 for q, a in right.items()}
    assert score(BANK, ids, wrong) == 0
    other = next(q for q in BANK.questions if q not in ids)
    assert score(BANK, ids, {other: BANK.questions[other].answer}) == 0


def test_malformed_bank_is_rejected():
    with pytest.raises(ValueError, match="bad question"):
        parse_bank(
            {
                "version": "x",
                "questions": [{"id": "A", "category": "NOPE", "prompt": "", "choices": ["a"], "answer": 0}],
            }
        )


def _attempt(status="IN_PROGRESS"):
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    from domain.ability_test.attempts import AttemptStatus

    return at.TestAttempt(1, "v", ("q",), now, now + dt.timedelta(minutes=25), AttemptStatus(status))


def test_progress_messages():
    assert progress.test_status([]) == "NOT_TAKEN"
    assert progress.test_status([_attempt("FAILED"), _attempt("PASSED")]) == "PASSED"
    assert progress.attempts_left([_attempt("FAILED")] * 3, NORMAL_2023) == 0
    assert "take the basic-ability test" in progress.next_action(Stage.VALIDATING, [], NORMAL_2023, lang="en")
    assert "Join an open wave" in progress.next_action(Stage.ELIGIBLE, [_attempt("PASSED")], NORMAL_2023, lang="en")
    assert "every attempt" in progress.next_action(Stage.ELIGIBLE, [_attempt("FAILED")] * 3, NORMAL_2023, lang="en")
    assert "not eligible" in progress.next_action(Stage.INELIGIBLE, [_attempt("PASSED")], NORMAL_2023, lang="en")
