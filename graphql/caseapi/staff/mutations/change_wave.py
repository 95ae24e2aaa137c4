"""``closeWave`` (early, with a reason) and ``extendWave`` (later closing time, with a reason)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.shared.updates import run_update
from caseapi.shared.wave_types import Wave, wave_view
from caseapi.staff.national import national_staff
from domain.errors import ErrorCode
from domain.waves.lifecycle import CloseWaveRequest, ExtendWaveRequest
from workflows.wave import WaveWorkflow

ChangeWaveResult = Annotated[
    Wave
    | e.WaveNotFound
    | e.WaveNotOpen
    | e.InvalidArgument
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("ChangeWaveResult"),
]


async def _change(info: Info, wave_id: str, update: object, arg: object, update_id: str) -> ChangeWaveResult:
    wave = await info.context.ports.waves.get(wave_id)
    if wave is None:
        return e.WaveNotFound(code=ErrorCode.WAVE_NOT_FOUND, message="No wave with that ID.")
    if wave.status not in ("SCHEDULED", "OPEN"):
        return e.WaveNotOpen(code=ErrorCode.WAVE_NOT_OPEN, message=f"The wave is {wave.status.lower()}.")
    result = await run_update(info.context, f"wave-{wave_id}", update, arg, update_id=update_id)
    if isinstance(result, e.Error):
        return result  # type: ignore[return-value]
    view = await info.context.ports.waves.get(wave_id)
    assert view is not None
    return wave_view(view)


async def close_wave(info: Info, wave_id: strawberry.ID, reason: str) -> ChangeWaveResult:
    principal = national_staff(info)
    if not isinstance(principal, Principal):
        return principal
    req = CloseWaveRequest(actor=principal.subject, reason=reason)
    return await _change(info, str(wave_id), WaveWorkflow.close_now, req, update_ids.close_wave(str(wave_id)))


async def extend_wave(info: Info, wave_id: strawberry.ID, closes_at: dt.datetime, reason: str) -> ChangeWaveResult:
    principal = national_staff(info)
    if not isinstance(principal, Principal):
        return principal
    if closes_at.tzinfo is None:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="closesAt needs a time zone.")
    req = ExtendWaveRequest(actor=principal.subject, reason=reason, closes_at=closes_at)
    return await _change(
        info, str(wave_id), WaveWorkflow.extend, req, update_ids.extend_wave(str(wave_id), closes_at.isoformat())
    )
