"""What must hold after a drill, whatever was killed: no case lost, no stage skipped, no tranche paid twice,
every card's ledger balanced."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.integration.queries import MY_CASE
from tests.integration.training_steps import ledger_problems
from tests.workflows.payout_steps import payment_problems

DECISIONS = ["APPLICATION_RECORDED", "ELIGIBILITY", "WAVE_SELECTION", "INCENTIVES_SCHEDULED"]
"""The decisions of a full lifecycle, in this order and each once; a skipped or repeated stage breaks it."""
END_STAGES = ("JOB_SEARCH", "CLOSED")
"""Paid in full: job search, or closed once its period (20 s in LOADTEST_2023) ran out before the check, e.g.
while the drill still waited for PostgreSQL to come back."""
PACKAGE = 700_000  # LOADTEST_2023 = the 2023+ package: Rp600,000 + 2 surveys × Rp50,000


async def case_problems(shim: Any, engine: Any, case_ids: list[str], tokens: list[str]) -> list[str]:
    problems: list[str] = []
    for token in tokens:
        case = (await shim.gql("participant", MY_CASE, token=token))["myCase"]
        if case.get("__typename") != "Case":
            problems.append(f"a participant's case is lost: {case}")
            continue
        kinds = [d["kind"] for d in case["decisions"]]
        if kinds != DECISIONS:
            problems.append(f"{case['id'][:8]}: decisions {kinds}, expected {DECISIONS}")
        if case["stage"] not in END_STAGES:
            problems.append(f"{case['id'][:8]}: ended in stage {case['stage']}, expected one of {END_STAGES}")
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT c.case_id, c.account_id, coalesce(sum(p.amount) FILTER (WHERE p.status = 'PAID'), 0) "
                    "FROM cases c LEFT JOIN payments p ON p.case_id = c.case_id GROUP BY c.case_id, c.account_id"
                )
            )
        ).all()
    accounts = [r[1] for r in rows]
    if len(rows) != len(tokens) or len(set(accounts)) != len(accounts):
        problems.append(f"{len(rows)} case rows for {len(tokens)} participants ({len(set(accounts))} accounts)")
    problems += [f"{r[0][:8]}: paid Rp{r[2]:,}, expected Rp{PACKAGE:,}" for r in rows if r[2] != PACKAGE]
    problems += await payment_problems(engine, case_ids)
    problems += await ledger_problems(shim)
    return problems
