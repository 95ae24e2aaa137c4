"""``verifyWaveSelection``: public; recomputes a wave's lottery from its revealed seed and frozen joiners."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.context import Info
from caseapi.shared.wave_types import WaveVerification
from domain.errors import ErrorCode, StoreUnavailable

VerifyResult = Annotated[
    WaveVerification | e.WaveNotFound | e.WaveNotOpen | e.TemporarilyUnavailable, strawberry.union("VerifyWaveResult")
]


async def verify_wave_selection(info: Info, wave_id: strawberry.ID) -> VerifyResult:
    try:
        wave = await info.context.ports.waves.get(str(wave_id))
        if wave is None:
            return e.WaveNotFound(code=ErrorCode.WAVE_NOT_FOUND, message="No wave with that ID.")
        if wave.revealed_seed is None:
            return e.WaveNotOpen(code=ErrorCode.WAVE_NOT_OPEN, message="The seed is revealed after the wave closes.")
        report = await info.context.ports.selection.verify(str(wave_id))
    except StoreUnavailable:
        return e.unavailable("The wave database")
    return WaveVerification(
        wave_id=str(wave_id),
        commitment_ok=bool(report.commitment_ok),
        identical=bool(report.identical),
        recomputed_digest=report.recomputed_digest,
        published_digest=report.published_digest,
        differences=int(report.differences),
    )
