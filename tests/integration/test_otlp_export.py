"""OTLP export end to end: the API and the worker, each with the providers ``setup_telemetry`` builds from the
standard ``OTEL_*`` variables, export to a local OTLP/HTTP receiver. One ``apply`` (its personal data typed inline
in the document, as the README's example does) must give ONE trace running from the HTTP request and the GraphQL
operation through the workflow update to an activity and its SQL, and no NIK, name, phone or e-mail may appear in
any byte the receiver got. The API's metrics arrive too."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
import uuid
from typing import Any

import httpx2
import pytest

from adapters.db.case_store import PgCaseStore
from adapters.db.change_feed import PgChangeFeed
from adapters.db.engine import make_engine
from adapters.db.pii import pii_cipher
from adapters.payments.fake_partner import FakePaymentPartner
from adapters.registries.fake import fake_registries
from adapters.registries.population import apply_input
from adapters.telemetry import Telemetry, instrument_engine, setup_telemetry
from adapters.temporal import connect, observed_runtime, payload_codec, tracing_interceptor
from caseapi.shared.auth import Role, mint_token
from domain.change_feed import CASE_CHANGES, STAFF_QUEUES
from server import api_ports, create_app
from tests.conftest import POPULATION, stack_worker_ports
from tests.integration.helpers import fresh_clean_person
from tests.otlp_receiver import Received, Span, otlp_receiver
from worker import build_worker

ENUMS = ("sex", "education", "employmentStatus")
UPDATE_CALLS = ("StartUpdateWithStartWorkflow:", "StartWorkflowUpdate:")
"""The client's update call: Temporal's TracingInterceptor parents the workflow's activity starts on it (the
workflow-side ``HandleUpdate:apply`` is a zero-length sibling in the same trace)."""


def literal(value: Any, key: str = "") -> str:
    """``value`` as a GraphQL input literal (the personal data inline in the document, not in variables)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v, k)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if key in ENUMS:
        return str(value)
    return json.dumps(value)


