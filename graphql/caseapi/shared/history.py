"""Read a participant's workflow histories (every run of the continue-as-new chain) as ``RawEvent`` s, with
update and signal payloads decoded by the client's data converter."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from temporalio.client import Client

from domain.timeline import RawEvent

LOCAL_ACTIVITIES_SHOWN = frozenset({"pay_tranche"})
"""Local activities the timeline shows (their markers carry the result, not the arguments)."""

_KINDS = {
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: "STARTED",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: "CONTINUED_AS_NEW",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: "CLOSED",
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED: "CLOSED",
    EventType.EVENT_TYPE_TIMER_FIRED: "TIMER",
}


async def raw_events(client: Client, workflow_id: str, *, max_runs: int = 50) -> list[RawEvent]:
    runs = [r.run_id async for r in client.list_workflows(f'WorkflowId = "{workflow_id}"', limit=max_runs)]
    events: list[RawEvent] = []
    for run_id in runs:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        refusals = await _refusals(client, history.events)
        for e in history.events:
            raw = await _raw(client, run_id, e, refusals)
            if raw is not None:
                events.append(raw)
    return events


async def _refusals(client: Client, events: Any) -> dict[str, str]:
    """Update ID -> the failure message of updates that were accepted and then refused by their handler
    (decoded: with payload encryption the message itself is encrypted)."""
    out: dict[str, str] = {}
    for e in events:
        if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
            a = e.workflow_execution_update_completed_event_attributes
            if a.outcome.HasField("failure"):
                err = await client.data_converter.decode_failure(a.outcome.failure)
                out[a.meta.update_id] = getattr(err, "message", str(err))
    return out


async def _args(client: Client, payloads: Any) -> dict[str, Any]:
    if not payloads:
        return {}
    values = await client.data_converter.decode(list(payloads))
    first = values[0] if values else None
    return first if isinstance(first, dict) else {}


async def _raw(client: Client, run_id: str, e: HistoryEvent, refusals: dict[str, str]) -> RawEvent | None:
    at = e.event_time.ToDatetime().replace(tzinfo=dt.UTC)
    if e.event_type in _KINDS:
        return RawEvent(run_id, e.event_id, at, _KINDS[e.event_type])
    if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        a = e.workflow_execution_update_accepted_event_attributes
        req = a.accepted_request
        args = await _args(client, req.input.args.payloads)
        return RawEvent(run_id, e.event_id, at, "UPDATE", req.input.name, args, refusals.get(req.meta.update_id))
    if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        a = e.workflow_execution_signaled_event_attributes
        return RawEvent(run_id, e.event_id, at, "SIGNAL", a.signal_name, await _args(client, a.input.payloads))
    if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        a = e.activity_task_scheduled_event_attributes
        return RawEvent(run_id, e.event_id, at, "ACTIVITY", a.activity_type.name, await _args(client, a.input.payloads))
    if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED and (name := local_activity(e)) in LOCAL_ACTIVITIES_SHOWN:
        details = e.marker_recorded_event_attributes.details
        result = await _args(client, details["result"].payloads) if "result" in details else {}
        return RawEvent(run_id, e.event_id, at, "ACTIVITY", name, result)
    return None


def local_activity(e: HistoryEvent) -> str | None:
    """The activity type of a local activity's marker (the SDK's own metadata, not encoded by our codec)."""
    data = e.marker_recorded_event_attributes.details.get("data")
    try:
        return str(json.loads(data.payloads[0].data)["activity_type"]) if data else None
    except (IndexError, KeyError, ValueError):
        return None
