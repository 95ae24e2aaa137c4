"""The dev stack's span exporter: JSON lines in a file (what ``make up`` writes to ``.data/traces.jsonl``) or on
the console, used when no OTLP endpoint is configured."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TextIO

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

from adapters.telemetry.scrub import scrub


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
