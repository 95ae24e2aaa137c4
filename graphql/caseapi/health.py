"""Liveness and readiness of the API server, for load balancers and Kubernetes probes.

``GET /livez`` (and its old name ``/healthz``): the process answers; never looks at dependencies, so a database
outage does not get every replica restarted. ``GET /readyz``: every readiness check passes (PostgreSQL reachable,
Temporal reachable, schema at the migrations' head — built by the composition root, server.py); otherwise 503
with each failing check named, so the replica is taken out of the load balancer until it recovers.

The checks are plain callables: this package never imports the adapters that implement them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

Check = Callable[[], Awaitable[None]]
"""Returns when the dependency is ready; raises (any exception, its message says why) when it is not."""

MAX_REASON = 200


async def _run(check: Check, within: float) -> str | None:
    """``None`` when the check passed, else a short reason (never a traceback, never a connection string)."""
    try:
        await asyncio.wait_for(check(), within)
    except TimeoutError:
        return f"no answer within {within:g} s"
    except Exception as exc:  # any failure is a not-ready answer, named
        reason = " ".join(str(exc).split())[:MAX_REASON]
        return f"{type(exc).__name__}: {reason}" if reason else type(exc).__name__
    return None


def health_routes(checks: Mapping[str, Check], *, timeout: float = 2.0) -> list[BaseRoute]:
    """``/livez``, ``/healthz`` (alias) and ``/readyz`` over ``checks`` (name -> check), run concurrently."""

    async def livez(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"}, headers={"cache-control": "no-store"})

    async def readyz(_: Request) -> JSONResponse:
        names = list(checks)
        reasons = await asyncio.gather(*(_run(checks[n], timeout) for n in names))
        failing = [n for n, r in zip(names, reasons, strict=True) if r is not None]
        body = {
            "status": "not ready" if failing else "ready",
            "checks": {n: r or "ok" for n, r in zip(names, reasons, strict=True)},
            "failing": failing,
        }
        return JSONResponse(body, status_code=503 if failing else 200, headers={"cache-control": "no-store"})

    return [Route("/livez", livez), Route("/healthz", livez), Route("/readyz", readyz)]
