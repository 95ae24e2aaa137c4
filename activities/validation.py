"""Registry checks: every needed registry is asked concurrently inside one activity.

One activity (not one per registry) keeps the history small; an unavailable registry is reported,
not raised, so the workflow keeps the definitive answers and re-asks only the missing ones.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from temporalio import activity

from domain.application.messages import CheckRegistriesInput, CheckRegistriesResult
from domain.application.registries import Answer, PersonQuery, Registry, RegistryAnswer, RegistryPort
from domain.nik import blind_index


class ValidationActivities:
    def __init__(self, registries: list[RegistryPort], *, blind_key: bytes, call_timeout: float = 10.0) -> None:
        self._registries = {r.registry: r for r in registries}
        self._key = blind_key
        self._timeout = call_timeout

    @activity.defn
    async def check_registries(self, inp: CheckRegistriesInput) -> CheckRegistriesResult:
        query = PersonQuery(
            nik=inp.nik,
            kk_number=inp.kk_number,
            case_id=inp.case_id,
            kk_index=blind_index(inp.kk_number, self._key),
        )
        answers = await asyncio.gather(*(self._ask(r, query) for r in inp.registries))
        down = [a.registry.value for a in answers if a.answer is Answer.UNAVAILABLE]
        if down:
            activity.logger.warning("registries unavailable for case %s: %s", inp.case_id[:12], ",".join(down))
        return CheckRegistriesResult(answers=tuple(answers))

    async def _ask(self, registry: Registry, query: PersonQuery) -> RegistryAnswer:
        port = self._registries.get(registry)
        if port is None:
            return _unavailable(registry, "no adapter configured")
        try:
            return await asyncio.wait_for(port.lookup(query), timeout=self._timeout)
        except TimeoutError:
            return _unavailable(registry, f"no answer within {self._timeout:.0f}s")
        except Exception as exc:  # an adapter bug must not become an ineligibility
            activity.logger.exception("registry %s failed", registry.value)
            return _unavailable(registry, type(exc).__name__)


def _unavailable(registry: Registry, detail: str) -> RegistryAnswer:
    return RegistryAnswer(registry, Answer.UNAVAILABLE, dt.datetime.now(dt.UTC), detail=detail)
