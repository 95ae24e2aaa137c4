"""How the payouts stage calls the payment partner: timeouts and retries of the account check and the transfer."""

from __future__ import annotations

from datetime import timedelta

from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.options import LocalActivityOptions

PAY_CALL: LocalActivityOptions = {
    # Short, so a transfer whose worker died is retried quickly; the retry asks the partner for the key first.
    "start_to_close_timeout": timedelta(seconds=10),
    "retry_policy": RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30)),
}
PAY_LOCALLY: LocalActivityOptions = {
    # A few quick tries inside the workflow task; a partner that stays unreachable is retried by the tranche's
    # own durable timer (``payout_retry_after``) with the same key, so an outage adds no events per retry.
    "start_to_close_timeout": timedelta(seconds=10),
    "retry_policy": RetryPolicy(initial_interval=timedelta(milliseconds=500), maximum_attempts=3),
}
LOCAL_ACTIVITY_FAILED = (ActivityError, ApplicationError)
"""What a local activity that ran out of tries raises: the activity's own ``ApplicationError``, unwrapped (only
activity tasks arrive wrapped in ``ActivityError``)."""
ACCOUNT_CHECK: LocalActivityOptions = {
    "start_to_close_timeout": timedelta(seconds=5),
    "retry_policy": RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=3),
}
