"""The integration steps' ``stack`` over real HTTP: what the lifecycle benchmark drives a server with."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections import Counter, defaultdict
from typing import Any

import httpx2

from adapters.registries.population import Population
from bench.http_client import ConnectionLost, KeepAliveClient
from caseapi.shared.auth import Role, mint_token


class Shim:
    """What the integration-test steps need from their ``stack``, over real HTTP to the bench's server."""

    def __init__(
        self,
        env: dict[str, str],
        http: httpx2.AsyncClient,
        engine: Any,
        population: Population,
        patience: float = 120,
        connections: int = 80,
    ) -> None:
        self.env, self.http, self.engine, self.population = env, http, engine, population
        # GraphQL posts go through a lean client (bench.http_client); ``http`` serves the rest (metrics, the URL).
        self.poster = KeepAliveClient(str(http.base_url), connections=connections)
        self.patience = patience
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.retries: dict[str, int] = defaultdict(int)
        self.live: Counter[str] = Counter()

    def token(self, role: Role, subject: str | None = None, **extra: Any) -> str:
        endpoint = "staff" if role in (Role.STAFF, Role.SUPERVISOR) else role.value
        if role in (Role.STAFF, Role.SUPERVISOR):
            extra.setdefault("provinces", ["*"])
        return mint_token(
            secret=self.env["JWT_SECRET"],
            issuer=self.env.get("JWT_ISSUER", "prakerja-cases"),
            endpoint=endpoint,
            subject=subject or f"acct-{uuid.uuid4().hex[:12]}",
            role=role,
            **extra,
        )

    async def gql(self, endpoint: str, query: str, variables: dict[str, Any] | None = None, *, token: str) -> Any:
        """Like a real client: a ``TemporarilyUnavailable`` answer is retried with the same request (the same
        idempotency keys) with backoff for up to ``patience`` seconds; the retries are counted."""
        deadline = time.monotonic() + self.patience
        for attempt in itertools.count():
            data = await self._once(endpoint, query, variables, token)
            result = next(iter(data.values()))
            if not (isinstance(result, dict) and result.get("__typename") == "TemporarilyUnavailable"):
                return data
            self.retries[next(iter(data))] += 1
            if time.monotonic() > deadline:
                return data
            await asyncio.sleep(min(0.5 * 2**attempt, 4.0))
        raise AssertionError("unreachable")

    async def _once(self, endpoint: str, query: str, variables: dict[str, Any] | None, token: str) -> Any:
        t0 = time.perf_counter()
        for attempt in range(3):
            try:
                status, raw = await self.poster.post_json(
                    f"/graphql/{endpoint}",
                    json.dumps({"query": query, "variables": variables or {}}).encode(),
                    {"authorization": f"Bearer {token}"},
                )
                break
            except ConnectionLost:  # a kept-alive connection the server closed meanwhile: send again
                self.retries["connection closed"] += 1  # (the same request, the same idempotency keys)
                if attempt == 2:
                    raise
        body = json.loads(raw)
        codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or ()}
        if status == 200 and codes == {"TEMPORARILY_UNAVAILABLE"}:  # a field without a typed error
            return {next(iter(body["data"] or {"unavailable": None})): {"__typename": "TemporarilyUnavailable"}}
        if status != 200 or "errors" in body:
            raise RuntimeError(f"{endpoint}: {status} {body}")
        name = next(iter(body["data"]))
        self.latencies[name].append(time.perf_counter() - t0)
        return body["data"]
