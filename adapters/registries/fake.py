"""Fake government registries over a synthetic ``Population`` that behave like the real services.

Each lookup costs a random latency; attempts fail transiently (HTTP 503) or hang past the timeout with
configurable rates, and the adapter retries with exponential backoff before answering ``UNAVAILABLE``.
Setting ``outage`` makes every lookup ``UNAVAILABLE`` until it is cleared. The programme's own
registry (``Registry.PROGRAMME``) lives in PostgreSQL and is not faked here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from typing import Any

from adapters.registries.population import Population
from domain.application.registries import Answer, CivilRecord, PersonQuery, Registry, RegistryAnswer

FAKED = (Registry.DUKCAPIL, Registry.EDUCATION, Registry.OCCUPATION, Registry.SOCIAL_AID)
MAX_SIMULATED_HANG = 0.25
"""A simulated hang costs ``min(timeout, MAX_SIMULATED_HANG)`` seconds, so large timeouts stay cheap."""
BACKOFF = 0.01
"""First retry delay in seconds; doubles on each further retry."""


class _Transient(Exception):
    """One failed attempt that is worth retrying."""


class FakeRegistry:
    """One registry (``RegistryPort``) answering from the population."""

    def __init__(
        self,
        registry: Registry,
        population: Population,
        *,
        latency: tuple[float, float] = (0.005, 0.03),
        error_rate: float = 0.0,
        timeout_rate: float = 0.0,
        timeout: float = 2.0,
        retries: int = 2,
        seed: int = 0,
    ) -> None:
        if registry not in FAKED:
            raise ValueError(f"{registry} is not faked (the programme registry lives in PostgreSQL)")
        if not 0 <= latency[0] <= latency[1]:
            raise ValueError("latency must be (low, high) with 0 <= low <= high")
        self.registry = registry
        self.population = population
        self.latency = latency
        self.error_rate = error_rate
        self.timeout_rate = timeout_rate
        self.timeout = timeout
        self.retries = retries
        self.outage = False
        """While True every lookup answers UNAVAILABLE at once."""
        self.calls = 0
        """Lookups made (each counts once, however many attempts it took)."""
        self._rng = random.Random(seed)

    async def lookup(self, query: PersonQuery) -> RegistryAnswer:
        self.calls += 1
        attempts = self.retries + 1
        failure = ""
        for attempt in range(attempts):
            if self.outage:
                return self._answer(Answer.UNAVAILABLE, detail="outage")
            if attempt:
                await asyncio.sleep(BACKOFF * 2 ** (attempt - 1))
            try:
                return await self._attempt(query)
            except _Transient as exc:
                failure = str(exc)
        if failure == "HTTP 503":
            return self._answer(Answer.UNAVAILABLE, detail=f"HTTP 503 after {attempts} attempts")
        return self._answer(Answer.UNAVAILABLE, detail=f"{failure} ({attempts} attempts)")

    async def _attempt(self, query: PersonQuery) -> RegistryAnswer:
        rand = self._rng.random
        if rand() < self.timeout_rate:
            await asyncio.sleep(min(self.timeout, MAX_SIMULATED_HANG))
            raise _Transient(f"timeout after {self.timeout}s")
        delay = self._rng.uniform(*self.latency)
        if delay > self.timeout:
            await asyncio.sleep(min(self.timeout, MAX_SIMULATED_HANG))
            raise _Transient(f"timeout after {self.timeout}s")
        await asyncio.sleep(delay)
        if rand() < self.error_rate:
            raise _Transient("HTTP 503")
        return self._fact(query)

    def _fact(self, query: PersonQuery) -> RegistryAnswer:
        person = self.population.by_nik(query.nik)
        if person is None:
            return self._answer(Answer.NOT_FOUND)
        if self.registry is Registry.DUKCAPIL:
            civil = CivilRecord(
                nik=person.nik,
                kk_number=person.kk_number,
                full_name=person.full_name,
                date_of_birth=person.date_of_birth,
                sex=person.sex,
                alive=person.alive,
            )
            return self._answer(Answer.FOUND, civil=civil)
        codes = person.codes(self.registry)
        if not codes:
            return self._answer(Answer.NOT_FOUND)
        return self._answer(Answer.FOUND, memberships=codes)

    def _answer(self, answer: Answer, **fields: Any) -> RegistryAnswer:
        return RegistryAnswer(registry=self.registry, answer=answer, checked_at=dt.datetime.now(dt.UTC), **fields)

    def __repr__(self) -> str:
        return f"FakeRegistry({self.registry}, outage={self.outage}, calls={self.calls})"


def fake_registries(population: Population, **kwargs: Any) -> list[FakeRegistry]:
    """Dukcapil, education, occupation and social-aid fakes, each with its own random stream."""
    seed = kwargs.pop("seed", 0)
    return [FakeRegistry(registry, population, seed=seed + i, **kwargs) for i, registry in enumerate(FAKED)]
