"""Ports of waves: the wave store (plans, joiners, results, counts) and the set-based selection engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from domain.waves.lifecycle import WaveDecided


@dataclass(frozen=True, slots=True)
class WavePlan:
    """A wave as staff define it."""

    wave_id: str
    number: int
    scheme_id: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    quotas: dict[str, int]
    created_by: str


@dataclass(frozen=True, slots=True)
class ProvinceCount:
    province_code: str
    quota: int
    joined: int
    selected: int
    excluded_at_close: int


@dataclass(frozen=True, slots=True)
class WaveView:
    plan: WavePlan
    status: str
    national_quota: int
    seed_commitment: str | None
    revealed_seed: str | None
    result_digest: str | None
    selected_count: int | None
    closed_at: dt.datetime | None
    decided_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class WakePage:
    """One page of a wave's fan-out: the joiners to wake, and how far the page reached."""

    wake: list[str]
    """Joiners whose workflow is signalled (the selected, and those that learn their result only when woken)."""
    last_case_id: str
    """The last joiner this page covered, woken or not: the next page starts after it."""
    done: bool
    signals: dict[str, WaveDecided] = field(default_factory=dict)
    """What to tell each woken joiner: its result and, when selected, its card (else just the wave)."""


class WaveStore(Protocol):
    """Waves in PostgreSQL: used by the staff API and by wave activities."""

    async def create(self, plan: WavePlan) -> bool:
        """False when a wave with this ID or number exists with a different plan."""
        ...

    async def get(self, wave_id: str) -> WaveView | None: ...

    async def list(self, *, status: str | None = None, province: str | None = None) -> list[WaveView]: ...

    async def counts(self, wave_id: str) -> list[ProvinceCount]: ...

    async def add_cohort(self, wave_id: str, cohort: str, nik_indexes: list[str]) -> int: ...

    async def open(self, wave_id: str, *, seed: str, commitment: str) -> None:
        """Store the secret seed and publish its commitment; status OPEN (idempotent: keeps the first seed)."""
        ...

    async def close(self, wave_id: str, *, actor: str, reason: str) -> None:
        """Status CLOSED; no joiner can be added afterwards (idempotent)."""
        ...

    async def extend(self, wave_id: str, *, closes_at: dt.datetime, actor: str, reason: str) -> None: ...

    async def mark_announced(self, wave_id: str) -> None: ...

    async def register_joiner(
        self, wave_id: str, case_id: str, province_code: str, kk_index: str, *, wake_all: bool = True
    ) -> str:
        """``JOINED`` | ``ALREADY_JOINED`` | ``WAVE_NOT_FOUND`` | ``WAVE_NOT_OPEN`` | ``WRONG_PROVINCE``.

        ``wake_all``: the fan-out wakes this joiner whatever its result (false: only if selected)."""
        ...

    async def result(self, wave_id: str, case_id: str) -> tuple[bool, str, dt.datetime | None] | None:
        """(selected, reason, the wave's decision time) once the wave is decided."""
        ...

    async def joiners_after(self, wave_id: str, after_case_id: str, limit: int) -> list[str]: ...

    async def wake_page(self, wave_id: str, after_case_id: str, limit: int) -> WakePage:
        """The next joiners to wake after ``after_case_id``, up to ``limit`` of them."""
        ...

    async def push_results(self, wave_id: str, after_case_id: str, upto_case_id: str) -> int:
        """Fold the results of the joiners in (after, upto] not selected into their case rows (shown overlaid until
        then), and push their live status in bounded batches; messages sent."""
        ...


class SelectionEngine(Protocol):
    """Runs a wave's lottery set-wise where the joiners are (PostgreSQL), and re-checks it."""

    async def run(self, wave_id: str, *, max_per_kk: int) -> Any:
        """Writes every joiner's verdict and reveals the seed; returns a summary with ``selected`` and ``digest``."""
        ...

    async def verify(self, wave_id: str) -> Any:
        """Recomputes from the revealed seed and the frozen joiners; a report with ``identical``."""
        ...
