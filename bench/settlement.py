"""The lifecycle benchmark's payment partner, synchronous (settles within the transfer, the default) or
asynchronous (``--async-settlement``): the worker's fake partner accepts each transfer and settles it 0.2–1.5 s
later; the partner's back office, run here, reports each result through ``reportTransfer`` (a fifth of them twice,
out of order; a tenth never, left to the case's status check)."""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from adapters.payments.async_settlement import SettlementReporter
from adapters.payments.partner_books import PartnerTransfer
from domain.payouts.ports import TransferOutcome
from domain.payouts.tranches import Provider
from tests.integration.training_steps import partner_token, register

SETTLE_MS = "200,1500"
REPORT = """mutation R($input: TransferReportInput!) { reportTransfer(input: $input) { __typename
  ... on TransferReportReceipt { verdict } ... on Error { code message } } }"""


def worker_env(asynchronous: bool) -> dict[str, str]:
    return {"FAKE_PAYMENT_SETTLE_MS": SETTLE_MS} if asynchronous else {}


class Settlement:
    def __init__(self, asynchronous: bool) -> None:
        self.asynchronous = asynchronous
        self.verdicts: Counter[str] = Counter()
        self.reporter: SettlementReporter | None = None

    @contextlib.asynccontextmanager
    async def running(self, shim: Any, engine: Any, providers: tuple[Provider, ...]) -> AsyncIterator[None]:
        """The partner's back office while the block runs (nothing when synchronous)."""
        if not self.asynchronous:
            yield
            return
        tokens: dict[str, str] = {}
        for provider in providers:
            code = f"{provider.value}-{uuid.uuid4().hex[:6]}"
            await register(shim, code, "PAYMENT_PARTNER")
            tokens[provider.value] = partner_token(shim, code)

        async def report(t: PartnerTransfer) -> None:
            paid = t.outcome is TransferOutcome.PAID
            inp = {"key": t.key, "outcome": "SETTLED" if paid else "FAILED"}
            inp |= {"partnerReference": t.partner_ref} if paid else {"reasonCode": t.code or "TRANSFER_FAILED"}
            done = await shim.gql("partner", REPORT, {"input": inp}, token=tokens[t.provider.value])
            answer = done["reportTransfer"]
            self.verdicts[answer.get("verdict") or answer.get("code") or answer["__typename"]] += 1

        self.reporter = SettlementReporter(engine, report, interval=0.1, reorder=0.5, duplicate_rate=0.2,
                                           drop_rate=0.1, seed=7)  # fmt: skip
        async with self.reporter.running():
            yield

    def summary(self) -> str:
        if not self.asynchronous or self.reporter is None:
            return "settlement: synchronous (the partner settles within the transfer)"
        r = self.reporter
        verdicts = ", ".join(f"{k} {v}" for k, v in sorted(self.verdicts.items())) or "none"
        return (
            f"settlement: asynchronous ({SETTLE_MS} ms after acceptance); reports {verdicts}; "
            f"callbacks lost {r.dropped}, failed {r.failed_reports}"
        )
