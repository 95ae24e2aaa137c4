"""``openWaves``: waves open now for the participant's domicile province."""

from __future__ import annotations

from caseapi.participant.own_case import own_case
from caseapi.shared.context import Info
from caseapi.shared.wave_types import Wave, wave_view


async def open_waves(info: Info) -> list[Wave]:
    found = await own_case(info)
    if not isinstance(found, tuple):
        return []
    province = found[1].application.domicile.province_code
    return [wave_view(v) for v in await info.context.ports.waves.list(status="OPEN", province=province)]
