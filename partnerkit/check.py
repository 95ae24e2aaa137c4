"""``check``: every endpoint in the documented order, every answer validated strictly against the contract.

LP (a training provider's credentials and the sandbox's PRAT- test codes): for each test case reset → status →
url-generate → the sandbox confirms the link → status shows ``attendance_status`` 1 → reset → commit (older flow)
→ reset. TPM/UK on the first test code, in the documented order (partner-api.md §6.4): submission → status →
feedback → status, then a scope that does not fit its sequence (ERRTPM40001), and reset clears the practice.
DP (a digital platform's credentials, the sandbox course and schedule): quota-schedule, then send-otp, authorize,
status and void, each with inputs the sandbox refuses, to check the documented error envelopes and
codes (a sandbox has no card holder to receive an OTP).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from partnerkit.client import Signer, Transport
from partnerkit.contract import parse, parse_error

BASE = "/api/v1/integration"
SANDBOX_CONFIRM = "/api/v1/sandbox/attendance/confirm"


@dataclass
class Report:
    lines: list[tuple[bool, str, str]] = field(default_factory=list)

    def add(self, ok: bool, name: str, detail: str = "") -> None:
        self.lines.append((ok, name, detail))

    @property
    def passed(self) -> bool:
        return bool(self.lines) and all(ok for ok, _, _ in self.lines)

    def text(self) -> str:
        rows = [
            f"{'PASS' if ok else 'FAIL'}  {name}{'  ' + detail if detail else ''}" for ok, name, detail in self.lines
        ]
        total = sum(ok for ok, _, _ in self.lines)
        return "\n".join([*rows, f"{total}/{len(self.lines)} passed"])


async def step(report: Report, name: str, run: Callable[[], Awaitable[Any]]) -> Any:
    try:
        value = await run()
    except Exception as exc:  # a failed expectation or a malformed answer: reported, the run goes on
        report.add(False, name, f"{type(exc).__name__}: {exc}"[:300])
        return None
    report.add(True, name)
    return value


def expect_ok(path: str, status: int, body: Any) -> Any:
    assert status == 200, f"HTTP {status}: {body}"
    return parse(path, body)


def expect_error(status: int, body: Any, code: str, http: int = 400) -> None:
    error = parse_error(body)
    assert (status, error.code) == (http, code), f"HTTP {status} {error.code}, expected HTTP {http} {code}"


async def check_lp(report: Report, lp: Signer, codes: dict[str, str], send: Transport) -> None:
    status_path, commit_path = f"{BASE}/payment/redeem-code/status", f"{BASE}/payment/redeem-code/commit"
    reset_path, url_path = f"{BASE}/payment/redeem-code/reset", f"{BASE}/oauth/url-generate"
    for case, code in sorted(codes.items()):
        seq = 999 if "-999-" in case else 1

        async def status(expect_attendance: int, *, spaced: bool = False, seq: int = seq, code: str = code) -> None:
            data = expect_ok(
                status_path, *await lp.post(status_path, {"redeem_code": code, "sequence": seq}, spaced=spaced)
            )
            assert data.attendance_status == expect_attendance and data.sequence == seq, data

        async def reset(code: str = code) -> None:
            data = expect_ok(reset_path, *await lp.post(reset_path, {"redeem_code": code}))
            assert data.status == 0, data

        async def url_generate(code: str = code, seq: int = seq) -> Any:
            body = {"redeem_code": code, "redirect_uri": "https://lpk.example/callback", "email": "kit@lpk.example"}
            return expect_ok(url_path, *await lp.post(url_path, {**body, "sequence": seq}))

        async def participant_confirms(link: Any) -> None:
            fragment = urlsplit(link.url).fragment
            answer = await send(
                SANDBOX_CONFIRM, f'{{"link":"{fragment}"}}'.encode(), {"Content-Type": "application/json"}
            )
            assert answer[0] == 200, answer

        async def commit(code: str = code, seq: int = seq) -> None:
            data = expect_ok(
                commit_path, *await lp.post(commit_path, {"redeem_code": code, "sequence": seq}, capitalised=True)
            )
            assert (data.status, data.attendance_status) == (1, 1), data

        await step(report, f"redeem-code/reset       {case}", reset)
        await step(
            report,
            f"redeem-code/status      {case} (not attended, Python-sample spacing)",
            lambda: status(0, spaced=True),
        )
        link = await step(report, f"oauth/url-generate      {case}", url_generate)
        if link is not None:
            await step(report, f"participant confirms    {case}", lambda link=link: participant_confirms(link))
            await step(report, f"redeem-code/status      {case} (attendance_status 1)", lambda: status(1))
        await step(report, f"redeem-code/reset       {case} (again)", reset)
        await step(report, f"redeem-code/commit      {case} (older flow, Go-sample headers)", commit)
        await step(report, f"redeem-code/reset       {case} (leave it clean)", reset)


async def check_dp(report: Report, dp: Signer, course: str, schedule: str) -> None:
    pay = f"{BASE}/payment"

    async def quota() -> None:
        data = expect_ok(
            f"{pay}/quota-schedule",
            *await dp.post(f"{pay}/quota-schedule", {"course_code": course, "schedule_code": schedule}),
        )
        assert data.quota >= 0

    async def quota_empty() -> None:
        expect_error(
            *await dp.post(f"{pay}/quota-schedule", {"course_code": course, "schedule_code": ""}), "ERRPLT40036"
        )

    async def send_otp() -> None:
        order = {
            "prakerja_id": "0000000000000000",
            "user_platform_id": "kit",
            "course_code": course,
            "schedule_code": schedule,
            "amount": 1,
        }
        status, body = await dp.post(f"{pay}/send-otp", order)
        expect_error(status, body, parse_error(body).code)  # a documented envelope; the code depends on the check
        assert parse_error(body).code in {"ERRPLT40009", "ERRPLT40010"}, body

    async def authorize() -> None:
        body = {"otp": "123456", "invoice_url": "https://dp.example/inv/KIT-1", "invoice_code": "KIT-1"}
        expect_error(*await dp.post(f"{pay}/authorize", body, authorization="Payment not-a-token"), "ERRPLT40105", 401)

    async def status() -> None:
        expect_error(*await dp.post(f"{pay}/status", {"invoice_code": "KIT-NO-SUCH-INVOICE"}), "ERRPLT40017")

    async def void() -> None:
        body = {"invoice_code": "KIT-NO-SUCH-INVOICE", "transaction_code": "NONE"}
        expect_error(*await dp.post(f"{pay}/void", body), "ERRVOD40001")

    await step(report, "payment/quota-schedule", quota)
    await step(report, "payment/quota-schedule  (empty schedule_code: ERRPLT40036)", quota_empty)
    await step(report, "payment/send-otp        (unknown card: documented envelope)", send_otp)
    await step(report, "payment/authorize       (no payment_token: ERRPLT40105)", authorize)
    await step(report, "payment/status          (unknown invoice: ERRPLT40017)", status)
    await step(report, "payment/void            (unknown transaction: ERRVOD40001)", void)


async def check_tpm(report: Report, lp: Signer, code: str) -> None:
    sub, status_path, feedback = (
        f"{BASE}/tpm/submission",
        f"{BASE}/tpm/submission/status",
        f"{BASE}/tpm/feedback/submission",
    )
    reset_path = f"{BASE}/payment/redeem-code/reset"
    task = {"redeem_code": code, "scope": "tpm", "sequence": 1}

    async def reset() -> None:
        expect_ok(reset_path, *await lp.post(reset_path, {"redeem_code": code}))

    async def submit() -> None:
        data = expect_ok(sub, *await lp.post(sub, {**task, "url_file": "https://lpk.example/tpm-1.md"}))
        assert (data.status, data.sequence, data.scope, data.id) == (2, 1, "tpm", 1), data

    async def status(assignment: int, graded: int, *, spaced: bool = False) -> None:
        data = expect_ok(status_path, *await lp.post(status_path, task, spaced=spaced))
        assert (data.assignment.status, data.feedback.status) == (assignment, graded), data

    async def grade() -> None:
        data = expect_ok(feedback, *await lp.post(feedback, {**task, "notes": "Lulus.", "url_file": ""}))
        assert (data.status, data.notes) == (1, "Lulus."), data

    async def wrong_scope() -> None:
        expect_error(*await lp.post(status_path, {**task, "scope": "uk"}), "ERRTPM40001")

    await step(report, "redeem-code/reset       (before TPM/UK practice)", reset)
    await step(report, "tpm/submission          (tpm 1)", submit)
    await step(
        report,
        "tpm/submission/status   (submitted, not graded; Python-sample spacing)",
        lambda: status(2, 0, spaced=True),
    )
    await step(report, "tpm/feedback/submission (tpm 1 passed)", grade)
    await step(report, "tpm/submission/status   (feedback status 1)", lambda: status(2, 1))
    await step(report, "tpm/submission/status   (uk with sequence 1: ERRTPM40001)", wrong_scope)
    await step(report, "redeem-code/reset       (clears the practice)", reset)