def telemetry(service: str, endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Telemetry:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-collector-token=test-token")
    monkeypatch.delenv("OTEL_SERVICE_NAME", raising=False)
    monkeypatch.delenv("OTEL_TRACES_EXPORTER", raising=False)
    monkeypatch.delenv("OTEL_METRICS_EXPORTER", raising=False)
    monkeypatch.delenv("OTEL_SDK_DISABLED", raising=False)
    return setup_telemetry(service, "none", set_global=False)


def ancestry(span: Span, by_id: dict[str, Span]) -> list[Span]:
    chain = [span]
    while chain[-1].parent_id and chain[-1].parent_id in by_id:
        chain.append(by_id[chain[-1].parent_id])
    return chain


def linked_sql(received: Received, trace_id: str) -> list[Span] | None:
    """The ancestry of a worker-side SQL span of ``trace_id`` that runs up through an activity and the update to
    the GraphQL operation, or ``None`` while none has arrived."""
    spans = [s for s in received.spans() if s.trace_id == trace_id]
    by_id = {s.span_id: s for s in spans}
    for span in spans:
        if span.service != "prakerja-worker" or span.attributes.get("db.system") != "postgresql":
            continue
        names = [s.name for s in ancestry(span, by_id)]
        if (
            any(n.startswith("RunActivity:") for n in names)
            and any(n.startswith(UPDATE_CALLS) for n in names)
            and any(n.startswith("GraphQL Query") for n in names)
        ):
            return ancestry(span, by_id)
    return None


async def test_one_trace_from_graphql_through_update_and_activity_to_sql_without_personal_data(settings, monkeypatch):
    settings = dataclasses.replace(settings, task_queue=f"otlp-{uuid.uuid4().hex[:8]}")
    with otlp_receiver() as (endpoint, received):
        api_telemetry = telemetry("prakerja-server", endpoint, monkeypatch)
        worker_telemetry = telemetry("prakerja-worker", endpoint, monkeypatch)
        api_engine = make_engine(settings.database_url, pool_size=2, max_overflow=0)
        worker_engine = make_engine(settings.database_url, pool_size=4, max_overflow=0)
        instrument_engine(api_engine, tracer_provider=api_telemetry.tracer_provider)
        instrument_engine(worker_engine, tracer_provider=worker_telemetry.tracer_provider)
        codec = payload_codec(settings)
        api_client = await connect(
            settings.temporal_address, codec=codec, interceptors=[tracing_interceptor(api_telemetry.tracer_provider)]
        )
        worker_client = await connect(
            settings.temporal_address, codec=codec, interceptors=[tracing_interceptor(worker_telemetry.tracer_provider)]
        )
        key = settings.blind_index_key.reveal().encode()
        store = PgCaseStore(worker_engine, blind_key=key, cipher=pii_cipher(settings))
        partner = FakePaymentPartner(worker_engine, latency=(0.001, 0.002))
        await partner.ensure_schema()
        ports = stack_worker_ports(
            worker_engine, store, fake_registries(POPULATION, latency=(0.001, 0.002)), partner, key
        )
        worker = build_worker(worker_client, task_queue=settings.task_queue, ports=ports)
        feed = PgChangeFeed(api_engine, (CASE_CHANGES, STAFF_QUEUES))
        app = create_app(settings, api_ports(settings, api_engine, api_client, feed), telemetry=api_telemetry)
        person = fresh_clean_person(POPULATION)
        form = apply_input(person, request_id=f"req-{uuid.uuid4().hex[:16]}")
        document = (
            f"mutation {{ apply(input: {literal(form)}) {{ __typename "
            "... on ApplySuccess { case { id stage } } ... on Error { code } } }"
        )
        token = mint_token(
            secret=settings.jwt_secret.reveal(),
            issuer=settings.jwt_issuer,
            endpoint="participant",
            subject=f"acct-{uuid.uuid4().hex[:12]}",
            role=Role.PARTICIPANT,
        )
        try:
            async with (
                worker,
                httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://test") as http,
            ):
                resp = await http.post(
                    "/graphql/participant", json={"query": document}, headers={"authorization": f"Bearer {token}"}
                )
                assert resp.status_code == 200, resp.text
                assert resp.json()["data"]["apply"]["__typename"] == "ApplySuccess", resp.text
                chain = None
                deadline = time.monotonic() + 20
                while chain is None and time.monotonic() < deadline:
                    for t in (api_telemetry, worker_telemetry):
                        assert t.tracer_provider is not None
                        t.tracer_provider.force_flush()
                    trace_ids = {s.trace_id for s in received.spans() if s.name.startswith("GraphQL Query")}
                    assert len(trace_ids) <= 1, trace_ids
                    chain = next((c for t in trace_ids if (c := linked_sql(received, t))), None)
                    if chain is None:
                        await asyncio.sleep(0.2)
        finally:
            for t in (api_telemetry, worker_telemetry):
                assert t.meter_provider is not None
                t.meter_provider.force_flush()
            await feed.close()
            api_telemetry.shutdown()
            worker_telemetry.shutdown()
            await api_engine.dispose()
            await worker_engine.dispose()

        spans = received.spans()
        assert chain is not None, sorted({(s.service, s.name, s.trace_id[:8]) for s in spans})
        names = [s.name for s in chain]
        print("trace, SQL span up to the root:", " <- ".join(names))
        [trace_id] = {s.trace_id for s in chain}
        in_trace = [s for s in spans if s.trace_id == trace_id]
        assert chain[-1].service == "prakerja-server" and chain[-1].scope.startswith(
            "opentelemetry.instrumentation.asgi"
        )
        assert {s.service for s in in_trace} == {"prakerja-server", "prakerja-worker"}
        assert {"HandleUpdate:apply", "RunWorkflow:ParticipantWorkflow"} <= {s.name for s in in_trace}
        assert any(s.service == "prakerja-server" and s.attributes.get("db.system") == "postgresql" for s in spans)
        sql = chain[0].attributes.get("db.statement") or chain[0].attributes.get("db.query.text")
        assert sql and ("$1" in sql or "%(" in sql), sql  # placeholders, never the bound values

        phone_digits = form["phone"].removeprefix("0")  # 8xxxxxxxxx: inside 08…, +628… and 628… alike
        first, *_, last = person.full_name.split()
        personal = {
            person.nik,
            person.kk_number,
            phone_digits,
            form["email"],
            form["email"].split("@")[0],
            person.full_name,
            first,
            last,
            person.full_name.upper(),
            form["ktpAddress"]["street"],
        }
        everything = b"".join(received.bodies)
        leaked = {p for p in personal if p.encode() in everything}
        assert not leaked, f"personal data in the exported telemetry: {leaked}"
        assert all(h.get("x-collector-token") == "test-token" for h in received.headers)

        points = received.metric_points()
        requests = points.get("prakerja.api.requests", [])
        assert {"api": "graphql.participant", "operation": "mutation apply", "result": "ok"} in requests, points.keys()
        assert "prakerja.api.request.duration" in points
        http_labels = {k for m, ps in points.items() if m.startswith("http.server") for p in ps for k in p}
        assert http_labels and not http_labels & {"http.target", "http.host", "http.server_name"}, http_labels


async def test_worker_sends_the_temporal_sdk_metrics_over_otlp_without_a_prometheus_bind(settings, monkeypatch):
    with otlp_receiver() as (endpoint, received):
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_HEADERS", "x-collector-token=test-token")
        runtime = observed_runtime("", f"{endpoint}/v1/metrics")
        assert runtime is not None
        client = await connect(settings.temporal_address, runtime=runtime)
        deadline = time.monotonic() + 15
        while not any(m.startswith("temporal_") for m in received.metric_points()) and time.monotonic() < deadline:
            await client.count_workflows(f"TaskQueue = 'otlp-{uuid.uuid4().hex[:6]}'")
            await asyncio.sleep(0.5)
        names = set(received.metric_points())
        assert any(m.startswith("temporal_request") for m in names), names
        assert all(h.get("x-collector-token") == "test-token" for h in received.headers)
