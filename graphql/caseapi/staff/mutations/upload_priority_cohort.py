"""``uploadPriorityCohort``: a ministry's list of NIKs for a wave, stored only as HMACs."""

from __future__ import annotations

import re
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.staff.national import national_staff
from domain.errors import ErrorCode
from domain.nik import blind_index

MAX_ROWS = 200_000
_NIK = re.compile(r"^[0-9]{16}$")


@strawberry.type(description="What was stored from the uploaded file.")
class CohortUploaded:
    wave_id: str
    cohort: str
    accepted: int
    rejected_lines: list[int] = strawberry.field(description="1-based line numbers that are not a 16-digit NIK.")


UploadCohortResult = Annotated[
    CohortUploaded | e.WaveNotFound | e.WaveNotOpen | e.InvalidArgument | e.NotAuthenticated | e.Forbidden,
    strawberry.union("UploadCohortResult"),
]


async def upload_priority_cohort(info: Info, wave_id: strawberry.ID, cohort: str, niks_file: str) -> UploadCohortResult:
    principal = national_staff(info)
    if not isinstance(principal, Principal):
        return principal
    wave = await info.context.ports.waves.get(str(wave_id))
    if wave is None:
        return e.WaveNotFound(code=ErrorCode.WAVE_NOT_FOUND, message="No wave with that ID.")
    if wave.status not in ("SCHEDULED", "OPEN"):
        return e.WaveNotOpen(code=ErrorCode.WAVE_NOT_OPEN, message="Cohorts are fixed once a wave closes.")
    lines = niks_file.splitlines()
    if not cohort.strip() or len(lines) > MAX_ROWS:
        return e.InvalidArgument(
            code=ErrorCode.INVALID_ARGUMENT, message=f"A cohort name and at most {MAX_ROWS} lines."
        )
    key = info.context.config.blind_index_key
    indexes, rejected = [], []
    for n, line in enumerate(lines, 1):
        value = line.split(",")[0].strip()
        if not value or (n == 1 and value.lower() == "nik"):
            continue  # blank line or header
        if _NIK.fullmatch(value):
            indexes.append(blind_index(value, key))
        else:
            rejected.append(n)
    accepted = await info.context.ports.waves.add_cohort(str(wave_id), cohort.strip(), sorted(set(indexes)))
    return CohortUploaded(
        wave_id=str(wave_id), cohort=cohort.strip(), accepted=accepted, rejected_lines=rejected[:1000]
    )
