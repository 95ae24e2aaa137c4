"""The LP endpoints' answers for sandbox ``PRAT-`` test codes (``domain.sandbox``): no workflow, no ledger, no real
voucher is touched. A code answers for its test case's sequence; it is redeemed by commit or by confirming its
attendance link, and ``reset`` puts it back (partner-api.md §5.3)."""

from __future__ import annotations

import datetime as dt

from caseapi.rest.ports import RedeemDetail, RedeemError
from domain.errors import ErrorCode
from domain.training.messages import RedeemResult
from domain.training.sandbox import SandboxCode, SandboxCodes
from domain.training.trainings import TrainingMode

SANDBOX_PLATFORM = "Sandbox"


def _refusal(code: ErrorCode, message: str) -> RedeemError:
    return RedeemError(code.value, message)


def detail(row: SandboxCode) -> RedeemDetail:
    case = row.test_case.split("-")[0]
    redeemed = row.redeemed_at is not None
    result = RedeemResult(
        redeem_code=row.redeem_code,
        voucher_code="",
        invoice_code=f"SANDBOX-{row.redeem_code}",
        course_code=f"SANDBOX-{case}",
        schedule_code=f"SANDBOX-{case}-SCH",
        status="REDEEMED" if redeemed else "UNUSED",
        attendance_status="ATTENDED" if redeemed else "",
        redeem_at=row.redeemed_at,
        dp_platform=SANDBOX_PLATFORM,
        sequence=row.sequence,
    )
    mode = TrainingMode(row.mode)
    period = None
    if mode is TrainingMode.WEBINAR:
        start = row.created_at.replace(microsecond=0)
        period = (start, start + dt.timedelta(hours=2))
    return RedeemDetail(result, mode, result.schedule_code, period)


async def own_code(store: SandboxCodes, client_code: str, redeem_code: str, sequence: int | None):
    row = await store.sandbox_code(redeem_code.strip())
    if row is None:
        return _refusal(ErrorCode.REDEEM_CODE_NOT_FOUND, "There is no such sandbox test code.")
    if row.provider_code != client_code:
        return _refusal(ErrorCode.CODE_OF_OTHER_PROVIDER, "This test code was issued to another training provider.")
    if sequence is not None and sequence != row.sequence:
        return _refusal(ErrorCode.INVALID_SEQUENCE, f"Test case {row.test_case} is for sequence {row.sequence}.")
    return row


async def status(store: SandboxCodes, client_code: str, redeem_code: str, sequence: int) -> RedeemDetail | RedeemError:
    row = await own_code(store, client_code, redeem_code, sequence)
    return row if isinstance(row, RedeemError) else detail(row)


async def redeem(
    store: SandboxCodes, client_code: str, redeem_code: str, sequence: int, at: dt.datetime
) -> RedeemDetail | RedeemError:
    row = await own_code(store, client_code, redeem_code, sequence)
    if isinstance(row, RedeemError):
        return row
    if not await store.redeem_sandbox_code(row.redeem_code, at):
        return _refusal(ErrorCode.CODE_ALREADY_USED, "This test code was already used; reset it to replay the case.")
    return await status(store, client_code, redeem_code, sequence)


async def reset(store: SandboxCodes, client_code: str, redeem_code: str) -> RedeemDetail | RedeemError:
    row = await own_code(store, client_code, redeem_code, None)
    if isinstance(row, RedeemError):
        return row
    await store.reset_sandbox_code(row.redeem_code)
    return await status(store, client_code, redeem_code, row.sequence)
