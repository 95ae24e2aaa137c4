"""The worker's health endpoint over real HTTP against the real dev server: 503 until the worker polls, 200 while
it does with the times of the last workflow task and activity, 503 again once it has stopped."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2
from temporalio import activity, workflow
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from adapters.worker_health import WorkerHealth, serve_health
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@activity.defn
async def pong() -> str:
    return "pong"


@workflow.defn  # runs in the worker's runner (UnsandboxedWorkflowRunner, wrapped)
class PingWorkflow:
    @workflow.run
    async def run(self) -> str:
        return await workflow.execute_activity(pong, start_to_close_timeout=timedelta(seconds=10))


async def _get(port: int, path: str) -> tuple[int, dict[str, Any]]:
    async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        resp = await http.get(path)
    return resp.status_code, resp.json()


async def test_worker_health_follows_polling_and_completed_tasks(stack):
    queue = f"health-{uuid.uuid4().hex[:8]}"
    health = WorkerHealth(queue)
    worker = Worker(
        stack.client,
        task_queue=queue,
        workflows=[PingWorkflow],
        activities=[pong],
        workflow_runner=health.runner(UnsandboxedWorkflowRunner()),
        interceptors=health.interceptors(),
    )
    health.watch(worker)
    port = free_port()
    server = await serve_health(f"127.0.0.1:{port}", health)
    try:
        assert await _get(port, "/livez") == (200, {"status": "ok"})
        status, body = await _get(port, "/readyz")
        assert (status, body["status"], body["polling"]) == (503, "not polling", False)
        async with worker:
            for _ in range(50):  # the worker validates its task queue with the server, then polls
                status, body = await _get(port, "/readyz")
                if status == 200:
                    break
                await asyncio.sleep(0.1)
            assert (status, body["polling"], body["last_workflow_task_at"], body["last_activity_at"]) == (
                200,
                True,
                None,
                None,
            )
            result = await stack.client.execute_workflow(PingWorkflow.run, id=f"ping-{queue}", task_queue=queue)
            assert result == "pong"
            status, body = await _get(port, "/healthz")
            assert status == 200 and body["task_queue"] == queue
            assert body["last_workflow_task_at"] and body["last_activity_at"]
            assert 0 <= body["seconds_since_last_workflow_task"] < 30
        status, body = await _get(port, "/readyz")
        assert (status, body["polling"]) == (503, False)
        assert (await _get(port, "/nope"))[0] == 404
    finally:
        server.close()
        await server.wait_closed()


def _start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "worker.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


async def test_worker_py_serves_its_health_on_worker_health_bind(stack):
    """The composition root: ``python worker.py`` with ``WORKER_HEALTH_BIND`` answers 200 once it polls (after
    registering search attributes and the schedule) and exits cleanly on SIGTERM."""
    port = free_port()
    s = stack.settings
    env = {
        **os.environ,
        "DATABASE_URL": s.database_url,
        "TEMPORAL_ADDRESS": s.temporal_address,
        "CASE_HMAC_KEY": s.blind_index_key.reveal(),
        "JWT_SECRET": s.jwt_secret.reveal(),
        "TASK_QUEUE": f"health-{uuid.uuid4().hex[:8]}",
        "POPULATION_SIZE": "500",
        "PAYLOAD_KEYS": s.payload_keys.reveal() if s.payload_keys else "",
        "PAYLOAD_ACTIVE_KEY": s.payload_active_key,
        "PII_KEYS": s.pii_keys.reveal(),
        "PII_ACTIVE_KEY": s.pii_active_key,
        "WORKER_HEALTH_BIND": f"127.0.0.1:{port}",
        "METRICS_BIND": "",
    }
    proc = _start_worker(env)
    try:
        status, body = 0, {}
        for _ in range(150):
            with contextlib.suppress(httpx2.TransportError):
                status, body = await _get(port, "/readyz")
                if status == 200:
                    break
            await asyncio.sleep(0.2)
        assert (status, body.get("polling")) == (200, True), body
        assert (await _get(port, "/livez"))[0] == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = await asyncio.to_thread(proc.communicate, timeout=30)
    assert proc.returncode == 0, out.decode(errors="replace")[-2000:]
