"""Observability for the composition roots: OpenTelemetry traces and metrics (GraphQL → Temporal → activities →
SQL) exported over OTLP as the standard ``OTEL_*`` variables say, or to a JSON-lines file in the dev stack, all
through the PII scrub; JSON log lines (app and uvicorn) with trace IDs through the same scrub. docs/deploy.md
("Telemetry") lists the variables and the metrics."""

from adapters.telemetry.files import JsonLinesExporter
from adapters.telemetry.logs import JsonLogFormatter, logging_config, setup_logging
from adapters.telemetry.scrub import REDACTED, ScrubbingMetricExporter, ScrubbingSpanExporter, scrub
from adapters.telemetry.setup import OFF, Telemetry, setup_telemetry
from adapters.telemetry.sql import instrument_engine

__all__ = [
    "OFF",
    "REDACTED",
    "JsonLinesExporter",
    "JsonLogFormatter",
    "ScrubbingMetricExporter",
    "ScrubbingSpanExporter",
    "Telemetry",
    "instrument_engine",
    "logging_config",
    "scrub",
    "setup_logging",
    "setup_telemetry",
]
