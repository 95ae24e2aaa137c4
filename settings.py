"""Process configuration: a frozen dataclass read once from the environment and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass


class Secret:
    """Wraps a secret so that it never shows in a repr, a log line or a traceback."""

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    temporal_address: str
    """``TEMPORAL_ADDRESS``; empty when a ``TEMPORAL_PROFILE`` provides it (adapters/temporal.py, envconfig)."""
    temporal_namespace: str
    task_queue: str
    scheme_id: str
    """The scheme new cases are started under (``NORMAL_2023`` or ``SEMI_BANSOS_2020``)."""
    blind_index_key: Secret
    """Server key of the HMAC blind index for NIK/KK (workflow IDs, lookups)."""
    jwt_secret: Secret
    jwt_issuer: str
    dev_mode: bool
    """GraphiQL and introspection on; never in production."""
    http_host: str
    http_port: int
    temporal_ui_url: str
    update_timeout_seconds: float
    four_eyes_ttl_minutes: float
    """How long a four-eyes request waits for a supervisor before it expires."""
    registry_mode: str
    """``fake``: registries backed by the synthetic population (tests, demos). Real HTTP adapters plug in here."""
    notify_mode: str
    """``fake``: an in-process SMS/e-mail gateway that records what it sends (tests, demos)."""
    population_seed: int
    population_size: int
    fake_registry_error_rate: float
    fake_registry_latency_ms: tuple[int, int]
    payment_mode: str
    """``fake``: the in-repo payment partner (banks / e-wallets) with its ledger in PostgreSQL."""
    fake_payment_failure_rate: float
    """Share of transfers the fake partner rejects at random (about 0.4% a day in production, PMO figures reported by
    Kompas, Sep 2020)."""
    drill_kill_at: str
    """Fault drills only: SIGKILL the worker at a named point (see adapters/fault_injection.py)."""
    otel_traces: str
    """``none``, ``console`` or ``file:<path>``: where spans go when no ``OTEL_*`` exporter is configured (the dev
    stack; PII scrubbed). OTLP export reads the standard ``OTEL_*`` variables itself (adapters/telemetry/setup.py)."""
    metrics_bind: str
    """``host:port`` of the worker's Prometheus endpoint (Temporal SDK metrics + domain counters); empty = off."""
    workflow_sandbox: bool
    """Run workflows in the SDK sandbox (``WORKFLOW_SANDBOX=1``); see ``worker.workflow_runner``."""
    payload_keys: Secret | None
    """AES-256 keys of the Temporal payload codec, ``<id>:<base64 32 bytes>,…`` (``PAYLOAD_KEYS``); ``None``: no
    encryption. Keep retired keys listed: histories sealed with them must still decode."""
    payload_active_key: str
    """The key ID new payloads are encrypted with (``PAYLOAD_ACTIVE_KEY``); rotate by adding a key and naming it."""
    pii_keys: Secret
    """AES-256 keys sealing personal data in PostgreSQL (``PII_KEYS``, same format as ``PAYLOAD_KEYS``); required."""
    pii_active_key: str
    """The key ID personal data is sealed with (``PII_ACTIVE_KEY``)."""
    temporal_ui_upstream: str = ""
    """DEV_MODE only: the dev server's own Web UI address (``TEMPORAL_UI_UPSTREAM``), served to signed-in staff
    at ``/temporal`` on the console's origin so its codec calls carry their session (docs/temporal-ui.md)."""
    worker_health_bind: str = ""
    """``host:port`` of the worker's health endpoint (``/livez``, ``/readyz``; adapters/worker_health.py), or off."""
    wave_fanout: str = "signals"
    """``WAVE_FANOUT``: ``signals`` (the wave's fan-out signals the selected page by page) or ``batch`` (a Temporal
    server batch operation per page)."""
    oidc_issuer: str = ""
    """``OIDC_ISSUER``: when set, API tokens are the identity provider's (RS256/ES256, JWKS), not HS256."""
    oidc_jwks_url: str = ""
    """``OIDC_JWKS_URL`` (default ``<issuer>/.well-known/jwks.json``)."""
    oidc_audiences: tuple[tuple[str, str], ...] = ()
    """``OIDC_AUDIENCE_PARTICIPANT`` / ``_STAFF`` / ``_PARTNER`` (defaults ``prakerja:<endpoint>``)."""
    oidc_role_claim: str = "role"
    oidc_provinces_claim: str = "provinces"
    database_pooler: str = ""
    """``DATABASE_POOLER=transaction``: ``DATABASE_URL`` is a pgbouncer in transaction pooling (no prepared-statement
    cache, unique statement names; adapters/db/engine.py)."""
    database_listen_url: str = ""
    """``DATABASE_LISTEN_URL``: a direct connection for the change feed's LISTEN (default ``DATABASE_URL``)."""
    rate_limit_store: str = "postgres"
    """``RATE_LIMIT_STORE``: ``postgres`` (the partner API's buckets shared by every replica) or ``memory``."""
    partner_rate: tuple[float, int] = (50.0, 100)
    """``PARTNER_RATE_LIMIT``: ``<requests per second>,<burst>`` per partner."""
    access_log: bool = False
    """``ACCESS_LOG=1``: uvicorn's access log, one JSON line per request (scrubbed, with the trace ID)."""
    fake_payment_settle_ms: tuple[int, int] | None = None
    """``FAKE_PAYMENT_SETTLE_MS=low,high``: the fake partner accepts transfers and settles them that many ms later
    (asynchronous, adapters/payments/async_settlement.py); unset: it settles at once."""

    @staticmethod
    def from_env(env: dict[str, str] | None = None) -> Settings:
        e = dict(os.environ if env is None else env)
        required = ["DATABASE_URL", "TEMPORAL_ADDRESS", "CASE_HMAC_KEY", "JWT_SECRET", "PII_KEYS", "PII_ACTIVE_KEY"]
        if e.get("TEMPORAL_PROFILE") or e.get("TEMPORAL_CONFIG_FILE"):  # the address may come from the profile
            required.remove("TEMPORAL_ADDRESS")
        missing = [k for k in required if not e.get(k)]
        if missing:
            raise RuntimeError(f"missing required environment variables: {', '.join(missing)}")
        return Settings(
            database_url=e["DATABASE_URL"],
            temporal_address=e.get("TEMPORAL_ADDRESS", ""),
            temporal_namespace=e.get("TEMPORAL_NAMESPACE", "default"),
            task_queue=e.get("TASK_QUEUE", "participants"),
            scheme_id=e.get("PROGRAMME_SCHEME", "NORMAL_2023"),
            blind_index_key=Secret(e["CASE_HMAC_KEY"]),
            jwt_secret=Secret(e["JWT_SECRET"]),
            jwt_issuer=e.get("JWT_ISSUER", "prakerja-cases"),
            dev_mode=e.get("DEV_MODE", "0") == "1",
            http_host=e.get("HTTP_HOST", "127.0.0.1"),
            http_port=int(e.get("HTTP_PORT", "8000")),
            temporal_ui_url=e.get("TEMPORAL_UI_URL", "http://localhost:8233"),
            update_timeout_seconds=float(e.get("UPDATE_TIMEOUT_SECONDS", "10")),
            four_eyes_ttl_minutes=float(e.get("FOUR_EYES_TTL_MINUTES", "1440")),
            registry_mode=e.get("REGISTRY_MODE", "fake"),
            notify_mode=e.get("NOTIFY_MODE", "fake"),
            population_seed=int(e.get("POPULATION_SEED", "2020")),
            population_size=int(e.get("POPULATION_SIZE", "50000")),
            fake_registry_error_rate=float(e.get("FAKE_REGISTRY_ERROR_RATE", "0.01")),
            fake_registry_latency_ms=_pair(e.get("FAKE_REGISTRY_LATENCY_MS", "20,150")),
            workflow_sandbox=e.get("WORKFLOW_SANDBOX", "0") == "1",
            payment_mode=e.get("PAYMENT_MODE", "fake"),
            fake_payment_failure_rate=float(e.get("FAKE_PAYMENT_FAILURE_RATE", "0.004")),
            drill_kill_at=e.get("DRILL_KILL_AT", ""),
            otel_traces=e.get("OTEL_TRACES", "none"),
            metrics_bind=e.get("METRICS_BIND", ""),
            payload_keys=Secret(e["PAYLOAD_KEYS"]) if e.get("PAYLOAD_KEYS") else None,
            payload_active_key=e.get("PAYLOAD_ACTIVE_KEY", ""),
            pii_keys=Secret(e["PII_KEYS"]),
            pii_active_key=e["PII_ACTIVE_KEY"],
            temporal_ui_upstream=e.get("TEMPORAL_UI_UPSTREAM", ""),
            worker_health_bind=e.get("WORKER_HEALTH_BIND", ""),
            wave_fanout=e.get("WAVE_FANOUT", "signals"),
            oidc_issuer=e.get("OIDC_ISSUER", ""),
            oidc_jwks_url=e.get("OIDC_JWKS_URL", "") or _jwks_default(e.get("OIDC_ISSUER", "")),
            oidc_audiences=tuple(
                (name, e.get(f"OIDC_AUDIENCE_{name.upper()}", f"prakerja:{name}"))
                for name in ("participant", "staff", "partner")
            ),
            oidc_role_claim=e.get("OIDC_ROLE_CLAIM", "role"),
            oidc_provinces_claim=e.get("OIDC_PROVINCES_CLAIM", "provinces"),
            database_pooler=e.get("DATABASE_POOLER", ""),
            database_listen_url=e.get("DATABASE_LISTEN_URL", ""),
            rate_limit_store=e.get("RATE_LIMIT_STORE", "postgres"),
            partner_rate=_rate(e.get("PARTNER_RATE_LIMIT", "50,100")),
            access_log=e.get("ACCESS_LOG", "0") == "1",
            fake_payment_settle_ms=_pair(e["FAKE_PAYMENT_SETTLE_MS"]) if e.get("FAKE_PAYMENT_SETTLE_MS") else None,
        )


def _jwks_default(issuer: str) -> str:
    return f"{issuer.rstrip('/')}/.well-known/jwks.json" if issuer else ""


def _rate(text: str) -> tuple[float, int]:
    rate, burst = text.split(",")
    return float(rate), int(burst)


def _pair(text: str) -> tuple[int, int]:
    low, high = (int(x) for x in text.split(","))
    return low, high
