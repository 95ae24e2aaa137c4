"""Stable error codes shared by workflows, activities and the GraphQL API."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Codes clients can switch on; never renamed once released."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    INVALID_APPLICATION = "INVALID_APPLICATION"
    ALREADY_APPLIED = "ALREADY_APPLIED"
    ACCOUNT_HAS_CASE = "ACCOUNT_HAS_CASE"
    CASE_NOT_FOUND = "CASE_NOT_FOUND"
    INVALID_CURSOR = "INVALID_CURSOR"
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    TEMPORARILY_UNAVAILABLE = "TEMPORARILY_UNAVAILABLE"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    ABILITY_TEST_PASSED = "ABILITY_TEST_PASSED"
    NO_ATTEMPTS_LEFT = "NO_ATTEMPTS_LEFT"
    NO_TEST_IN_PROGRESS = "NO_TEST_IN_PROGRESS"
    ABILITY_TEST_EXPIRED = "ABILITY_TEST_EXPIRED"
    TEST_NOT_PASSED = "TEST_NOT_PASSED"
    ALREADY_IN_WAVE = "ALREADY_IN_WAVE"
    ALREADY_SELECTED = "ALREADY_SELECTED"
    WAVE_NOT_FOUND = "WAVE_NOT_FOUND"
    WAVE_NOT_OPEN = "WAVE_NOT_OPEN"
    WRONG_PROVINCE = "WRONG_PROVINCE"
    WAVE_EXISTS = "WAVE_EXISTS"
    INVALID_WAVE = "INVALID_WAVE"


class DomainError(Exception):
    """An expected business failure with a stable code."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class StoreUnavailable(Exception):
    """A port's backing store cannot be reached; callers answer 'temporarily unavailable'."""
