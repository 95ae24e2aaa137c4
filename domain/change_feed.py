"""The live change feed behind GraphQL subscriptions (case status changes, staff queue changes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

CASE_CHANGES = "case_changes"
STAFF_QUEUES = "staff_queues"
ROUTING_KEYS = {CASE_CHANGES: "account_id"}
"""The message field a channel's subscribers may be routed by: a participant listens to their own account only,
so a change wakes its one subscriber instead of every open connection."""


class ChangeFeed(Protocol):
    def subscribe(
        self, channel: str, *, key: str | None = None
    ) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]:
        """Messages published on ``channel`` from now on, until the context exits; with ``key``, only those whose
        routing field (``ROUTING_KEYS``) equals it."""
        ...
