"""A local OTLP/HTTP receiver for tests: it decodes what the exporters POST to ``/v1/traces`` and ``/v1/metrics``
(protobuf ``ExportTraceServiceRequest`` / ``ExportMetricsServiceRequest``) and keeps the raw bodies, so a test can
search every byte that left the process."""

from __future__ import annotations

import contextlib
import gzip
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue


@dataclass(frozen=True)
class Span:
    trace_id: str
    span_id: str
    parent_id: str
    name: str
    service: str
    scope: str
    attributes: dict[str, Any]


@dataclass
class Received:
    bodies: list[bytes] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    traces: list[ExportTraceServiceRequest] = field(default_factory=list)
    metrics: list[ExportMetricsServiceRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def spans(self) -> list[Span]:
        with self.lock:
            requests = list(self.traces)
        out = []
        for request in requests:
            for rs in request.resource_spans:
                service = _attributes(rs.resource.attributes).get("service.name", "")
                for ss in rs.scope_spans:
                    for s in ss.spans:
                        out.append(
                            Span(
                                trace_id=s.trace_id.hex(),
                                span_id=s.span_id.hex(),
                                parent_id=s.parent_span_id.hex(),
                                name=s.name,
                                service=service,
                                scope=ss.scope.name,
                                attributes=_attributes(s.attributes),
                            )
                        )
        return out

    def metric_points(self) -> dict[str, list[dict[str, Any]]]:
        """Metric name -> the attributes of each of its data points (every export, every resource)."""
        with self.lock:
            requests = list(self.metrics)
        out: dict[str, list[dict[str, Any]]] = {}
        for request in requests:
            for rm in request.resource_metrics:
                for sm in rm.scope_metrics:
                    for m in sm.metrics:
                        data = getattr(m, m.WhichOneof("data"))
                        out.setdefault(m.name, []).extend(_attributes(p.attributes) for p in data.data_points)
        return out


def _value(v: AnyValue) -> Any:
    kind = v.WhichOneof("value")
    if kind == "array_value":
        return [_value(x) for x in v.array_value.values]
    return getattr(v, kind) if kind else None


def _attributes(kvs: Any) -> dict[str, Any]:
    return {kv.key: _value(kv.value) for kv in kvs}


def _handler(received: Received) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            if self.headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            if self.path == "/v1/traces":
                request: Any = ExportTraceServiceRequest.FromString(body)
                response: Any = ExportTraceServiceResponse()
            elif self.path == "/v1/metrics":
                request, response = ExportMetricsServiceRequest.FromString(body), ExportMetricsServiceResponse()
            else:
                self.send_response(404)
                self.end_headers()
                return
            with received.lock:
                received.bodies.append(body)
                received.headers.append({k.lower(): v for k, v in self.headers.items()})
                (received.traces if self.path == "/v1/traces" else received.metrics).append(request)
            payload = response.SerializeToString()
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextlib.contextmanager
def otlp_receiver() -> Iterator[tuple[str, Received]]:
    """``(endpoint, received)``: the base URL to put in ``OTEL_EXPORTER_OTLP_ENDPOINT``."""
    received = Received()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(received))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
