"""The partner REST API's rate limit through the load balancer: a burst of signed requests from one partner,
spread by haproxy over both API servers, gets exactly one bucket's worth through (the buckets are shared in
PostgreSQL); per-process buckets would let each replica take a full burst."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx2

from tests.integration.training_steps import register
from tests.rest.partner_calls import REDEEM_STATUS, post

CLIENT = "LPK-DRILL-LIMIT"
RATE, BURST = 0.05, 10
"""``PARTNER_RATE_LIMIT`` of the drill: 10 at once, then one every 20 s (the lifecycle sends no REST call)."""


@dataclass(frozen=True)
class SharedLimit:
    sent: int
    accepted: int
    limited: int
    replicas: Counter[str]
    """Answers per API server (haproxy's ``X-Served-By``)."""

    def problems(self) -> list[str]:
        problems = []
        if self.accepted != BURST or self.accepted + self.limited != self.sent:
            problems.append(f"partner rate limit: {self.accepted} accepted, {self.limited} refused of {self.sent}")
        if len(self.replicas) < 2:
            problems.append(f"partner rate limit: answered by {dict(self.replicas)} only (expected both servers)")
        return problems


async def shared_limit(shim: Any, base_url: str) -> SharedLimit:
    key = await register(shim, CLIENT, "TRAINING_PROVIDER")
    sent = 3 * BURST
    limits = httpx2.Limits(max_keepalive_connections=0)  # a new connection each: haproxy balances each request
    async with httpx2.AsyncClient(base_url=base_url, timeout=30, limits=limits) as http:
        answers = await asyncio.gather(
            *(
                post(http, key, CLIENT, REDEEM_STATUS, {"redeem_code": f"RDM{i:06d}", "sequence": 1})
                for i in range(sent)
            )
        )
    limited = sum(a.status_code == 429 for a in answers)
    accepted = sum(a.status_code < 500 and a.status_code != 429 for a in answers)  # a refusal of the code took a token
    return SharedLimit(sent, accepted, limited, Counter(a.headers.get("x-served-by", "?") for a in answers))
