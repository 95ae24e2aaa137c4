"""Telemetry pieces that must not leak PII: span export scrubbing, SQL spans without bound values, JSON logs
with trace IDs; the choice of exporters by the standard OTEL_* variables."""

from __future__ import annotations

import io
import json
import logging

import pytest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from sqlalchemy import text

from adapters.db.engine import make_engine
from adapters.telemetry import JsonLinesExporter, JsonLogFormatter, instrument_engine, scrub, setup_telemetry

NIK = "3171014505900001"


def _provider(out: io.StringIO) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({"service.name": "test"}))
    provider.add_span_processor(SimpleSpanProcessor(JsonLinesExporter(out)))
    return provider


def test_scrub_redacts_nik_and_phone_shaped_values_and_pii_keys():
    assert scrub(f"apply for {NIK} phone 081234567890") == "apply for [redacted] phone [redacted]"
    assert scrub({"case.nik": "x", "full_name": "Budi", "stage": "ENROLLED"}) == {
        "case.nik": "[redacted]",
        "full_name": "[redacted]",
        "stage": "ENROLLED",
    }
    assert scrub("card 5264 and amount 600000") == "card 5264 and amount 600000"


def test_exported_spans_never_carry_a_raw_nik():
    out = io.StringIO()
    tracer = _provider(out).get_tracer("t")
    with tracer.start_as_current_span("graphql apply", attributes={"graphql.args": f'{{"nik": "{NIK}"}}', "nik": NIK}):
        pass
    [line] = out.getvalue().splitlines()
    assert NIK not in line and json.loads(line)["name"] == "graphql apply"


async def test_sql_spans_record_the_statement_but_not_the_bound_values(pg_url):
    out = io.StringIO()
    provider = _provider(out)
    engine = make_engine(pg_url, pool_size=1, max_overflow=0)
    instrument_engine(engine, tracer_provider=provider)
    try:
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT CAST(:nik AS text)"), {"nik": NIK}) == NIK
    finally:
        await engine.dispose()
    spans = [json.loads(x) for x in out.getvalue().splitlines()]
    selects = [s for s in spans if s["name"].startswith("SELECT")]
    assert selects and all(NIK not in json.dumps(s) for s in spans), spans
    assert "$1" in selects[-1]["attributes"]["db.statement"], selects[-1]


def test_json_logs_carry_the_trace_id_and_no_nik():
    out = io.StringIO()
    tracer = _provider(io.StringIO()).get_tracer("t")
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonLogFormatter())
    log = logging.getLogger("telemetry-test")
    log.addHandler(handler)
    log.propagate = False
    with tracer.start_as_current_span("request") as span:
        log.warning("registry slow for %s", NIK)
    record = json.loads(out.getvalue())
    assert record["trace_id"] == f"{span.get_span_context().trace_id:032x}"
    assert NIK not in out.getvalue() and record["message"] == "registry slow for [redacted]"


def test_graphql_string_literals_and_emails_are_scrubbed():
    document = (
        'mutation { apply(input: {fullName: "Sari Lubis", street: """Jl. \\"Siliwangi\\" 26""", age: 30}) { id } }'
    )
    scrubbed = scrub({"query": document, "note": "mail sari.lubis9750@example.id or sari%40example.id"})
    assert "Sari" not in scrubbed["query"] and "Siliwangi" not in scrubbed["query"], scrubbed
    assert "fullName:" in scrubbed["query"] and "age: 30" in scrubbed["query"]
    assert scrubbed["note"] == "mail [redacted] or [redacted]"


def _env(**extra: str) -> dict[str, str]:
    return {"OTEL_METRIC_EXPORT_INTERVAL": "600000", **extra}


def test_otel_variables_choose_the_exporters():
    off = setup_telemetry("svc", "none", env=_env(), set_global=False)
    assert off.tracer_provider is None and off.meter_provider is None
    otlp = setup_telemetry("svc", "none", env=_env(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9"), set_global=False)
    try:
        assert otlp.tracer_provider is not None and otlp.meter_provider is not None
        assert otlp.otlp_metrics_endpoint == "http://127.0.0.1:9/v1/metrics"
        assert otlp.tracer_provider.resource.attributes["service.name"] == "svc"
    finally:
        otlp.shutdown()
    only_traces = setup_telemetry(
        "svc",
        "none",
        env=_env(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9", OTEL_METRICS_EXPORTER="none"),
        set_global=False,
    )
    assert only_traces.tracer_provider is not None and only_traces.meter_provider is None
    only_traces.shutdown()
    disabled = setup_telemetry(
        "svc", "console", env=_env(OTEL_SDK_DISABLED="true", OTEL_EXPORTER_OTLP_ENDPOINT="http://x"), set_global=False
    )
    assert disabled.tracer_provider is None and disabled.meter_provider is None


def test_grpc_is_refused_with_the_reason(monkeypatch):
    env = _env(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9", OTEL_EXPORTER_OTLP_PROTOCOL="grpc")
    with pytest.raises(RuntimeError, match="http/protobuf"):
        setup_telemetry("svc", "none", env=env, set_global=False)


def test_without_an_endpoint_the_dev_stack_file_gets_scrubbed_spans(tmp_path):
    path = tmp_path / "traces.jsonl"
    telemetry = setup_telemetry("prakerja-server", f"file:{path}", env=_env(), set_global=False)
    assert telemetry.tracer_provider is not None and telemetry.meter_provider is None
    with telemetry.tracer_provider.get_tracer("t").start_as_current_span(f"lookup {NIK}", attributes={"phone": "x"}):
        pass
    telemetry.shutdown()
    [record] = [json.loads(line) for line in path.read_text().splitlines()]
    assert record["name"] == "lookup [redacted]" and record["attributes"] == {"phone": "[redacted]"}
    assert record["service"] == "prakerja-server"
