"""Observability for the composition roots: OpenTelemetry tracing (GraphQL → Temporal → activities → SQL) with
PII scrubbed before export, SQL spans without bound parameters, JSON logs carrying trace IDs, and the
Temporal runtime's Prometheus endpoint (SDK metrics plus our domain counters).

``OTEL_TRACES``: ``none`` (default), ``console``, or ``file:<path>`` (JSON lines; what the PII test reads).
``METRICS_BIND``: ``host:port`` for the worker's Prometheus endpoint (``/metrics``), empty for none.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

NIK_LIKE = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE_LIKE = re.compile(r"(?<!\d)(?:\+62|62|0)8\d{7,11}(?!\d)")
PII_KEYS = ("nik", "kk", "phone", "email", "name", "full_name", "account_number", "otp")
REDACTED = "[redacted]"


def scrub(value: Any) -> Any:
    """A value with NIK- and phone-shaped numbers replaced; applied to every exported attribute and log line."""
    if isinstance(value, str):
        return PHONE_LIKE.sub(REDACTED, NIK_LIKE.sub(REDACTED, value))
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: REDACTED if _pii_key(k) else scrub(v) for k, v in value.items()}
    return value


def _pii_key(key: str) -> bool:
    last = key.rsplit(".", 1)[-1].lower()
    return last in PII_KEYS


class JsonLinesExporter(SpanExporter):
    """Spans as JSON lines, scrubbed: a file for tests and audits, or the console."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        for span in spans:
            ctx = span.get_span_context()
            record = {
                "name": span.name,
                "trace_id": f"{ctx.trace_id:032x}" if ctx else None,
                "span_id": f"{ctx.span_id:016x}" if ctx else None,
                "parent_id": f"{span.parent.span_id:016x}" if span.parent else None,
                "start": span.start_time,
                "end": span.end_time,
                "attributes": scrub(dict(span.attributes or {})),
                "status": span.status.status_code.name,
                "service": (span.resource.attributes or {}).get("service.name"),
            }
            self._out.write(json.dumps(record, default=str) + "\n")
        self._out.flush()
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        if self._out not in (sys.stdout, sys.stderr):
            self._out.close()


def setup_tracing(service: str, target: str) -> TracerProvider | None:
    """Install the global tracer provider for this process; ``None`` when tracing is off."""
    if not target or target == "none":
        return None
    if target == "console":
        out: TextIO = sys.stdout
    elif target.startswith("file:"):
        path = Path(target.removeprefix("file:"))
        path.parent.mkdir(parents=True, exist_ok=True)
        out = path.open("a", encoding="utf-8")
    else:
        raise RuntimeError(f"OTEL_TRACES={target!r}: use none, console or file:<path>")
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(JsonLinesExporter(out), schedule_delay_millis=500))
    trace.set_tracer_provider(provider)
    return provider


def instrument_engine(engine: AsyncEngine) -> None:
    """A span per SQL statement: the parameterised text only, never the bound values (PII stays out)."""
    tracer = trace.get_tracer("prakerja.sql")
    sync = engine.sync_engine

    @event.listens_for(sync, "before_cursor_execute")
    def _start(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        verb = statement.lstrip().split(" ", 1)[0].upper()
        span = tracer.start_span(f"SQL {verb}", attributes={"db.system": "postgresql", "db.statement": statement[:500]})
        conn.info.setdefault("otel_spans", []).append(span)

    @event.listens_for(sync, "after_cursor_execute")
    def _end(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        spans = conn.info.get("otel_spans")
        if spans:
            spans.pop().end()

    @event.listens_for(sync, "handle_error")
    def _error(ctx: Any) -> None:
        spans = ctx.connection.info.get("otel_spans") if ctx.connection is not None else None
        if spans:
            span = spans.pop()
            span.set_status(trace.Status(trace.StatusCode.ERROR, type(ctx.original_exception).__name__))
            span.end()


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line with the current trace and span IDs; NIK- and phone-shaped numbers scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        ctx = trace.get_current_span().get_span_context()
        body: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        if ctx.is_valid:
            body["trace_id"] = f"{ctx.trace_id:032x}"
            body["span_id"] = f"{ctx.span_id:016x}"
        if record.exc_info:
            body["error"] = scrub(self.formatException(record.exc_info))
        return json.dumps(body)


def setup_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLogFormatter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
