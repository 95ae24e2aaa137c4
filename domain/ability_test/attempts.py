"""The basic-ability test ("Tes Motivasi & Kemampuan Dasar"): 18 questions, 25 minutes, pass/fail.

The bank is data (``domain/data/ability_questions.json``), loaded by an adapter; these functions
are pure so that every attempt draws the same questions for the same (case, attempt).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

CATEGORIES = ("ARITHMETIC", "INSTRUCTIONS", "READING")


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    category: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    """0-based index of the correct choice; never sent to participants."""


@dataclass(frozen=True, slots=True)
class QuestionBank:
    version: str
    questions: dict[str, Question]


def parse_bank(data: dict[str, Any]) -> QuestionBank:
    """Validate and index a bank document; raises ValueError on a malformed bank."""
    questions: dict[str, Question] = {}
    for raw in data["questions"]:
        q = Question(raw["id"], raw["category"], raw["prompt"], tuple(raw["choices"]), int(raw["answer"]))
        if q.id in questions or q.category not in CATEGORIES or not 0 <= q.answer < len(q.choices):
            raise ValueError(f"bad question {q.id!r}")
        questions[q.id] = q
    return QuestionBank(version=str(data["version"]), questions=questions)


def draw(bank: QuestionBank, *, seed: str, count: int) -> tuple[str, ...]:
    """``count`` question IDs spread evenly over the categories, ordered by SHA-256(seed, id).

    Anyone holding the bank and the seed (``<case>:<attempt>``) can reproduce the draw.
    """

    def rank(qid: str) -> str:
        return hashlib.sha256(f"{seed}:{qid}".encode()).hexdigest()

    by_cat = {c: sorted((q.id for q in bank.questions.values() if q.category == c), key=rank) for c in CATEGORIES}
    picked: list[str] = []
    for i in range(count):
        pool = by_cat[CATEGORIES[i % len(CATEGORIES)]]
        picked.append(pool[i // len(CATEGORIES)])
    return tuple(sorted(picked, key=rank))


def score(bank: QuestionBank, question_ids: tuple[str, ...], answers: dict[str, int]) -> int:
    """Correct answers among the drawn questions; unknown or unanswered questions score nothing."""
    return sum(1 for qid in question_ids if qid in answers and bank.questions[qid].answer == answers[qid])


class AttemptStatus(StrEnum):
    IN_PROGRESS = "IN_PROGRESS"
    PASSED = "PASSED"
    FAILED = "FAILED"
    EXPIRED = "EXPIRED"


@dataclass(frozen=True, slots=True)
class TestAttempt:
    """One sitting of the test, carried in workflow state and projected to the read model."""

    number: int
    bank_version: str
    question_ids: tuple[str, ...]
    started_at: dt.datetime
    deadline: dt.datetime
    status: AttemptStatus = AttemptStatus.IN_PROGRESS
    correct: int | None = None
    finished_at: dt.datetime | None = None
