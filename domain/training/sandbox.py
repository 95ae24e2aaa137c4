"""The partner sandbox: ``PRAT-`` test codes that behave like the official sandbox's positive test cases
(partner-api.md §5.3), kept apart from every real voucher and case.

Each test case names a training type and a sequence: ``TC1`` self-paced, ``TC2`` webinar; ``001`` the redeem
(sequence 1), ``999`` the post-test; ``200`` the expected HTTP status. A code is redeemed by commit or by the
attendance link, and ``reset`` puts it back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from domain.training.tasks import SkillsTask

PREFIX = "PRAT-"
TEST_CASES = {
    "TC1-001-200": ("SELF_PACED", 1),
    "TC1-999-200": ("SELF_PACED", 999),
    "TC2-001-200": ("WEBINAR", 1),
    "TC2-999-200": ("WEBINAR", 999),
}


def is_sandbox_code(redeem_code: str) -> bool:
    return redeem_code.strip().upper().startswith(PREFIX)


@dataclass(frozen=True, slots=True)
class SandboxCode:
    redeem_code: str
    provider_code: str
    test_case: str
    mode: str
    sequence: int
    redeemed_at: dt.datetime | None
    created_at: dt.datetime


class SandboxCodes(Protocol):
    async def issue_sandbox_codes(self, provider_code: str, at: dt.datetime) -> list[SandboxCode]:
        """One code per test case for the provider (the same codes again on a second call)."""
        ...

    async def sandbox_code(self, redeem_code: str) -> SandboxCode | None: ...

    async def redeem_sandbox_code(self, redeem_code: str, at: dt.datetime) -> bool:
        """Mark the code redeemed; ``False`` if it already was."""
        ...

    async def reset_sandbox_code(self, redeem_code: str) -> None:
        """Back to unused, with no skills-task submissions."""
        ...

    async def sandbox_task(self, redeem_code: str, sequence: int) -> SkillsTask | None:
        """A test code's TPM/UK task (any scope and sequence can be practised on any code)."""
        ...

    async def save_sandbox_task(self, redeem_code: str, task: SkillsTask) -> None: ...
