"""Figures the benchmarks read: percentiles, the SDK's latency histograms, local-activity markers."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

SDK_LATENCIES = {
    "workflow task schedule-to-start": "temporal_workflow_task_schedule_to_start_latency",
    "workflow task execution": "temporal_workflow_task_execution_latency",
    "activity schedule-to-start": "temporal_activity_schedule_to_start_latency",
    "local activity end-to-end": "temporal_local_activity_succeed_endtoend_latency",
}


def sdk_latencies(exposition: str) -> dict[str, float]:
    """Mean of each SDK histogram above, over all its label sets (Prometheus text format)."""
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, float] = defaultdict(float)
    for line in exposition.splitlines():
        name, value = line.partition("{")[0].partition(" ")[0], line.rsplit(" ", 1)[-1]
        for label, metric in SDK_LATENCIES.items():
            if name == f"{metric}_sum":
                sums[label] += float(value)
            elif name == f"{metric}_count":
                counts[label] += float(value)
    return {label: sums[label] / counts[label] for label in SDK_LATENCIES if counts[label]}


def marker_name(event: Any) -> str:
    """The activity type a local-activity marker recorded (its details hold the payload-encoded metadata)."""
    data = event.marker_recorded_event_attributes.details.get("data")
    try:
        return str(json.loads(data.payloads[0].data).get("activity_type", "?"))
    except (AttributeError, IndexError, ValueError):
        return "?"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000 if values else 0.0
