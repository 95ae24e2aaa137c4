"""Temporal client and data converter shared by both composition roots, tests and benchmarks."""

from __future__ import annotations

import asyncio
import time

from temporalio.client import Client

from adapters.payloads import data_converter
from settings import Settings

__all__ = ["connect", "connect_client", "data_converter"]


async def connect_client(settings: Settings, *, within: float = 60.0) -> Client:
    return await connect(settings.temporal_address, namespace=settings.temporal_namespace, within=within)


async def connect(address: str, *, namespace: str = "default", within: float = 60.0) -> Client:
    """Connect, retrying while a server that is still starting answers 'not healthy yet'."""
    deadline = time.monotonic() + within
    while True:
        try:
            return await Client.connect(address, namespace=namespace, data_converter=data_converter)
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)
