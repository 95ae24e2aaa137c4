"""The basic-ability test through the participant API (compressed scheme: its 5-minute floor instead of 25 minutes)."""

from __future__ import annotations

from collections import Counter

from adapters.question_bank import FileQuestionBank
from tests.integration.helpers import apply_person, fresh_clean_person, wait_for_case
from tests.integration.queries import ABILITY_TEST, START_TEST, SUBMIT_TEST

BANK = FileQuestionBank().current()


async def _applied(stack) -> str:
    _, token = await apply_person(stack, fresh_clean_person(stack.population))
    return token


def _answers(sheet: dict, right: int) -> list[dict]:
    out = []
    for i, q in enumerate(sheet["questions"]):
        correct = BANK.questions[q["id"]].answer
        out.append({"questionId": q["id"], "choice": correct if i < right else (correct + 1) % 4})
    return out


async def test_start_fetch_and_pass(stack):
    token = await _applied(stack)
    sheet = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
    assert sheet["__typename"] == "AbilityTestSheet", sheet
    assert len(sheet["questions"]) == 18
    assert Counter(q["category"] for q in sheet["questions"]) == {"ARITHMETIC": 6, "INSTRUCTIONS": 6, "READING": 6}
    assert all(len(q["choices"]) == 4 for q in sheet["questions"])
    assert 290 < sheet["secondsLeft"] <= 300  # NORMAL_2023_X60 keeps the test at its 5-minute floor
    # Starting again resumes the same attempt; fetching shows the same questions.
    again = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
    assert again["attempt"]["number"] == 1 and again["questions"] == sheet["questions"]
    fetched = (await stack.gql("participant", ABILITY_TEST, token=token))["abilityTest"]
    assert fetched["questions"] == sheet["questions"]

    submit = {"attempt": 1, "answers": _answers(sheet, right=14)}
    result = (await stack.gql("participant", SUBMIT_TEST, {"input": submit}, token=token))["submitAbilityTest"]
    assert result == {**result, "__typename": "AbilityTestAttempt", "status": "PASSED", "correct": 14, "total": 18}
    # A retried submission returns the recorded result and changes nothing.
    retry = await stack.gql("participant", SUBMIT_TEST, {"input": {"attempt": 1, "answers": []}}, token=token)
    assert retry["submitAbilityTest"]["correct"] == 14
    done = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
    assert done["__typename"] == "AbilityTestAlreadyPassed"
    case = await wait_for_case(stack, token, lambda c: c["abilityTest"]["status"] == "PASSED")
    assert case["abilityTest"]["attempts"][0]["correct"] == 14


async def test_fail_then_retry_with_fresh_questions_until_attempts_run_out(stack):
    token = await _applied(stack)
    seen = []
    for n in (1, 2, 3):
        sheet = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
        assert sheet["attempt"]["number"] == n
        seen.append(tuple(q["id"] for q in sheet["questions"]))
        submit = {"attempt": n, "answers": _answers(sheet, right=11)}  # pass mark is 12
        result = (await stack.gql("participant", SUBMIT_TEST, {"input": submit}, token=token))["submitAbilityTest"]
        assert result["status"] == "FAILED" and result["correct"] == 11
    assert len(set(seen)) == 3  # each attempt draws its own questions
    over = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
    assert over["__typename"] == "NoAttemptsLeft"
    case = await wait_for_case(stack, token, lambda c: c["abilityTest"]["attemptsLeft"] == 0)
    assert "every attempt" in case["nextAction"]


async def test_bad_submissions_are_typed_errors(stack):
    token = await _applied(stack)
    none = await stack.gql("participant", SUBMIT_TEST, {"input": {"attempt": 1, "answers": []}}, token=token)
    assert none["submitAbilityTest"]["__typename"] == "NoTestInProgress"
    sheet = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
    foreign = {"attempt": 1, "answers": [{"questionId": "NOT-A-QUESTION", "choice": 0}]}
    bad = (await stack.gql("participant", SUBMIT_TEST, {"input": foreign}, token=token))["submitAbilityTest"]
    assert bad["__typename"] == "InvalidArgument"
    q = sheet["questions"][0]["id"]
    twice = {"attempt": 1, "answers": [{"questionId": q, "choice": 0}, {"questionId": q, "choice": 1}]}
    bad = (await stack.gql("participant", SUBMIT_TEST, {"input": twice}, token=token))["submitAbilityTest"]
    assert bad["__typename"] == "InvalidArgument"
    # Nothing was recorded by the refused submissions: the attempt is still open.
    still = (await stack.gql("participant", ABILITY_TEST, token=token))["abilityTest"]
    assert still["attempt"]["status"] == "IN_PROGRESS"
    assert (await stack.gql("participant", START_TEST))["startAbilityTest"]["__typename"] == "NotAuthenticated"
