"""``createWave``: schedule a wave with its national quota split per province; its workflow opens and closes it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.shared.wave_types import Wave, wave_view
from caseapi.staff.national import national_staff
from domain.errors import ErrorCode, StoreUnavailable
from domain.regions import province_name
from domain.scheme import get_scheme
from domain.waves.lifecycle import WaveInput
from domain.waves.ports import WavePlan
from domain.waves.selection import split_quota
from workflows.wave import WaveWorkflow


@strawberry.input
class ProvinceQuotaInput:
    province_code: str
    quota: int


@strawberry.input(description="Weights (unemployment, COVID cases, vacancies…) to split the national quota.")
class ProvinceWeightInput:
    province_code: str
    weight: float


@strawberry.input
class CreateWaveInput:
    wave_id: str = strawberry.field(description="e.g. G48")
    number: int
    opens_at: dt.datetime
    closes_at: dt.datetime
    scheme_id: str | None = None
    national_quota: int | None = strawberry.field(default=None, description="Required with provinceWeights.")
    province_quotas: list[ProvinceQuotaInput] | None = None
    province_weights: list[ProvinceWeightInput] | None = None


CreateWaveResult = Annotated[
    Wave | e.InvalidArgument | e.WaveExists | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("CreateWaveResult"),
]


def _bad(message: str) -> e.InvalidArgument:
    return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=message)


def _quotas(inp: CreateWaveInput) -> dict[str, int] | e.InvalidArgument:
    if (inp.province_quotas is None) == (inp.province_weights is None):
        return _bad("Give either provinceQuotas or provinceWeights.")
    if inp.province_quotas is not None:
        quotas = {q.province_code: q.quota for q in inp.province_quotas}
        if len(quotas) != len(inp.province_quotas) or any(q < 0 for q in quotas.values()):
            return _bad("Each province once, with a quota of 0 or more.")
        if inp.national_quota is not None and inp.national_quota != sum(quotas.values()):
            return _bad("nationalQuota must equal the sum of provinceQuotas.")
    else:
        assert inp.province_weights is not None
        if inp.national_quota is None or inp.national_quota <= 0:
            return _bad("nationalQuota (> 0) is required with provinceWeights.")
        try:
            quotas = split_quota(inp.national_quota, {w.province_code: w.weight for w in inp.province_weights})
        except ValueError as exc:
            return _bad(str(exc))
    unknown = [p for p in quotas if province_name(p) is None]
    if unknown:
        return _bad(f"Unknown province codes: {', '.join(sorted(unknown))}.")
    return quotas


async def create_wave(info: Info, input: CreateWaveInput) -> CreateWaveResult:
    principal = national_staff(info)
    if not isinstance(principal, Principal):
        return principal
    ctx = info.context
    scheme_id = input.scheme_id or ctx.config.scheme_id
    try:
        get_scheme(scheme_id)
    except KeyError:
        return _bad(f"Unknown scheme {scheme_id}.")
    if not (input.opens_at.tzinfo and input.closes_at.tzinfo) or input.closes_at <= input.opens_at:
        return _bad("opensAt and closesAt need time zones, and closesAt must be after opensAt.")
    if not input.wave_id.strip() or len(input.wave_id) > 20 or input.number <= 0:
        return _bad("waveId (1-20 chars) and a positive number are required.")
    quotas = _quotas(input)
    if isinstance(quotas, e.InvalidArgument):
        return quotas
    plan = WavePlan(input.wave_id, input.number, scheme_id, input.opens_at, input.closes_at, quotas, principal.subject)
    try:
        if not await ctx.ports.waves.create(plan):
            return e.WaveExists(code=ErrorCode.WAVE_EXISTS, message="A wave with that ID or number exists.")
        await ctx.ports.client.start_workflow(
            WaveWorkflow.run,
            WaveInput(plan.wave_id, scheme_id, plan.opens_at, plan.closes_at),
            id=f"wave-{plan.wave_id}",
            task_queue=ctx.config.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        view = await ctx.ports.waves.get(plan.wave_id)
    except StoreUnavailable:
        return e.unavailable("The wave database")
    except RPCError:
        return e.unavailable()  # the wave row exists; repeating createWave starts its workflow
    assert view is not None
    return wave_view(view)
