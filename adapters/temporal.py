"""Temporal client and data converter shared by both composition roots, tests and benchmarks."""

from __future__ import annotations

from temporalio.client import Client

from adapters.payloads import data_converter
from settings import Settings

__all__ = ["connect_client", "data_converter"]


async def connect_client(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_address, namespace=settings.temporal_namespace, data_converter=data_converter
    )
