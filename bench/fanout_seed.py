"""What ``bench.fanout`` seeds: participants waiting in a closed wave (their case rows, the wave's joiners, quotas
for one in eight, its seed) and, for ``--workflows selected``, who the domain's rule will select."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.case_store import _row_values
from adapters.db.pii import pii_cipher
from adapters.db.sealed_forms import SealedForms
from adapters.db.tables import cases, wave_quotas, wave_seeds, waves
from domain.ability_test.attempts import AttemptStatus, TestAttempt
from domain.application.form import Address, ApplicationForm, Education, EmploymentStatus, Sex
from domain.case import Stage
from domain.messages import CaseRecord, CaseState
from domain.nik import blind_index
from domain.progress import next_action
from domain.scheme import get_scheme
from domain.waves.lifecycle import WaveEntry
from domain.waves.selection import Joiner, SelectionInput, commitment, select
from settings import Settings

SCHEME = "NORMAL_2023"
FILL_SEARCH_TABLES = (  # what the row triggers on cases would have written
    "INSERT INTO case_waves (wave_id, case_id, province_code, applied_at) "
    "SELECT DISTINCT e ->> 'wave_id', c.case_id, c.province_code, c.applied_at "
    "FROM cases AS c, jsonb_array_elements(c.waves) AS e WHERE c.waves <> '[]'::jsonb",
    "INSERT INTO case_names (token, case_id, province_code, applied_at) "
    "SELECT DISTINCT t, c.case_id, c.province_code, c.applied_at FROM cases AS c, unnest(c.name_tokens) AS t",
)
SELECTED_SHARE = 8  # one in eight selected


def waiting_state(person, wave_id: str, now: dt.datetime, key: bytes) -> CaseState:
    home = Address("Jl. Bench 1", person.province_code, person.regency_code)
    form = ApplicationForm(
        "b@example.id",
        "081234567890",
        person.nik,
        person.kk_number,
        person.date_of_birth,
        person.full_name,
        Sex(person.sex),
        home,
        home,
        Education.SMA,
        EmploymentStatus.JOB_SEEKER,
        "bench",
        True,
    )
    return CaseState(
        case_id=blind_index(person.nik, key),
        scheme_id=SCHEME,
        account_id=f"bench-{uuid.uuid4().hex}",
        stage=Stage.IN_WAVE,
        application=form,
        applied_at=now,
        apply_request_id="bench",
        ability_test=[TestAttempt(1, "bench", (), now, now, AttemptStatus.PASSED, 18, now)],
        waves=[WaveEntry(wave_id, now)],
    )


def _record(s: CaseState) -> CaseRecord:
    assert s.application is not None and s.account_id and s.applied_at
    scheme = get_scheme(s.scheme_id)
    return CaseRecord(
        case_id=s.case_id,
        workflow_id=f"participant-{s.case_id}",
        account_id=s.account_id,
        scheme_id=s.scheme_id,
        stage=s.stage,
        version=s.version,
        application=s.application,
        decisions=(),
        next_action=next_action(s.stage, tuple(s.ability_test), scheme),
        applied_at=s.applied_at,
        updated_at=s.applied_at,
        ability_test=tuple(s.ability_test),
        waves=tuple(s.waves),
    )


def _quotas(states: list[CaseState]) -> dict[str, int]:
    """One in eight of each province's joiners (largest remainders), so that the wave selects n/8 in all."""
    by_province: dict[str, int] = {}
    for s in states:
        assert s.application is not None
        code = s.application.domicile.province_code
        by_province[code] = by_province.get(code, 0) + 1
    total = len(states) // SELECTED_SHARE
    exact = {p: n * total / len(states) for p, n in by_province.items()}
    quotas = {p: int(q) for p, q in exact.items()}
    for p in sorted(exact, key=lambda p: quotas[p] - exact[p])[: total - sum(quotas.values())]:
        quotas[p] += 1
    return quotas


async def seed_rows(
    engine: AsyncEngine, stack_env: dict[str, str], states: list[CaseState], wave_id: str, seed: str
) -> dict[str, int]:
    settings = Settings.from_env(stack_env)
    key = stack_env["CASE_HMAC_KEY"].encode()
    forms = SealedForms(pii_cipher(settings), key)
    now = states[0].applied_at
    quotas = _quotas(states)
    async with engine.begin() as conn:
        await conn.execute(
            insert(waves).values(
                wave_id=wave_id,
                number=int(time.time() * 1000) % 2**31,
                scheme_id=SCHEME,
                opens_at=now,
                closes_at=now,
                status="CLOSED",
                national_quota=sum(quotas.values()),
                created_by="bench",
                seed_commitment=commitment(seed),
            )
        )
        await conn.execute(insert(wave_seeds).values(wave_id=wave_id, seed=seed))
        await conn.execute(
            insert(wave_quotas), [{"wave_id": wave_id, "province_code": p, "quota": q} for p, q in quotas.items()]
        )
    jsonb = {"decisions", "ability_test", "waves", "enrollment", "trainings", "payouts"}
    columns = [c.name for c in cases.c]
    for start in range(0, len(states), 5000):
        records, joiners = [], []
        for s in states[start : start + 5000]:
            assert s.application is not None
            row = _row_values(_record(s), forms) | {"kk_index": blind_index(s.application.kk_number, key)}
            records.append(tuple(json.dumps(row[c]) if c in jsonb and row[c] is not None else row[c] for c in columns))
            joiners.append((wave_id, row["case_id"], row["province_code"], row["kk_index"], False))
        async with engine.begin() as conn:  # COPY with the row triggers off; their search tables filled below
            await conn.execute(text("SET LOCAL session_replication_role = replica"))
            raw = (await conn.get_raw_connection()).driver_connection
            assert raw is not None
            await raw.copy_records_to_table("cases", records=records, columns=columns)
            await raw.copy_records_to_table(
                "wave_joiners", records=joiners, columns=["wave_id", "case_id", "province_code", "kk_index", "wake_all"]
            )
    async with engine.begin() as conn:
        for statement in FILL_SEARCH_TABLES:
            await conn.execute(text(statement))
    async with engine.connect() as conn:
        await conn.execute(text("COMMIT"))
        await conn.execute(text("ANALYZE cases"))
        await conn.execute(text("ANALYZE wave_joiners"))
    return quotas


def to_be_selected(states: list[CaseState], key: bytes, seed: str, quotas: dict[str, int]) -> set[str]:
    """The wave's selected joiners, by the domain's own rule (``domain.waves.selection.select``) that the SQL runs."""
    joiners = []
    for s in states:
        assert s.application is not None
        joiners.append(
            Joiner(s.case_id, s.application.domicile.province_code, blind_index(s.application.kk_number, key))
        )
    inp = SelectionInput(seed, tuple(joiners), quotas, frozenset(), frozenset(), frozenset(), {},
                         get_scheme(SCHEME).max_selected_per_kk)  # fmt: skip
    return {case_id for case_id, v in select(inp).items() if v.selected}
