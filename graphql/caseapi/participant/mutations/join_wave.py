"""``joinWave``: one click to join an open wave for your domicile province (one wave at a time)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.participant.own_case import update_own_case
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.wave_types import WaveHistoryEntry, history_entry
from domain.waves.lifecycle import JoinWaveRequest, WaveEntry
from workflows.participant import ParticipantWorkflow

JoinWaveResult = Annotated[
    WaveHistoryEntry
    | e.WaveNotFound
    | e.WaveNotOpen
    | e.WrongProvince
    | e.AlreadyInWave
    | e.AlreadySelected
    | e.AbilityTestNotPassed
    | e.NotEligible
    | e.NoCaseYet
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("JoinWaveResult"),
]


async def join_wave(info: Info, wave_id: strawberry.ID) -> JoinWaveResult:
    result = await update_own_case(
        info,
        ParticipantWorkflow.join_wave,
        lambda who, _: (JoinWaveRequest(who.subject, str(wave_id)), update_ids.join_wave(who.subject, str(wave_id))),
    )
    return history_entry(result) if isinstance(result, WaveEntry) else result
