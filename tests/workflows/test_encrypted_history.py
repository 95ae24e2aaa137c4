"""With the payload codec on, a participant's history holds no raw NIK, name or phone: not in any event's bytes
(read by a client without the codec), not in the logs, not in the exported Temporal spans; a client with the
codec still decodes the apply input."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.contrib.opentelemetry import TracingInterceptor
from temporalio.testing import WorkflowEnvironment

from adapters.crypto_codec import ENCODING, AesGcmCodec
from adapters.payloads import converter_with, data_converter
from domain.application.messages import ApplyRequest
from tests.integration.helpers import clean_people
from tests.workflows.test_ability_test_deadline import POPULATION, _case, intake_worker
from tests.workflows.time_skipping import start_time_skipping
from workflows.participant import ParticipantWorkflow

CODEC = AesGcmCodec({"test1": os.urandom(32)}, "test1")
PHONE = "081234567890"  # what _form puts on every application


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def encrypted_env() -> AsyncIterator[WorkflowEnvironment]:
    """The time-skipping test server, as in ``conftest.env``, but every payload goes through the codec."""
    e = await start_time_skipping(converter_with(CODEC))
    yield e
    await e.shutdown()


class _Env:
    """``_case`` only needs ``.client``: the traced client over the encrypted environment."""

    def __init__(self, client: Client) -> None:
        self.client = client


@pytest.mark.timeout(90)
async def test_history_logs_and_spans_hold_no_raw_pii(encrypted_env: WorkflowEnvironment, caplog):
    caplog.set_level(logging.DEBUG)
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    config = encrypted_env.client.config()
    traced = Client(**{**config, "interceptors": [TracingInterceptor(provider.get_tracer("test"))]})
    task_queue = f"tq-{uuid.uuid4().hex[:8]}"
    worker = intake_worker(traced, task_queue)
    person = clean_people(POPULATION)[1]
    async with worker:
        handle, _ = await _case(_Env(traced), task_queue, person)
        assert (await handle.query(ParticipantWorkflow.snapshot)).case_id

    secrets = {"NIK": person.nik, "full name": person.full_name, "phone": PHONE}

    # A client without the codec reads the raw history: no secret in any event's bytes, payloads all sealed.
    plain = Client(**{**config, "data_converter": data_converter})
    history = await plain.get_workflow_handle(handle.id).fetch_history()
    assert len(history.events) > 5
    for event in history.events:
        raw = event.SerializeToString()
        for what, value in secrets.items():
            assert value.encode() not in raw, (
                f"raw {what} in event {event.event_id} ({EventType.Name(event.event_type)})"
            )
    [accepted] = [e for e in history.events if e.HasField("workflow_execution_update_accepted_event_attributes")]
    sealed = accepted.workflow_execution_update_accepted_event_attributes.accepted_request.input.args.payloads
    assert [p.metadata["encoding"] for p in sealed] == [ENCODING]
    with pytest.raises(Exception, match="binary/encrypted"):
        await plain.data_converter.decode(list(sealed), [ApplyRequest])

    # The client with the codec decodes the apply input.
    [request] = await encrypted_env.client.data_converter.decode(list(sealed), [ApplyRequest])
    assert request.form.nik == person.nik and request.form.full_name == person.full_name
    assert request.form.phone == PHONE

    logged = "\n".join(r.getMessage() + repr(getattr(r, "__dict__", {})) for r in caplog.records)
    exported = "\n".join(s.to_json() for s in spans.get_finished_spans())
    assert spans.get_finished_spans(), "the tracing interceptor exported no spans"
    for what, value in secrets.items():
        assert value not in logged, f"raw {what} in the logs"
        assert value not in exported, f"raw {what} in an exported span"
