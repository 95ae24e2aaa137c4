"""Temporal client and data converter shared by both composition roots, tests and benchmarks."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from temporalio.client import Client
from temporalio.converter import PayloadCodec
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from adapters.crypto_codec import AesGcmCodec, codec_from_settings
from adapters.payloads import converter_with, data_converter
from settings import Settings

__all__ = ["connect", "connect_client", "data_converter", "payload_codec"]


def payload_codec(settings: Settings) -> AesGcmCodec | None:
    """The payload encryption codec configured by ``PAYLOAD_KEYS`` / ``PAYLOAD_ACTIVE_KEY``, or ``None``."""
    if settings.payload_keys is None:
        return None
    return codec_from_settings(settings.payload_keys.reveal(), settings.payload_active_key)


def observed_runtime(metrics_bind: str) -> Runtime | None:
    """A Temporal runtime exporting the SDK's metrics (and our domain counters) on ``host:port/metrics``."""
    if not metrics_bind:
        return None
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=metrics_bind)))


async def connect_client(
    settings: Settings, *, within: float = 60.0, traced: bool = False, runtime: Runtime | None = None
) -> Client:
    """The composition roots' client; ``traced`` adds the OpenTelemetry interceptor, so one trace runs from the
    GraphQL operation through the workflow start or update into the workflow and its activities."""
    interceptors: list[Any] = []
    if traced:
        from temporalio.contrib.opentelemetry import TracingInterceptor

        interceptors.append(TracingInterceptor())
    return await connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        within=within,
        codec=payload_codec(settings),
        interceptors=interceptors,
        runtime=runtime,
    )


async def connect(
    address: str,
    *,
    namespace: str = "default",
    within: float = 60.0,
    codec: PayloadCodec | None = None,
    interceptors: list[Any] | None = None,
    runtime: Runtime | None = None,
) -> Client:
    """Connect, retrying while a server that is still starting answers 'not healthy yet'.

    With ``codec`` every payload this client (and a worker built on it) writes is encoded by it.
    """
    converter = converter_with(codec)
    deadline = time.monotonic() + within
    while True:
        try:
            return await Client.connect(
                address, namespace=namespace, data_converter=converter, interceptors=interceptors or [], runtime=runtime
            )
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
