"""``python -m devstack up``: the whole service on one machine; Ctrl-C stops it, running it again resumes.

Embedded Temporal dev server and PostgreSQL unless ``TEMPORAL_ADDRESS`` / ``DATABASE_URL`` are set.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from adapters.db.migrate import upgrade
from devstack.embedded import port_open, start_postgres, start_temporal, wait_for_port
from devstack.secrets import dev_secrets
from devstack.supervise import Supervised

ROOT = Path(__file__).resolve().parent.parent


def up(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir).resolve()
    env = dict(os.environ)
    for key, value in dev_secrets(data_dir).items():
        env.setdefault(key, value)
    env.setdefault("DEV_MODE", "1")
    env.setdefault("HTTP_PORT", str(args.http_port))
    env.setdefault("OTEL_TRACES", f"file:{data_dir / 'traces.jsonl'}")
    if "METRICS_BIND" not in env and not port_open("127.0.0.1", 9464):
        env["METRICS_BIND"] = "127.0.0.1:9464"
    stoppers = []
    children: list[Supervised] = []
    stop_requested = False

    def request_stop(*_: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        if not env.get("DATABASE_URL"):
            pg = start_postgres(data_dir / "pg")
            stoppers.append(pg.stop)
            env["DATABASE_URL"] = pg.url
            print(f"postgres  embedded at {data_dir / 'pg'}", flush=True)
        if not env.get("TEMPORAL_ADDRESS"):
            # The UI is served to signed-in staff at <console>/temporal; its relative codec endpoint is then the
            # console's /codec, called with the staff session cookie (docs/temporal-ui.md).
            tmp = start_temporal(
                data_dir / "temporal",
                port=args.temporal_port,
                ui_port=args.ui_port,
                extra_args=("--ui-public-path", "/temporal", "--ui-codec-endpoint", "/codec"),
            )
            stoppers.append(tmp.stop)
            env["TEMPORAL_ADDRESS"] = tmp.address
            env.setdefault("TEMPORAL_UI_UPSTREAM", f"http://127.0.0.1:{args.ui_port}")
            env.setdefault("TEMPORAL_UI_URL", f"http://localhost:{env['HTTP_PORT']}/temporal")
            print(f"temporal  {tmp.address}  Web UI {env['TEMPORAL_UI_URL']} (staff, decoded)", flush=True)
        # Migration 0012 seals personal data already stored with these keys.
        os.environ.update({k: env[k] for k in ("CASE_HMAC_KEY", "PII_KEYS", "PII_ACTIVE_KEY")})
        upgrade(env["DATABASE_URL"])
        print("migrations applied", flush=True)
        if env.get("DEV_MODE") == "1" and env.get("PAYMENT_MODE", "fake") == "fake":
            opened = open_accounts(env, args.demo_participants)
            print(f"accounts  {opened} new demo payout accounts at the fake partner (python -m devstack people)")
        for name, module in (("worker", "worker.py"), ("server", "server.py")):
            children.append(Supervised(name, [sys.executable, str(ROOT / module)], env=env, cwd=ROOT))
            children[-1].start()
        wait_for_port("127.0.0.1", int(env["HTTP_PORT"]), timeout=60, proc=children[-1].proc)
        base = f"http://127.0.0.1:{env['HTTP_PORT']}"
        print(f"graphql   {base}/graphql/participant  {base}/graphql/staff  {base}/graphql/partner", flush=True)
        print("tokens    python -m devstack token participant|staff|partner", flush=True)
        print(f"traces    {env['OTEL_TRACES']} (JSON lines, PII scrubbed)", flush=True)
        metrics = env.get("METRICS_BIND")
        print(f"metrics   {'http://' + metrics + '/metrics' if metrics else 'off (port 9464 busy)'}", flush=True)
        print("logs      JSON lines with trace_id on the worker's and server's stderr", flush=True)
        print(f"console   {base}/  (dev sign-in on the first screen)", flush=True)
        print("ready; Ctrl-C stops everything (a worker or server that exits is restarted)", flush=True)
        demo = None
        if args.demo:  # seeds over the API while the service runs; its end is not a reason to stop
            demo_args = ["--participants", str(args.demo_participants)]
            demo = subprocess.Popen([sys.executable, "-m", "devstack.demo", *demo_args], env=env, cwd=ROOT)
            stoppers.append(lambda: demo.poll() is None and demo.terminate())
        while not stop_requested:
            for child in children:
                child.tick()
            time.sleep(0.3)
        return 0
    finally:
        for child in reversed(children):
            if child.proc is not None and child.proc.poll() is None:
                child.proc.send_signal(signal.SIGTERM)
        for child in reversed(children):
            child.stop()
        for stop in reversed(stoppers):
            stop()
        print("stopped", flush=True)


def open_accounts(env: dict[str, str], demo_participants: int) -> int:
    """Payout accounts at the fake partner for the people ``devstack people`` lists and the demo participants."""
    from devstack.demo import demo_people
    from devstack.people import open_demo_accounts, population_from_env, samples

    population = population_from_env(env)
    people = [s.person for s in samples(population, today=dt.date.today())]
    people += demo_people(population, demo_participants)
    return asyncio.run(open_demo_accounts(env["DATABASE_URL"], people))


def people(args: argparse.Namespace) -> int:
    from devstack.people import print_people

    return print_people(as_json_output=args.json, eligible=args.eligible)


def token(args: argparse.Namespace) -> int:
    from caseapi.shared.auth import Role, mint_token

    data_dir = Path(args.data_dir).resolve()
    secret = os.environ.get("JWT_SECRET") or dev_secrets(data_dir)["JWT_SECRET"]
    issuer = os.environ.get("JWT_ISSUER", "prakerja-cases")
    role = Role(args.role)
    staff_side = (Role.STAFF, Role.SUPERVISOR, Role.ASSESSOR, Role.MONITOR)
    endpoint = "staff" if role in staff_side else role.value
    extra: dict[str, object] = {}
    if role in (Role.ASSESSOR, Role.MONITOR):
        extra["body"] = args.body
    if role in (Role.STAFF, Role.SUPERVISOR):
        extra["provinces"] = args.provinces.split(",") if args.provinces else ["*"]
    if role is Role.PARTNER:
        extra["client_code"] = args.subject
        extra["partner_type"] = args.partner_type
    print(mint_token(secret=secret, issuer=issuer, endpoint=endpoint, subject=args.subject, role=role, **extra))
    return 0


def sandbox(args: argparse.Namespace) -> int:
    import asyncio
    import json

    from adapters.db.engine import make_engine
    from devstack.sandbox import provision

    url = os.environ.get("DATABASE_URL")
    if not url:
        url = start_postgres(Path(args.data_dir).resolve() / "pg").url
        upgrade(url)

    async def run() -> dict[str, object]:
        engine = make_engine(url)
        try:
            return await provision(engine, args.lp, args.dp)
        finally:
            await engine.dispose()

    print(json.dumps(asyncio.run(run()), indent=2))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="devstack")
    parser.add_argument("--data-dir", default=os.environ.get("DATA_DIR", str(ROOT / ".data")))
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_up = sub.add_parser("up", help="run the whole service")
    p_up.add_argument("--http-port", type=int, default=int(os.environ.get("HTTP_PORT", "8000")))
    p_up.add_argument("--temporal-port", type=int, default=7233)
    p_up.add_argument("--ui-port", type=int, default=8233)
    p_up.add_argument("--demo", action="store_true", help="seed a synthetic population and run a wave")
    p_up.add_argument("--demo-participants", type=int, default=int(os.environ.get("DEMO_PARTICIPANTS", "200")))
    p_up.set_defaults(func=up)
    p_people = sub.add_parser("people", help="list people the fake registries know (eligible and ineligible)")
    p_people.add_argument("--json", action="store_true", help="JSON with each person's apply input")
    p_people.add_argument("--eligible", type=int, default=5, help="how many eligible people (default 5)")
    p_people.set_defaults(func=people)
    p_tok = sub.add_parser("token", help="mint a development bearer token")
    p_tok.add_argument("role", choices=["participant", "staff", "supervisor", "partner", "assessor", "monitor"])
    p_tok.add_argument("--subject", default="demo-user-1")
    p_tok.add_argument("--provinces", default="", help="staff scope, e.g. 32,33 (default: national)")
    p_tok.add_argument("--partner-type", default="DIGITAL_PLATFORM")
    p_tok.add_argument("--body", default="UI", help="assessor or monitor: the quality body (registerQualityBody)")
    p_tok.set_defaults(func=token)
    p_sbx = sub.add_parser("sandbox", help="sandbox partner credentials and PRAT- test codes (printed as JSON)")
    p_sbx.add_argument("--lp", default="LPK-SANDBOX", help="training provider client code")
    p_sbx.add_argument("--dp", default="DP-SANDBOX", help="digital platform client code")
    p_sbx.set_defaults(func=sandbox)
    args = parser.parse_args()
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
