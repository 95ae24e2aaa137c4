"""GraphQL views of the basic-ability test."""

from __future__ import annotations

import datetime as dt

import strawberry

from domain.ability_test import attempts as at

AttemptStatus = strawberry.enum(at.AttemptStatus)


@strawberry.type(description="One sitting of the basic-ability test.")
class AbilityTestAttempt:
    number: int
    status: AttemptStatus
    started_at: dt.datetime
    deadline: dt.datetime
    finished_at: dt.datetime | None
    correct: int | None = strawberry.field(description="Correct answers, once scored.")
    total: int


@strawberry.type(description="The participant's basic-ability test: status and attempts.")
class AbilityTestSummary:
    status: str = strawberry.field(description="NOT_TAKEN, IN_PROGRESS, PASSED, FAILED or EXPIRED.")
    attempts_left: int
    pass_mark: int
    attempts: list[AbilityTestAttempt]
    question_count: int = strawberry.field(description="Questions per attempt under the case's scheme.")
    duration_seconds: int = strawberry.field(
        description="How long an attempt lasts under the case's scheme (a compressed scheme keeps at least 5 minutes)."
    )


@strawberry.type(description="A question as shown to the participant (the answer is never sent).")
class TestQuestion:
    id: str
    category: str
    prompt: str
    choices: list[str]


@strawberry.type(description="An attempt in progress, with its questions.")
class AbilityTestSheet:
    attempt: AbilityTestAttempt
    questions: list[TestQuestion]
    seconds_left: int


def attempt_view(a: at.TestAttempt) -> AbilityTestAttempt:
    return AbilityTestAttempt(
        number=a.number,
        status=a.status,
        started_at=a.started_at,
        deadline=a.deadline,
        finished_at=a.finished_at,
        correct=a.correct,
        total=len(a.question_ids),
    )


def sheet_view(a: at.TestAttempt, bank: at.QuestionBank, now: dt.datetime) -> AbilityTestSheet:
    questions = [bank.questions[qid] for qid in a.question_ids]
    return AbilityTestSheet(
        attempt=attempt_view(a),
        questions=[
            TestQuestion(id=q.id, category=q.category, prompt=q.prompt, choices=list(q.choices)) for q in questions
        ],
        seconds_left=max(0, int((a.deadline - now).total_seconds())),
    )
