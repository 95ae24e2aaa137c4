"""The PII scrub every exported span, metric point and log line passes: NIK-, phone- and e-mail-shaped values and
attributes named for personal data are replaced; GraphQL documents lose their string literals (an inline ``apply``
carries a name, an address and a birth date that no pattern would recognise)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from opentelemetry.sdk.metrics.export import Metric, MetricExporter, MetricExportResult, MetricsData
from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import Link, Status

NIK_LIKE = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE_LIKE = re.compile(r"(?<!\d)(?:\+62|62|0)8\d{7,11}(?!\d)")
EMAIL_LIKE = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
PII_KEYS = ("nik", "kk", "phone", "email", "name", "full_name", "account_number", "otp")
DOCUMENT_KEYS = ("query", "graphql.document")
"""Attributes holding a GraphQL document (strawberry's operation span sets ``query``)."""
GRAPHQL_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"')
REDACTED = "[redacted]"


def scrub(value: Any) -> Any:
    """A value with NIK-, phone- and e-mail-shaped text replaced; applied to every exported attribute and log line."""
    if isinstance(value, str):
        return EMAIL_LIKE.sub(REDACTED, PHONE_LIKE.sub(REDACTED, NIK_LIKE.sub(REDACTED, value)))
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_item(k, v) for k, v in value.items()}
    return value


def _scrub_item(key: str, value: Any) -> Any:
    last = key.rsplit(".", 1)[-1].lower()
    if last in PII_KEYS:
        return REDACTED
    if key.lower() in DOCUMENT_KEYS and isinstance(value, str):
        return scrub(GRAPHQL_STRING.sub(f'"{REDACTED}"', value))
    return scrub(value)


def scrubbed_span(span: ReadableSpan) -> ReadableSpan:
    """A copy of ``span`` whose name, attributes, events, links and status text went through :func:`scrub`."""
    events = [Event(scrub(e.name), scrub(dict(e.attributes or {})), e.timestamp) for e in span.events]
    links = [Link(link.context, scrub(dict(link.attributes or {}))) for link in span.links]
    status = span.status
    if status.description:
        status = Status(status.status_code, scrub(status.description))
    return ReadableSpan(
        name=scrub(span.name),
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=scrub(dict(span.attributes or {})),
        events=events,
        links=links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class ScrubbingSpanExporter(SpanExporter):
    """Wraps any exporter (OTLP, console, file) so that nothing leaves the process unscrubbed."""

    def __init__(self, inner: SpanExporter) -> None:
        self.inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.inner.export([scrubbed_span(s) for s in spans])

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


def scrubbed_metrics(data: MetricsData) -> MetricsData:
    """``data`` with every point's attributes through :func:`scrub` (label values are bounded by construction;
    this is the belt to those braces)."""

    def metric(m: Metric) -> Metric:
        points = [replace(p, attributes=scrub(dict(p.attributes or {}))) for p in m.data.data_points]
        return replace(m, data=replace(m.data, data_points=points))

    return replace(
        data,
        resource_metrics=[
            replace(rm, scope_metrics=[replace(sm, metrics=[metric(m) for m in sm.metrics]) for sm in rm.scope_metrics])
            for rm in data.resource_metrics
        ],
    )


class ScrubbingMetricExporter(MetricExporter):
    """Wraps a metric exporter (OTLP, console) so that every exported point's attributes are scrubbed."""

    def __init__(self, inner: MetricExporter) -> None:
        super().__init__(
            preferred_temporality=inner._preferred_temporality, preferred_aggregation=inner._preferred_aggregation
        )
        self.inner = inner

    def export(self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any) -> MetricExportResult:
        return self.inner.export(scrubbed_metrics(metrics_data), timeout_millis=timeout_millis, **kwargs)

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return self.inner.force_flush(timeout_millis)

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        self.inner.shutdown(timeout_millis=timeout_millis, **kwargs)
