"""Telemetry pieces that must not leak PII: span export scrubbing, SQL spans without bound values, JSON logs
with trace IDs."""

from __future__ import annotations

import io
import json
import logging

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from sqlalchemy import text

from adapters.db.engine import make_engine
from adapters.telemetry import JsonLinesExporter, JsonLogFormatter, instrument_engine, scrub

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
