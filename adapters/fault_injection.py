"""Fault drills: hooks that SIGKILL this worker process at a named point (set by ``DRILL_KILL_AT``).

Points: ``after_claim`` / ``after_transfer`` (a payment activity, via the activities' fault hook),
``signal:<name>`` (while a workflow task runs that signal's handler) and ``update:<name>`` (inside an Update
handler, after its validator accepted it). Nothing is armed unless the variable is set; the process dies at the
first point it reaches, the way a crashed or OOM-killed worker would, with no cleanup.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from typing import Any

from temporalio.worker import (
    HandleSignalInput,
    HandleUpdateInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)


def die(point: str) -> None:
    logging.warning("drill: killing the worker at %s", point)
    os.kill(os.getpid(), signal.SIGKILL)


def kill_switch(point: str) -> Callable[[str], None] | None:
    """The activities' fault hook for payment points (``after_claim``, ``after_transfer``)."""
    if not point or ":" in point:
        return None

    def hook(reached: str) -> None:
        if reached == point:
            die(point)

    return hook


class KillInWorkflowTask(Interceptor):
    """Kills the worker while a workflow task handles ``signal:<name>`` or runs the Update handler ``update:<name>``."""

    def __init__(self, point: str) -> None:
        self.kind, _, self.name = point.partition(":")

    def workflow_interceptor_class(self, input: WorkflowInterceptorClassInput) -> type[WorkflowInboundInterceptor]:
        kind, name = self.kind, self.name

        class Inbound(WorkflowInboundInterceptor):
            async def handle_signal(self, input: HandleSignalInput) -> None:
                if kind == "signal" and input.signal == name:
                    die(f"signal:{name}")
                await super().handle_signal(input)

            async def handle_update_handler(self, input: HandleUpdateInput) -> Any:
                if kind == "update" and input.update == name:
                    die(f"update:{name}")
                return await super().handle_update_handler(input)

        return Inbound


def workflow_killers(point: str) -> list[Interceptor]:
    return [KillInWorkflowTask(point)] if point.startswith(("signal:", "update:")) else []
