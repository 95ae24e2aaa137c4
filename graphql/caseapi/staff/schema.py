"""The staff schema (served at /graphql/staff)."""

from __future__ import annotations

import strawberry

from caseapi.shared.verify_wave import verify_wave_selection
from caseapi.staff.mutations.change_wave import close_wave, extend_wave
from caseapi.staff.mutations.create_wave import create_wave
from caseapi.staff.mutations.upload_priority_cohort import upload_priority_cohort
from caseapi.staff.queries.case import case, case_by_nik
from caseapi.staff.queries.cases import cases
from caseapi.staff.queries.waves import wave, waves


@strawberry.type
class Query:
    case = strawberry.field(resolver=case, description="One case by its ID, within your province scope.")
    case_by_nik = strawberry.field(resolver=case_by_nik, description="One case by NIK (matched by blind index).")
    cases = strawberry.field(resolver=cases, description="Search cases with keyset pagination.")
    waves = strawberry.field(resolver=waves, description="Waves, newest first.")
    wave = strawberry.field(resolver=wave, description="One wave with live per-province counts.")
    verify_wave_selection = strawberry.field(
        resolver=verify_wave_selection, description="Re-run a closed wave's lottery from its revealed seed."
    )


@strawberry.type
class Mutation:
    create_wave = strawberry.mutation(resolver=create_wave, description="Schedule a wave (national staff).")
    close_wave = strawberry.mutation(resolver=close_wave, description="Close an open wave early, with a reason.")
    extend_wave = strawberry.mutation(resolver=extend_wave, description="Move a wave's closing time later.")
    upload_priority_cohort = strawberry.mutation(
        resolver=upload_priority_cohort, description="Priority NIKs for a wave (stored only as HMACs)."
    )
