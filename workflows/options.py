"""Activity options as typed dictionaries, so that ``**OPTIONS`` is checked against the SDK's keyword arguments."""

from __future__ import annotations

from datetime import timedelta
from typing import TypedDict

from temporalio.common import RetryPolicy


class LocalActivityOptions(TypedDict, total=False):
    """Options valid for local activities (and activity tasks)."""

    start_to_close_timeout: timedelta
    retry_policy: RetryPolicy


class ActivityOptions(LocalActivityOptions, total=False):
    """Options of activity tasks."""

    heartbeat_timeout: timedelta
