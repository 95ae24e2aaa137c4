"""The multi-replica drill's stack of real processes: haproxy in front of two API servers, two workers, pgbouncer
(transaction pooling) in front of the embedded PostgreSQL, the Temporal dev server; with handles to SIGKILL and
restart one server or one worker, and to stop and start PostgreSQL behind the pooler."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from adapters.db.migrate import upgrade
from bench.stack import free_port
from devstack.embedded import start_postgres, start_temporal, wait_for_port
from devstack.pgbouncer import PgBouncer, start_pgbouncer
from devstack.secrets import dev_secrets
from drills.balancer import Balancer, start_haproxy
from drills.stack import DrillStack, _spawn

SERVERS = ("api1", "api2")
WORKERS = ("worker1", "worker2")
WORKER_KILLS = ("", "after_transfer")
"""worker2 SIGKILLs itself right after the partner's transfer, before the answer (the dangerous point of a
payment); worker1 is SIGKILLed by the drill at a random moment."""


@dataclass
class ReplicaStack(DrillStack):
    bouncer: PgBouncer | None = None
    balancer: Balancer | None = None
    server_ports: dict[str, int] = field(default_factory=dict)
    servers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    direct_url: str = ""
    """PostgreSQL itself (the drill's own checks, and the API servers' LISTEN)."""
    armed_workers: dict[str, str] = field(default_factory=dict)
    """Each worker's kill point (``DRILL_KILL_AT``, adapters/fault_injection.py), empty when unarmed."""

    def start_server(self, name: str) -> None:
        port = self.server_ports[name]
        self.servers[name] = _spawn("server.py", self.env | {"HTTP_PORT": str(port)}, self.log)
        wait_for_port("127.0.0.1", port, timeout=90, proc=self.servers[name])

    def start_worker_replica(self, name: str, kill_at: str = "") -> None:
        self.workers[name] = _spawn("worker.py", self.env | {"DRILL_KILL_AT": kill_at}, self.log)
        self.armed_workers[name] = kill_at

    def sigkill(self, proc: subprocess.Popen[bytes]) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        procs = [*self.servers.values(), *self.workers.values()]
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        for part in (self.balancer, self.bouncer):
            if part is not None:
                part.stop()
        self.temporal.stop()
        self.pg.stop()


@contextlib.contextmanager
def replica_stack(*, population_seed: int, population_size: int, extra_env: dict[str, str]) -> Iterator[ReplicaStack]:
    with tempfile.TemporaryDirectory(prefix="drill-replicas-") as tmp:
        data = Path(tmp)
        pg = start_postgres(data / "pg")
        upgrade(pg.url)
        bouncer = start_pgbouncer(pg.url, data / "pgbouncer", port=free_port(), pool_size=20)
        temporal = start_temporal(data / "temporal", port=free_port(), ui_port=free_port(), extra_args=("--headless",))
        ports = {name: free_port() for name in SERVERS}
        env = dict(os.environ) | {
            "DATABASE_URL": bouncer.url,  # every replica through the pooler, in transaction pooling
            "DATABASE_POOLER": "transaction",
            "DATABASE_LISTEN_URL": pg.url,  # the change feed's LISTEN straight to PostgreSQL
            "TEMPORAL_ADDRESS": temporal.address,
            **dev_secrets(data),
            "POPULATION_SEED": str(population_seed),
            "POPULATION_SIZE": str(population_size),
            **extra_env,
        }
        log = Path(tempfile.gettempdir()) / "drills-replicas.log"
        balancer_port = free_port()
        stack = ReplicaStack(
            data, pg, temporal, env, f"http://127.0.0.1:{balancer_port}", log,
            bouncer=bouncer, server_ports=ports, direct_url=pg.url,
        )  # fmt: skip
        try:
            for name in SERVERS:
                stack.start_server(name)
            for name, kill_at in zip(WORKERS, WORKER_KILLS, strict=True):
                stack.start_worker_replica(name, kill_at)
            stack.balancer = start_haproxy(data / "haproxy", port=balancer_port, servers=ports)
            yield stack
        finally:
            stack.stop()
