"""What a woken selected participant costs in its history (``bench.fanout``): the events and workflow tasks after the
wave's signal, and where the time from signal to decision went (queued for a worker slot, or run in the worker)."""

from __future__ import annotations

import statistics

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client


async def breakdown(client: Client, workflow_ids: list[str]) -> str:
    """One line over a sample of woken workflows: events and tasks from the wave's signal on, and mean latencies."""
    events, tasks, kinds = [], [], {}
    queued, ran, total = [], [], []
    for wid in workflow_ids:
        history = await client.get_workflow_handle(wid).fetch_history()
        after = list(history.events)
        signalled = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
        wave = [i for i, e in enumerate(after) if e.event_type == signalled
                and e.workflow_execution_signaled_event_attributes.signal_name == "wave_decided"]  # fmt: skip
        start = wave[0] if wave else None
        if start is None:
            continue
        tail = after[start:]
        events.append(len(tail))
        for e in tail:
            name = EventType.Name(e.event_type).removeprefix("EVENT_TYPE_")
            kinds[name] = kinds.get(name, 0) + 1
        t = {EventType.Name(e.event_type): e.event_time.ToDatetime() for e in reversed(tail)}  # first of each kind
        tasks.append(kinds.get("WORKFLOW_TASK_COMPLETED", 0))
        sig, sched = tail[0].event_time.ToDatetime(), t.get("EVENT_TYPE_WORKFLOW_TASK_SCHEDULED")
        began, done = t.get("EVENT_TYPE_WORKFLOW_TASK_STARTED"), t.get("EVENT_TYPE_WORKFLOW_TASK_COMPLETED")
        if sched and began and done:
            queued.append((began - sched).total_seconds())
            ran.append((done - began).total_seconds())
            total.append((done - sig).total_seconds())
    n = max(len(events), 1)
    per = ", ".join(f"{k.lower()} {v / n:.1f}" for k, v in sorted(kinds.items()))
    mean = lambda xs: statistics.fmean(xs) * 1000 if xs else 0.0  # noqa: E731
    return (
        f"{sum(events) / n:.1f} events per woken selected after the signal ({per}); first task queued"
        f" {mean(queued):.0f} ms, ran {mean(ran):.0f} ms, signal -> decided {mean(total):.0f} ms"
        f" (means over {len(events)})"
    )
