"""Temporal client and data converter shared by both composition roots, tests and benchmarks.

Where the client connects comes from the SDK's environment configuration (``temporalio.envconfig``): a profile
(``TEMPORAL_PROFILE``, default ``default``) of a TOML file (``TEMPORAL_CONFIG_FILE``, else the SDK's default
location), overridden by the SDK's ``TEMPORAL_*`` variables — ``TEMPORAL_ADDRESS``, ``TEMPORAL_NAMESPACE``,
``TEMPORAL_API_KEY`` (turns TLS on), ``TEMPORAL_TLS``, ``TEMPORAL_TLS_SERVER_CA_CERT_PATH``,
``TEMPORAL_TLS_SERVER_NAME``, ``TEMPORAL_TLS_CLIENT_CERT_PATH`` / ``TEMPORAL_TLS_CLIENT_KEY_PATH`` (mTLS; also
``*_DATA`` with the PEM itself), ``TEMPORAL_GRPC_META_<NAME>``. ``Settings.temporal_address`` (and the namespace
when no profile names one) still apply, so ``TEMPORAL_ADDRESS`` + ``TEMPORAL_NAMESPACE`` work as before.
docs/deploy.md lists them with examples (Temporal Cloud with an API key, a cluster with mTLS).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping
from typing import Any

from temporalio.client import Client
from temporalio.converter import PayloadCodec
from temporalio.envconfig import ClientConfigProfile
from temporalio.runtime import OpenTelemetryConfig, PrometheusConfig, Runtime, TelemetryConfig

from adapters.crypto_codec import AesGcmCodec, codec_from_settings
from adapters.payloads import converter_with, data_converter
from settings import Settings

__all__ = ["connect", "connect_client", "connect_options", "data_converter", "payload_codec"]


def payload_codec(settings: Settings) -> AesGcmCodec | None:
    """The payload encryption codec configured by ``PAYLOAD_KEYS`` / ``PAYLOAD_ACTIVE_KEY``, or ``None``."""
    if settings.payload_keys is None:
        return None
    return codec_from_settings(settings.payload_keys.reveal(), settings.payload_active_key)


def observed_runtime(metrics_bind: str, otlp_metrics_endpoint: str = "") -> Runtime | None:
    """A Temporal runtime exporting the SDK's metrics (and our domain counters) on ``host:port/metrics``, or else
    over OTLP/HTTP to ``otlp_metrics_endpoint`` (``…/v1/metrics``, with ``OTEL_EXPORTER_OTLP_HEADERS``)."""
    if metrics_bind:
        return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=metrics_bind)))
    if otlp_metrics_endpoint:
        from opentelemetry.util.re import parse_env_headers

        raw = os.environ.get("OTEL_EXPORTER_OTLP_METRICS_HEADERS") or os.environ.get("OTEL_EXPORTER_OTLP_HEADERS", "")
        headers = parse_env_headers(raw, liberal=True)
        otlp = OpenTelemetryConfig(url=otlp_metrics_endpoint, headers=headers, http=True, durations_as_seconds=True)
        return Runtime(telemetry=TelemetryConfig(metrics=otlp))
    return None


def connect_options(settings: Settings, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """``Client.connect`` keyword arguments (``target_host``, ``namespace``, ``tls``, ``api_key``,
    ``rpc_metadata``) from the envconfig profile and variables, with ``settings`` applied on top."""
    variables = dict(os.environ if env is None else env)
    profile = ClientConfigProfile.load(override_env_vars=variables)
    options: dict[str, Any] = dict(profile.to_client_connect_config())
    if settings.temporal_address:
        options["target_host"] = settings.temporal_address
    if profile.namespace is None:
        options["namespace"] = settings.temporal_namespace
    if not options.get("target_host"):
        raise RuntimeError("no Temporal address: set TEMPORAL_ADDRESS, or TEMPORAL_PROFILE naming a profile with one")
    return options


async def connect_client(
    settings: Settings,
    *,
    within: float = 60.0,
    traced: bool = False,
    runtime: Runtime | None = None,
    tracer_provider: Any = None,
) -> Client:
    """The composition roots' client; ``traced`` (or a ``tracer_provider``) adds the OpenTelemetry interceptor, so
    one trace runs from the GraphQL operation through the workflow start or update into the workflow and its
    activities (a worker built on this client inherits it)."""
    interceptors: list[Any] = []
    if traced or tracer_provider is not None:
        interceptors.append(tracing_interceptor(tracer_provider))
    options = connect_options(settings)
    return await connect(
        options.pop("target_host"),
        within=within,
        codec=payload_codec(settings),
        interceptors=interceptors,
        runtime=runtime,
        **options,
    )


def tracing_interceptor(tracer_provider: Any = None) -> Any:
    """Temporal's OpenTelemetry interceptor on ``tracer_provider`` (the global one when ``None``)."""
    from opentelemetry import trace
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return TracingInterceptor(trace.get_tracer("temporalio", tracer_provider=tracer_provider))


async def connect(
    address: str,
    *,
    namespace: str = "default",
    within: float = 60.0,
    codec: PayloadCodec | None = None,
    interceptors: list[Any] | None = None,
    runtime: Runtime | None = None,
    **options: Any,
) -> Client:
    """Connect, retrying while a server that is still starting answers 'not healthy yet'.

    With ``codec`` every payload this client (and a worker built on it) writes is encoded by it. ``options`` are
    further ``Client.connect`` arguments (``tls``, ``api_key``, ``rpc_metadata`` from ``connect_options``).
    """
    converter = converter_with(codec)
    deadline = time.monotonic() + within
    while True:
        try:
            return await Client.connect(
                address,
                namespace=namespace,
                data_converter=converter,
                interceptors=interceptors or [],
                runtime=runtime,
                **options,
            )
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
