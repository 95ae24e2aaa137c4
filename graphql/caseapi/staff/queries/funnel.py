"""``funnel(waveId, provinceCode)``: how many cases reached each programme step, within the caller's scope.

Staff scoped to provinces see their provinces together, or one of them; a province outside the scope is refused.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from domain import funnel as f
from domain.errors import ErrorCode, StoreUnavailable
from domain.regions import province_name

FunnelStep = strawberry.enum(f.FunnelStep, description="A programme step, registered to paid, in order.")


@strawberry.type(description="Cases that reached one programme step.")
class FunnelStepCount:
    step: FunnelStep
    count: int


@strawberry.type(description="The programme funnel for a wave and/or a province (or your whole scope).")
class Funnel:
    wave_id: str | None
    province_code: str | None = strawberry.field(description="Null: every province of your scope.")
    steps: list[FunnelStepCount] = strawberry.field(description="In programme order, registered first.")

    @strawberry.field
    def province_name(self) -> str | None:
        return province_name(self.province_code) if self.province_code else None


FunnelResult = Annotated[
    Funnel | e.WaveNotFound | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("FunnelResult"),
]


def _scope(principal: Principal, province_code: str | None) -> tuple[str, ...] | e.InvalidArgument | e.Forbidden | None:
    if province_code is None:
        return principal.provinces
    if province_name(province_code) is None:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=f"provinceCode {province_code!r} is unknown.")
    if not principal.covers(province_code):
        return e.forbidden("That province is outside your scope.")
    return (province_code,)


async def funnel(info: Info, wave_id: strawberry.ID | None = None, province_code: str | None = None) -> FunnelResult:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    provinces = _scope(principal, province_code.strip() if province_code else None)
    if isinstance(provinces, e.InvalidArgument | e.Forbidden):
        return provinces
    wave = str(wave_id) if wave_id else None
    try:
        if wave is not None and await info.context.ports.waves.get(wave) is None:
            return e.WaveNotFound(code=ErrorCode.WAVE_NOT_FOUND, message="No wave with that ID.")
        counts = await info.context.ports.reader.funnel(f.FunnelQuery(wave_id=wave, province_codes=provinces))
    except StoreUnavailable:
        return e.unavailable("The case database")
    return Funnel(
        wave_id=wave,
        province_code=province_code.strip() if province_code else None,
        steps=[FunnelStepCount(step=step, count=n) for step, n in counts.ordered()],
    )
