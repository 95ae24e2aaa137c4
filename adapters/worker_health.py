"""The worker's own health endpoint (``WORKER_HEALTH_BIND=host:port``): is it polling its task queue, and when did
it last complete a workflow task and an activity.

``GET /livez``: the process and its event loop answer. ``GET /readyz`` (and ``/healthz``): 200 while every
worker of the process is running (polling), 503 otherwise (not started yet, shutting down, or stopped by a fatal
poll error such as a missing namespace), with ``last_workflow_task_at`` / ``last_activity_at`` (UTC, ISO 8601,
``null`` before the first) and their age in seconds, so that a monitor can alert on a worker that polls but
completes nothing while the queue has a backlog.

Workflow tasks are timed by wrapping the workflow runner (each activation's completion, outside the sandbox);
activities by a worker interceptor. A tiny HTTP/1.1 server on asyncio streams: no framework in the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import time
from typing import Any

from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
    Worker,
    WorkflowInstance,
    WorkflowInstanceDetails,
    WorkflowRunner,
)

_REASONS = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}


class WorkerHealth:
    """What the health endpoint reports; fed by the runner wrapper and the activity interceptor."""

    def __init__(self, task_queue: str = "") -> None:
        self.task_queue = task_queue
        self.workers: list[Worker] = []
        self.last_workflow_task: float | None = None
        self.last_activity: float | None = None

    def watch(self, *workers: Worker) -> None:
        self.workers.extend(workers)

    def polling(self) -> bool:
        return bool(self.workers) and all(w.is_running and not w.is_shutdown for w in self.workers)

    def runner(self, inner: WorkflowRunner) -> WorkflowRunner:
        return _TimedRunner(inner, self)

    def interceptors(self) -> list[Interceptor]:
        return [_ActivityTimer(self)]

    def report(self) -> tuple[int, dict[str, Any]]:
        now = time.time()
        polling = self.polling()
        body: dict[str, Any] = {"status": "ok" if polling else "not polling", "polling": polling}
        if self.task_queue:
            body["task_queue"] = self.task_queue
        for name, at in (("workflow_task", self.last_workflow_task), ("activity", self.last_activity)):
            body[f"last_{name}_at"] = None if at is None else dt.datetime.fromtimestamp(at, dt.UTC).isoformat()
            body[f"seconds_since_last_{name}"] = None if at is None else round(now - at, 1)
        return (200 if polling else 503), body


class _TimedInstance(WorkflowInstance):
    def __init__(self, inner: WorkflowInstance, health: WorkerHealth) -> None:
        self._inner = inner
        self._health = health

    def activate(self, act: Any) -> Any:
        completion = self._inner.activate(act)
        if completion.HasField("successful"):
            self._health.last_workflow_task = time.time()
        return completion

    def get_serialization_context(self, command_info: Any) -> Any:
        return self._inner.get_serialization_context(command_info)

    def get_external_store_context(self, command_info: Any) -> Any:
        return self._inner.get_external_store_context(command_info)

    def get_info(self) -> Any:
        return self._inner.get_info()

    def get_thread_id(self) -> int | None:
        return self._inner.get_thread_id()


class _TimedRunner(WorkflowRunner):
    def __init__(self, inner: WorkflowRunner, health: WorkerHealth) -> None:
        self.inner = inner
        self._health = health

    def prepare_workflow(self, defn: Any) -> None:
        self.inner.prepare_workflow(defn)

    def create_instance(self, det: WorkflowInstanceDetails) -> WorkflowInstance:
        return _TimedInstance(self.inner.create_instance(det), self._health)

    def set_worker_level_failure_exception_types(self, types: Any) -> None:
        self.inner.set_worker_level_failure_exception_types(types)


class _TimedActivity(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, health: WorkerHealth) -> None:
        super().__init__(next)
        self._health = health

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await super().execute_activity(input)
        finally:  # a failed attempt is a completed task too: the worker is doing its job
            self._health.last_activity = time.time()


class _ActivityTimer(Interceptor):
    def __init__(self, health: WorkerHealth) -> None:
        self._health = health

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _TimedActivity(next, self._health)


async def serve_health(bind: str, health: WorkerHealth) -> asyncio.Server:
    """Serve ``/livez``, ``/readyz`` and ``/healthz`` on ``host:port`` until the returned server is closed."""
    host, _, port = bind.rpartition(":")

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            request = await asyncio.wait_for(reader.readline(), 5)
            while (await asyncio.wait_for(reader.readline(), 5)).strip():
                pass  # headers: nothing in them matters
            parts = request.decode("latin-1").split()
            path = parts[1].split("?", 1)[0] if len(parts) > 1 else ""
            if path == "/livez":
                status, body = 200, {"status": "ok"}
            elif path in ("/readyz", "/healthz"):
                status, body = health.report()
            else:
                status, body = 404, {"status": "not found"}
            payload = json.dumps(body).encode()
            head = (
                f"HTTP/1.1 {status} {_REASONS[status]}\r\ncontent-type: application/json\r\n"
                f"content-length: {len(payload)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n"
            )
            writer.write(head.encode() + payload)
            await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, host or "0.0.0.0", int(port))


__all__ = ["WorkerHealth", "serve_health"]
