"""The what-if's port (requests, runs and results in PostgreSQL) and the messages of its small workflow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.waves.what_if import WhatIfParams, WhatIfRequested, WhatIfView


@dataclass(frozen=True, slots=True)
class WhatIfRun:
    """Start input of ``WhatIfWorkflow`` and of its activity."""

    what_if_id: int


@dataclass(frozen=True, slots=True)
class WhatIfOutcome:
    what_if_id: int
    selected: int
    same_as_real: bool
    seconds: float


@dataclass(frozen=True, slots=True)
class WhatIfFailure:
    what_if_id: int
    message: str


class WhatIfDesk(Protocol):
    """What-ifs of decided waves: requested by staff (audited), run by a worker, read back side by side."""

    async def cohorts(self, wave_id: str) -> list[str]:
        """The names of the wave's priority cohorts."""
        ...

    async def request(self, wave_id: str, params: WhatIfParams, *, actor: str, client_key: str) -> WhatIfRequested:
        """Record a what-if (and who asked, in the wave's audit log) once per actor and key."""
        ...

    async def get(self, what_if_id: int) -> WhatIfView | None: ...

    async def of_wave(self, wave_id: str, *, limit: int) -> list[WhatIfView]:
        """The wave's what-ifs, newest first."""
        ...

    async def run(self, what_if_id: int) -> WhatIfOutcome:
        """Run it (once: a finished what-if returns its outcome) and store its comparison with the real result."""
        ...

    async def fail(self, what_if_id: int, message: str) -> None: ...
