"""What-if activities: run a what-if set-based in PostgreSQL (minutes for a national wave, heartbeating), or record
why it could not run."""

from __future__ import annotations

import asyncio

from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.waves.what_if_ports import WhatIfDesk, WhatIfFailure, WhatIfOutcome, WhatIfRun

HEARTBEAT_EVERY = 5.0


class WhatIfActivities:
    def __init__(self, desk: WhatIfDesk) -> None:
        self._desk = desk

    @activity.defn
    async def run_what_if(self, inp: WhatIfRun) -> WhatIfOutcome:
        # Long SQL statements: heartbeats while they run, so that a worker that dies meanwhile is noticed within the
        # heartbeat timeout; the run is one transaction, so the next attempt starts clean (or finds it done).
        beating = asyncio.create_task(_heartbeat_every(HEARTBEAT_EVERY))
        try:
            outcome = await self._desk.run(inp.what_if_id)
        except LookupError as exc:  # no such what-if, or its wave is not decided: trying again cannot help
            raise ApplicationError(str(exc), type="WhatIfNotRunnable", non_retryable=True) from exc
        finally:
            beating.cancel()
        activity.logger.info("what-if %d: %d selected in %.1f s", inp.what_if_id, outcome.selected, outcome.seconds)
        return outcome

    @activity.defn
    async def fail_what_if(self, inp: WhatIfFailure) -> None:
        await self._desk.fail(inp.what_if_id, inp.message)


async def _heartbeat_every(seconds: float) -> None:
    while True:
        activity.heartbeat()
        await asyncio.sleep(seconds)
