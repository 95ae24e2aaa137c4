"""Domain counters exported with the Temporal SDK's metrics (the worker's Prometheus endpoint)."""

from __future__ import annotations

from temporalio import activity


def count(name: str, description: str, value: int = 1, **labels: str) -> None:
    """Add to a counter from inside an activity; outside one (a unit test calling the method) it is a no-op."""
    try:
        meter = activity.metric_meter()
    except RuntimeError:
        return
    meter.create_counter(name, description).add(value, labels)
