"""Wire contracts of the basic-ability test: drawing an attempt's questions, scoring its answers, the updates."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DrawTestInput:
    case_id: str
    attempt: int
    count: int


@dataclass(frozen=True, slots=True)
class DrawnTest:
    bank_version: str
    question_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnswerChoice:
    question_id: str
    choice: int


@dataclass(frozen=True, slots=True)
class ScoreTestInput:
    bank_version: str
    question_ids: tuple[str, ...]
    answers: tuple[AnswerChoice, ...]


@dataclass(frozen=True, slots=True)
class StartTestRequest:
    """Update payload of ``start_ability_test``."""

    account_id: str


@dataclass(frozen=True, slots=True)
class SubmitTestRequest:
    """Update payload of ``submit_ability_test``."""

    account_id: str
    attempt: int
    answers: tuple[AnswerChoice, ...]
