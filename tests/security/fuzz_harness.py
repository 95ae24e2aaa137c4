"""Schemathesis over the three GraphQL schemas: generate documents per operation, send them to the in-process app.

The schemas come from the Strawberry schema objects (introspection is off on partner, and off everywhere in
production), printed as SDL for ``schemathesis.graphql.from_file``. Generation is derandomized (the same
documents on every run) and happens in a worker thread, so the session's event loop (worker, app) keeps running;
the documents are then sent one after another on that loop through the stack's ASGI client.

A *server error* is an HTTP 5xx, an answer that is not JSON, or a GraphQL error with the masked message and a
path: an exception that escaped a resolver's typed error union. Validation errors for invalid generated documents
are fine (they are masked too, but have no path).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.graphql import nodes

from caseapi.routes import build_schema

MASKED = "Unexpected error."


def _register_scalars() -> None:
    """Strawberry's ``Date`` and ``DateTime``: mostly ISO strings (any year, with and without a zone), some junk."""
    junk = st.sampled_from(["", "2024-02-30", "2024-13-01", "not-a-date", "9999-12-31T23:59:59+14:00", "0"])
    dates = st.dates().map(dt.date.isoformat)
    datetimes = st.datetimes(timezones=st.none() | st.just(dt.UTC)).map(dt.datetime.isoformat)
    schemathesis.graphql.scalar("Date", st.one_of(dates, junk).map(nodes.String))
    schemathesis.graphql.scalar("DateTime", st.one_of(datetimes, dates, junk).map(nodes.String))


_register_scalars()

_SMALL_ID = re.compile(r"resolveDiscrepancy\(\s*id: [1-9]\d{0,6}\b")
GUARDS: dict[str, Callable[[str], bool]] = {
    # Discrepancy ids are a serial: a small positive id is another test's discrepancy (shared database).
    "resolveDiscrepancy": lambda body: not _SMALL_ID.search(body),
}
"""Per operation: which generated documents may be sent to the shared session stack."""
PUBLIC = frozenset({"verifyWaveSelection"})
"""Operations anyone may call: without a token they answer like with one."""


@dataclass
class Finding:
    operation: str
    query: str
    problem: str
    causes: list[str]


@dataclass
class Report:
    endpoint: str
    operations: int = 0
    generated: int = 0
    sent: int = 0
    skipped: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)

    def summary(self) -> str:
        head = (
            f"{self.endpoint}: {self.operations} operations, {self.generated} documents generated, "
            f"{self.sent} sent, {self.skipped} held back, {self.seconds:.1f}s, {len(self.findings)} server errors"
        )
        lines, seen = [head], set()
        for f in self.findings:
            key = (f.operation, f.problem, tuple(c[:60] for c in f.causes))
            if key not in seen:
                seen.add(key)
                lines.append(f"--- {f.operation}: {f.problem}\n{f.query}\n{chr(10).join(f.causes) or '(no log)'}")
        return "\n".join(lines)


def load(endpoint: str) -> Any:
    return schemathesis.graphql.from_file(str(build_schema(endpoint, introspection=True)))


def _documents(operation: Any, mode: GenerationMode, count: int) -> list[str]:
    bodies: list[str] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode))
    def collect(case: Any) -> None:
        bodies.append(case.body)

    collect()
    return bodies


def generate(endpoint: str, modes: dict[GenerationMode, int]) -> dict[str, list[str]]:
    """Per operation label: the distinct documents generated (derandomized, no shrinking, no example database)."""
    out: dict[str, list[str]] = {}
    for result in load(endpoint).get_all_operations():
        operation = result.ok()
        bodies = [body for mode, count in modes.items() if count > 0 for body in _documents(operation, mode, count)]
        out[operation.label] = list(dict.fromkeys(bodies))
    return out


class _Causes(logging.Handler):
    """The exceptions behind masked errors, as logged by Strawberry."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        original = getattr(exc, "original_error", None) or exc
        self.records.append(f"{type(original).__name__}: {original}" if original else record.getMessage())


def problem_of(status: int, text: str, payload: Any, *, anonymous: bool) -> str | None:
    if status >= 500:
        return f"HTTP {status}: {text[:200]}"
    if not isinstance(payload, dict):
        return f"HTTP {status}, not a JSON object: {text[:200]}"
    for error in payload.get("errors") or []:
        # Masking hides validation errors too; those have no path (nothing was executed).
        if error.get("message") == MASKED and error.get("path"):
            return f"masked error at {error['path']}"
    if anonymous:
        for name, value in (payload.get("data") or {}).items():
            if isinstance(value, dict) and "code" in value and value["code"] != "UNAUTHENTICATED":
                return f"{name} answered {value} without a token"
    return None


async def fuzz(
    http: Any, endpoint: str, modes: dict[GenerationMode, int], token_for: Callable[[str, int], str | None]
) -> Report:
    """Generate for every operation of ``endpoint`` and send; ``token_for(operation, i)`` picks the caller."""
    report = Report(endpoint)
    started = time.monotonic()
    documents = await asyncio.to_thread(generate, endpoint, modes)
    report.operations = len(documents)
    causes = _Causes()
    logger = logging.getLogger("strawberry")
    logger.addHandler(causes)
    try:
        for label, bodies in documents.items():
            name = label.split(".", 1)[1]
            guard = GUARDS.get(name, lambda _: True)
            report.generated += len(bodies)
            for i, body in enumerate(bodies):
                if not guard(body):
                    report.skipped += 1
                    continue
                token = token_for(name, i)
                headers = {"authorization": f"Bearer {token}"} if token else {}
                causes.records.clear()
                resp = await http.post(f"/graphql/{endpoint}", json={"query": body}, headers=headers)
                report.sent += 1
                try:
                    payload = resp.json()
                except ValueError:
                    payload = None
                problem = problem_of(
                    resp.status_code, resp.text, payload, anonymous=token is None and name not in PUBLIC
                )
                if problem:
                    report.findings.append(Finding(label, body, problem, list(causes.records)))
    finally:
        logger.removeHandler(causes)
    report.seconds = time.monotonic() - started
    return report
