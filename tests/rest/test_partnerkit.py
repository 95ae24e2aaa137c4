"""The conformance kit against the real stack's sandbox: every call passes; a broken answer fails the kit."""

from __future__ import annotations

import json

from devstack.sandbox import provision
from partnerkit.__main__ import parser, run_check
from tests.integration.training_steps import ledger_problems
from tests.rest.test_payment_flow import quota_problems


def asgi_transport(http):
    async def send(path, body, headers):
        response = await http.post(path, content=body, headers=headers)
        return response.status_code, response.json()

    return send


async def test_kit_passes_against_the_sandbox_and_sandbox_is_idempotent(stack, capsys):
    creds = await provision(stack.engine, "LPK-KIT", "DP-KIT")
    again = await provision(stack.engine, "LPK-KIT", "DP-KIT")
    assert again == creds and sorted(creds["lp"]["test_codes"]) == [
        "TC1-001-200",
        "TC1-999-200",
        "TC2-001-200",
        "TC2-999-200",
    ]
    assert all(code.startswith("PRAT-") for code in creds["lp"]["test_codes"].values())
    args = parser().parse_args(["check", "--base-url", "http://test"])
    report = await run_check(args, asgi_transport(stack.http), creds)
    assert report.passed, report.text()
    assert len(report.lines) == 6 + 4 * 8 + 7
    assert await ledger_problems(stack) == [] and await quota_problems(stack) == []


async def test_kit_fails_on_a_non_conforming_answer(stack):
    creds = await provision(stack.engine, "LPK-KIT2", "DP-KIT2")
    real = asgi_transport(stack.http)

    async def stringly(path, body, headers):  # a server that answers status as "UNUSED" (the old bug)
        status, answer = await real(path, body, headers)
        if path.endswith("redeem-code/status") and isinstance(answer, dict) and "data" in answer:
            answer = json.loads(
                json.dumps(answer).replace('"attendance_status": 0', '"attendance_status": "NOT_ATTENDED"')
            )
        return status, answer

    args = parser().parse_args(["check", "--base-url", "http://test"])
    report = await run_check(args, stringly, creds)
    assert not report.passed
    failed = [name for ok, name, _ in report.lines if not ok]
    assert failed and all("redeem-code/status" in name for name in failed), report.text()
