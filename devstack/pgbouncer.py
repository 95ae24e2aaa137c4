"""pgbouncer (the Debian package) in transaction pooling in front of the embedded PostgreSQL, for the tests and the
multi-replica drill: the pooler an operator puts between the replicas and PostgreSQL (docs/deploy.md)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from devstack.embedded import wait_for_port

INSTALL_HINT = "pgbouncer is not installed (Debian: apt-get install pgbouncer; .ci/run installs it)"


@dataclass
class PgBouncer:
    proc: subprocess.Popen[bytes]
    url: str
    """``postgresql+asyncpg://postgres@127.0.0.1:<port>/postgres``, through the pooler."""
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # "safe shutdown" would wait for clients; SIGINT does not
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def available() -> bool:
    return shutil.which("pgbouncer") is not None or Path("/usr/sbin/pgbouncer").exists()


def start_pgbouncer(pg_url: str, workdir: Path, *, port: int, pool_size: int = 20) -> PgBouncer:
    """pgbouncer on 127.0.0.1:``port`` in transaction pooling, ``pool_size`` server connections at most, over the
    embedded server's unix socket (``pg_url``; trust, as the embedded server itself). As root it runs as the owner
    of that socket's directory, the embedded server's system user (pgbouncer refuses to run as root)."""
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        raise RuntimeError(INSTALL_HINT)
    url = make_url(pg_url)
    socket_dir = Path(str(url.query["host"]))
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "users.txt").write_text('"postgres" ""\n')
    log = workdir / "pgbouncer.log"
    (workdir / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"postgres = host={socket_dir} port={url.port or 5432} dbname={url.database} user={url.username}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {workdir / 'users.txt'}\n"
        f"pool_mode = transaction\ndefault_pool_size = {pool_size}\nmax_client_conn = 1000\n"
        "server_login_retry = 1\nserver_connect_timeout = 5\nquery_wait_timeout = 60\n"
        f"logfile = {log}\npidfile = {workdir / 'pgbouncer.pid'}\n"
        "log_connections = 0\nlog_disconnections = 0\n"
    )
    log.touch()
    args = [binary]
    if os.geteuid() == 0:
        user = socket_dir.owner()
        for f in (workdir, *workdir.iterdir()):
            shutil.chown(f, user)
        args += ["-u", user]
    with (workdir / "pgbouncer.out").open("ab") as out:
        proc = subprocess.Popen([*args, str(workdir / "pgbouncer.ini")], stdout=out, stderr=out)
    wait_for_port("127.0.0.1", port, timeout=15, proc=proc)
    return PgBouncer(proc, f"postgresql+asyncpg://{url.username}@127.0.0.1:{port}/{url.database}", log)
