"""The live change feed behind GraphQL subscriptions (case status changes, staff queue changes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

CASE_CHANGES = "case_changes"
STAFF_QUEUES = "staff_queues"


class ChangeFeed(Protocol):
    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        """Messages published on ``channel`` from now on, until the context exits."""
        ...
