"""``python -m partnerkit check --base-url URL --client-code LP --sign-key KEY [...]``: the conformance kit.

Credentials come from the flags or from ``--sandbox-json`` (what ``python -m devstack sandbox`` prints). Prints
PASS/FAIL per endpoint call and exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from partnerkit.check import Report, check_dp, check_lp, check_tpm
from partnerkit.client import Signer, Transport, urllib_transport


async def run_check(args: argparse.Namespace, transport: Transport, sandbox: dict | None = None) -> Report:
    sandbox = sandbox or {}
    lp, dp = sandbox.get("lp", {}), sandbox.get("dp", {})
    report = Report()
    dp_code, dp_key = args.dp_client_code or dp.get("client_code"), args.dp_sign_key or dp.get("sign_key")
    course, schedule = args.course_code or dp.get("course_code"), args.schedule_code or dp.get("schedule_code")
    if dp_code and dp_key and course and schedule:
        await check_dp(report, Signer(dp_code, dp_key, transport), course, schedule)
    lp_code, lp_key = args.client_code or lp.get("client_code"), args.sign_key or lp.get("sign_key")
    codes = dict(lp.get("test_codes", {}))
    codes.update(dict(pair.split("=", 1) for pair in args.test_code))
    if lp_code and lp_key:
        if not codes:
            report.add(False, "redeem-code endpoints", "no PRAT- test codes (--test-code TC1-001-200=PRAT-…)")
        lp_signer = Signer(lp_code, lp_key, transport)  # one signer: its timestamps never repeat a signature
        await check_lp(report, lp_signer, codes, transport)
        if codes:
            await check_tpm(report, lp_signer, codes[min(codes)])
    if not report.lines:
        report.add(False, "credentials", "give LP and/or DP credentials")
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="partnerkit")
    sub = p.add_subparsers(dest="cmd", required=True)
    check = sub.add_parser("check", help="call every endpoint and validate every answer against the contract")
    check.add_argument("--base-url", required=True)
    check.add_argument("--client-code", help="training provider (LP) client code")
    check.add_argument("--sign-key", help="the LP's sign key")
    check.add_argument("--test-code", action="append", default=[], help="TC1-001-200=PRAT-XXXX (repeatable)")
    check.add_argument("--dp-client-code")
    check.add_argument("--dp-sign-key")
    check.add_argument("--course-code")
    check.add_argument("--schedule-code")
    check.add_argument("--sandbox-json", help="the JSON printed by `python -m devstack sandbox`")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    sandbox = json.loads(Path(args.sandbox_json).read_text()) if args.sandbox_json else {}
    report = asyncio.run(run_check(args, urllib_transport(args.base_url), sandbox))
    print(report.text())
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
