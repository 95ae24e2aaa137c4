"""haproxy (the Debian package) in front of the API replicas, configured into a temporary directory: HTTP and the
graphql-transport-ws WebSockets on one port, round robin, health checks on ``/readyz``, a failed connection
redispatched to another replica, WebSocket tunnels kept for an hour of silence."""

from __future__ import annotations

import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from devstack.embedded import wait_for_port

INSTALL_HINT = "haproxy is not installed (Debian: apt-get install haproxy; .ci/run installs it)"


def haproxy_config(port: int, servers: dict[str, int]) -> str:
    lines = [
        "global",
        "  maxconn 4000",
        "defaults",
        "  mode http",
        "  timeout connect 2s",
        "  timeout client 120s",
        "  timeout server 120s",  # an API answer may wait for PostgreSQL to come back (the client's patience)
        "  timeout tunnel 1h",  # an upgraded WebSocket: a live-status page may stay silent for long
        "  timeout client-fin 5s",
        "  timeout http-keep-alive 10s",
        "  option redispatch",  # a connection refused by a dead replica is retried on another one
        "  retries 3",
        "frontend api",
        f"  bind 127.0.0.1:{port}",
        "  default_backend replicas",
        "backend replicas",
        "  balance roundrobin",
        "  option httpchk GET /readyz",  # PostgreSQL, Temporal and migrations (caseapi/health.py)
        "  http-check expect status 200",
        "  default-server inter 1s fall 2 rise 2",
        "  http-response set-header X-Served-By %[srv_name]",  # which replica answered (the drill counts them)
    ]
    lines += [f"  server {name} 127.0.0.1:{p} check" for name, p in servers.items()]
    return "\n".join(lines) + "\n"


@dataclass
class Balancer:
    proc: subprocess.Popen[bytes]
    url: str

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_haproxy(workdir: Path, *, port: int, servers: dict[str, int]) -> Balancer:
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(binary).exists():
        raise RuntimeError(INSTALL_HINT)
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "haproxy.cfg"
    config.write_text(haproxy_config(port, servers))
    subprocess.run([binary, "-c", "-q", "-f", str(config)], check=True)  # the configuration is valid
    with (workdir / "haproxy.log").open("ab") as log:
        proc = subprocess.Popen([binary, "-db", "-f", str(config)], stdout=log, stderr=log)
    wait_for_port("127.0.0.1", port, timeout=15, proc=proc)
    return Balancer(proc, f"http://127.0.0.1:{port}")
