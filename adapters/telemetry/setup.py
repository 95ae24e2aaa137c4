"""The process's tracer and meter providers, configured by the standard ``OTEL_*`` variables.

- ``OTEL_TRACES_EXPORTER`` / ``OTEL_METRICS_EXPORTER``: ``otlp``, ``console`` or ``none`` (comma lists allowed).
  Unset: ``otlp`` when an OTLP endpoint is configured (``OTEL_EXPORTER_OTLP_ENDPOINT`` or the per-signal
  ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` / ``..._METRICS_ENDPOINT``), otherwise traces follow the dev stack's
  ``OTEL_TRACES`` (``none``, ``console``, ``file:<path>``) and metrics are off.
- ``OTEL_EXPORTER_OTLP_PROTOCOL`` (and ``..._TRACES_PROTOCOL`` / ``..._METRICS_PROTOCOL``): ``http/protobuf``,
  the protocol the installed exporter speaks; ``grpc`` is refused at start with that said.
- Read by the OTLP exporters themselves: ``OTEL_EXPORTER_OTLP_HEADERS``, ``..._TIMEOUT``, ``..._COMPRESSION``,
  ``..._CERTIFICATE``, ``..._CLIENT_CERTIFICATE``, ``..._CLIENT_KEY`` and their per-signal forms. By the SDK:
  ``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``, ``OTEL_BSP_*``, ``OTEL_METRIC_EXPORT_INTERVAL``.
- ``OTEL_SDK_DISABLED=true``: nothing is set up.

Every span and metric point goes through the PII scrub (:mod:`adapters.telemetry.scrub`) before any exporter.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import ConsoleMetricExporter, MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.metrics.view import View
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.util.re import parse_env_headers

from adapters.telemetry.files import JsonLinesExporter
from adapters.telemetry.scrub import ScrubbingMetricExporter, ScrubbingSpanExporter

HTTP_PROTOBUF = "http/protobuf"
HTTP_METRIC_LABELS = frozenset(
    {
        "http.method",
        "http.scheme",
        "http.status_code",
        "http.flavor",
        "http.route",
        "http.request.method",
        "http.response.status_code",
        "url.scheme",
        "network.protocol.version",
    }
)
"""The labels the ASGI instrumentation's ``http.server.*`` metrics keep: not ``http.target`` (any path a scanner
sends, IDs in it) nor ``http.host`` / ``http.server_name`` (the client's Host header), which are unbounded."""


@dataclass(frozen=True, slots=True)
class Telemetry:
    """What a composition root passes to the instrumented parts: ``None`` providers mean that signal is off."""

    tracer_provider: TracerProvider | None
    meter_provider: MeterProvider | None
    otlp_metrics_endpoint: str = ""
    """Where OTLP/HTTP metrics go (``…/v1/metrics``), for the Temporal runtime's own exporter; empty: none."""

    @property
    def tracing(self) -> bool:
        return self.tracer_provider is not None

    def shutdown(self) -> None:
        """Flush the last spans and metric points."""
        if self.tracer_provider is not None:
            self.tracer_provider.shutdown()
        if self.meter_provider is not None:
            self.meter_provider.shutdown()


OFF = Telemetry(None, None)


def setup_telemetry(
    service: str, legacy_traces: str = "none", *, env: Mapping[str, str] | None = None, set_global: bool = True
) -> Telemetry:
    """The providers for this process (also installed as the global ones with ``set_global``). ``service`` is the
    ``service.name`` unless ``OTEL_SERVICE_NAME`` names another; ``legacy_traces`` is ``OTEL_TRACES``."""
    e = os.environ if env is None else env
    if e.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return OFF
    resource = Resource.create({} if e.get("OTEL_SERVICE_NAME") else {"service.name": service})
    tracer_provider = _tracer_provider(resource, e, legacy_traces)
    meter_provider, endpoint = _meter_provider(resource, e)
    if set_global and tracer_provider is not None:
        trace.set_tracer_provider(tracer_provider)
    if set_global and meter_provider is not None:
        metrics.set_meter_provider(meter_provider)
    return Telemetry(tracer_provider, meter_provider, endpoint)


def _exporters(e: Mapping[str, str], signal: str) -> list[str]:
    """The exporter names for ``signal`` (``traces``/``metrics``): the variable, or ``otlp`` if an endpoint is set."""
    names = e.get(f"OTEL_{signal.upper()}_EXPORTER")
    if names is None:
        return ["otlp"] if _endpoint_set(e, signal) else []
    return [n.strip().lower() for n in names.split(",") if n.strip() and n.strip().lower() != "none"]


def _endpoint_set(e: Mapping[str, str], signal: str) -> bool:
    return bool(e.get("OTEL_EXPORTER_OTLP_ENDPOINT") or e.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_ENDPOINT"))


def _check_protocol(e: Mapping[str, str], signal: str) -> None:
    protocol = e.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_PROTOCOL") or e.get("OTEL_EXPORTER_OTLP_PROTOCOL")
    if protocol and protocol.strip().lower() != HTTP_PROTOBUF:
        raise RuntimeError(
            f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol!r}: this build exports OTLP over {HTTP_PROTOBUF} only "
            "(port 4318 on a collector); point the endpoint at the collector's HTTP receiver"
        )


def _otlp_options(e: Mapping[str, str], signal: str) -> dict[str, Any]:
    """The endpoint and headers from ``e`` (the exporters read the other ``OTEL_EXPORTER_OTLP_*`` themselves)."""
    options: dict[str, Any] = {}
    endpoint = e.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_ENDPOINT")
    base = e.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if endpoint or base:
        options["endpoint"] = endpoint or f"{base.rstrip('/')}/v1/{signal}"  # type: ignore[union-attr]
    headers = e.get(f"OTEL_EXPORTER_OTLP_{signal.upper()}_HEADERS") or e.get("OTEL_EXPORTER_OTLP_HEADERS")
    if headers:
        options["headers"] = parse_env_headers(headers, liberal=True)
    return options


def _tracer_provider(resource: Resource, e: Mapping[str, str], legacy: str) -> TracerProvider | None:
    exporters: list[SpanExporter] = []
    for name in _exporters(e, "traces"):
        if name == "otlp":
            _check_protocol(e, "traces")
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            exporters.append(OTLPSpanExporter(**_otlp_options(e, "traces")))
        elif name == "console":
            exporters.append(ConsoleSpanExporter())
        else:
            raise RuntimeError(f"OTEL_TRACES_EXPORTER={name!r}: use otlp, console or none")
    if "OTEL_TRACES_EXPORTER" not in e and not exporters:
        legacy_exporter = _legacy_exporter(legacy)
        exporters = [legacy_exporter] if legacy_exporter else []
    if not exporters:
        return None
    provider = TracerProvider(resource=resource)
    for exporter in exporters:
        provider.add_span_processor(BatchSpanProcessor(ScrubbingSpanExporter(exporter), schedule_delay_millis=500))
    return provider


def _legacy_exporter(target: str) -> SpanExporter | None:
    """``OTEL_TRACES`` of the dev stack: JSON lines on the console or in a file."""
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
    return JsonLinesExporter(out)


def _meter_provider(resource: Resource, e: Mapping[str, str]) -> tuple[MeterProvider | None, str]:
    readers: list[MetricReader] = []
    endpoint = ""
    for name in _exporters(e, "metrics"):
        if name == "otlp":
            _check_protocol(e, "metrics")
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter

            exporter = OTLPMetricExporter(**_otlp_options(e, "metrics"))
            endpoint = exporter._endpoint
            readers.append(PeriodicExportingMetricReader(ScrubbingMetricExporter(exporter)))
        elif name == "console":
            readers.append(PeriodicExportingMetricReader(ScrubbingMetricExporter(ConsoleMetricExporter())))
        else:
            raise RuntimeError(f"OTEL_METRICS_EXPORTER={name!r}: use otlp, console or none")
    if not readers:
        return None, ""
    views = [View(instrument_name="http.server.*", attribute_keys=set(HTTP_METRIC_LABELS))]
    return MeterProvider(metric_readers=readers, resource=resource, views=views), endpoint
