"""A wave's results overlaid on the read model (issue 26): the selection does not rewrite its joiners' case rows, yet
every read path shows the result from its commit: the case (``myCase``, the staff view), staff search by stage, the
funnel. The fan-out folds the not-selected into their rows later, writing what the overlay showed. A projection
written just before the selection's commit (the case still ``IN_WAVE``) and landing after it, or after the fold,
cannot hide the result (the race of issue 26, reproduced by ordering the writes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import secrets
import time
import uuid

from sqlalchemy import text

from adapters.db.selection import PgSelection
from adapters.db.wave_announce import push_range
from domain.ability_test.attempts import AttemptStatus
from domain.ability_test.attempts import TestAttempt as Attempt
from domain.application.form import Address, ApplicationForm, Education, EmploymentStatus, Sex
from domain.case import Stage
from domain.funnel import FunnelQuery, FunnelStep
from domain.messages import CaseRecord
from domain.nik import blind_index
from domain.ports import CaseFilter
from domain.progress import next_action
from domain.scheme import get_scheme
from domain.waves.lifecycle import WaveEntry
from domain.waves.selection import commitment

# Province 96 (Papua Barat Daya) is used by these tests only.
PROVINCE = "96"
_T = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
_PASSED = (Attempt(1, "Q", (), _T, _T, AttemptStatus.PASSED, 18, _T),)


async def _waiting(stack, wave_id: str, n: int) -> list[CaseRecord]:
    """``n`` cases waiting in ``wave_id`` (stage ``IN_WAVE``, the wave undecided), each its own household."""
    key = stack.settings.blind_index_key.reveal().encode()
    made = []
    for _ in range(n):
        nik = f"{PROVINCE}01{random.randrange(10**11, 10**12)}"
        home = Address("Jl. Sorong 1", PROVINCE, f"{PROVINCE}.01")
        form = ApplicationForm(
            "p@example.id", "081234567890", nik, f"{PROVINCE}02{random.randrange(10**11, 10**12)}",
            dt.date(1997, 5, 6), "Yosina Kambuaya", Sex.F, home, home, Education.SMA, EmploymentStatus.JOB_SEEKER,
            "ikan", True,
        )  # fmt: skip
        case_id = blind_index(nik, key)
        scheme = get_scheme("NORMAL_2023")
        record = CaseRecord(
            case_id, f"participant-{case_id}", f"acct-{uuid.uuid4().hex[:12]}", scheme.id, Stage.IN_WAVE, 1, form,
            (), next_action(Stage.IN_WAVE, _PASSED, scheme), _T + dt.timedelta(seconds=random.randrange(10**6)), _T,
            ability_test=_PASSED, waves=(WaveEntry(wave_id, _T),),
        )  # fmt: skip
        assert await stack.store.register(record) == "REGISTERED"
        made.append(record)
    return made


async def _closed_wave(stack, wave_id: str, records: list[CaseRecord], quota: int) -> None:
    seed = secrets.token_hex(32)
    key = stack.settings.blind_index_key.reveal().encode()
    async with stack.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO waves (wave_id, number, scheme_id, opens_at, closes_at, status, national_quota,"
                " seed_commitment, created_by) VALUES (:w, :n, 'NORMAL_2023', :t, :t, 'CLOSED', :q, :c, 'test')"
            ),
            {"w": wave_id, "n": random.randrange(10**8, 2**31 - 1), "t": _T, "q": quota, "c": commitment(seed)},
        )
        await conn.execute(text("INSERT INTO wave_seeds (wave_id, seed) VALUES (:w, :s)"), {"w": wave_id, "s": seed})
        await conn.execute(
            text("INSERT INTO wave_quotas (wave_id, province_code, quota) VALUES (:w, :p, :q)"),
            {"w": wave_id, "p": PROVINCE, "q": quota},
        )
        for r in records:
            await conn.execute(
                text(
                    "INSERT INTO wave_joiners (wave_id, case_id, province_code, kk_index, wake_all)"
                    " VALUES (:w, :c, :p, :k, false)"
                ),
                {"w": wave_id, "c": r.case_id, "p": PROVINCE, "k": blind_index(r.application.kk_number, key)},
            )


async def _stored_stages(stack, ids: list[str]) -> set[str]:
    async with stack.engine.connect() as conn:
        rows = await conn.execute(text("SELECT stage FROM cases WHERE case_id = ANY(:ids)"), {"ids": ids})
        return {r[0] for r in rows}


async def _found(stack, flt: CaseFilter) -> set[str]:
    found, after = set(), None
    while True:
        page = await stack.store.search(flt, first=3, after=after)  # small pages: the merged reads are paged too
        found |= {r.case_id for r in page.records}
        if not page.has_next_page:
            return found
        after = page.end_cursor


async def test_every_read_path_shows_the_result_from_the_selections_commit(stack):
    wave_id = f"G-OVL-{uuid.uuid4().hex[:8]}"
    records = await _waiting(stack, wave_id, 12)
    await _closed_wave(stack, wave_id, records, quota=4)
    await PgSelection(stack.engine).run(wave_id, max_per_kk=2)
    ids = [r.case_id for r in records]
    async with stack.engine.connect() as conn:
        results = dict((await conn.execute(text(
            "SELECT case_id, selected FROM wave_results WHERE wave_id = :w"), {"w": wave_id})).all())  # fmt: skip
        decided_at = await conn.scalar(text("SELECT decided_at FROM waves WHERE wave_id = :w"), {"w": wave_id})
    chosen = {c for c, s in results.items() if s}
    assert len(chosen) == 4 and set(results) == set(ids)
    assert await _stored_stages(stack, ids) == {"IN_WAVE"}  # no case row was rewritten

    for r in records:
        shown = await stack.store.by_id(r.case_id)
        assert shown is not None and await stack.store.by_account(r.account_id) == shown
        selected = r.case_id in chosen
        assert shown.stage is (Stage.SELECTED if selected else Stage.ELIGIBLE)
        assert shown.waves[-1].outcome == ("SELECTED" if selected else "NOT_SELECTED")
        assert shown.waves[-1].reason == ("SELECTED_LOTTERY" if selected else "NOT_SELECTED_QUOTA")
        assert shown.waves[-1].decided_at == decided_at
        assert [d.kind for d in shown.decisions] == ["WAVE_SELECTION"] and shown.decisions[0].decided_at == decided_at
        assert shown.next_action == next_action(shown.stage, _PASSED, get_scheme("NORMAL_2023"))

    in_wave = CaseFilter(wave_id=wave_id)
    assert await _found(stack, dataclasses.replace(in_wave, stage=Stage.SELECTED)) == chosen
    assert await _found(stack, dataclasses.replace(in_wave, stage=Stage.ELIGIBLE)) == set(ids) - chosen
    assert await _found(stack, dataclasses.replace(in_wave, stage=Stage.IN_WAVE)) == set()
    here = CaseFilter(province_codes=(PROVINCE,))
    assert chosen <= await _found(stack, dataclasses.replace(here, stage=Stage.SELECTED))
    assert not (set(ids) - chosen) & await _found(stack, dataclasses.replace(here, stage=Stage.SELECTED))
    assert set(ids) - chosen <= await _found(stack, dataclasses.replace(here, stage=Stage.ELIGIBLE))
    assert not set(ids) & await _found(stack, dataclasses.replace(here, stage=Stage.IN_WAVE))

    funnel = (await stack.store.funnel(FunnelQuery(wave_id=wave_id))).counts
    assert funnel[FunnelStep.JOINED] == 12 and funnel[FunnelStep.SELECTED] == 4
    everywhere = (await stack.store.funnel(FunnelQuery(province_codes=(PROVINCE,)))).counts
    assert everywhere[FunnelStep.SELECTED] >= 4


async def test_a_projection_from_before_the_selection_cannot_hide_its_result(stack):
    """The race: a case's projection built while it still waited (stage ``IN_WAVE``) lands after the selection's
    commit, and again after the fan-out folded the result into the row. The reads show the result either way."""
    wave_id = f"G-RACE-{uuid.uuid4().hex[:8]}"
    records = await _waiting(stack, wave_id, 6)
    await _closed_wave(stack, wave_id, records, quota=1)
    await PgSelection(stack.engine).run(wave_id, max_per_kk=2)
    shown = {r.case_id: await stack.store.by_id(r.case_id) for r in records}
    losers = [r for r in records if shown[r.case_id].stage is Stage.ELIGIBLE]  # type: ignore[union-attr]
    assert len(losers) == 5
    first, second = losers[0], losers[1]

    # 1. Written just before the commit, landing after it: the stored row waits; the read shows the result.
    stale = dataclasses.replace(first, version=2, updated_at=_T + dt.timedelta(seconds=1))
    assert await stack.store.project(stale)
    assert (await stack.store.by_id(first.case_id)).stage is Stage.ELIGIBLE  # type: ignore[union-attr]

    # 2. The fan-out folds the page: the rows now hold what the reads showed (the same decision, the same entry).
    await push_range(stack.engine, wave_id, "", "f" * 64)
    assert await _stored_stages(stack, [r.case_id for r in losers]) == {"ELIGIBLE"}
    folded = await stack.store.by_id(second.case_id)
    assert folded is not None
    assert dataclasses.replace(folded, updated_at=_T) == dataclasses.replace(shown[second.case_id], updated_at=_T)

    # 3. A projection from before the selection lands after the fold: written back to IN_WAVE, still shown decided.
    late = dataclasses.replace(second, version=2, updated_at=_T + dt.timedelta(seconds=1))
    assert await stack.store.project(late)
    assert await _stored_stages(stack, [second.case_id]) == {"IN_WAVE"}
    again = await stack.store.by_id(second.case_id)
    assert again is not None and again.stage is Stage.ELIGIBLE and again.waves == folded.waves
    assert again.decisions == folded.decisions
    assert second.case_id in await _found(stack, CaseFilter(wave_id=wave_id, stage=Stage.ELIGIBLE))
    assert (await stack.store.funnel(FunnelQuery(wave_id=wave_id))).counts[FunnelStep.SELECTED] == 1


async def test_a_published_wave_is_not_selected_again(stack):
    """A retried selection after its results were committed completes the cards only: the published digest, the
    decision time every reader shows, and the results stand."""
    wave_id = f"G-RETRY-{uuid.uuid4().hex[:8]}"
    records = await _waiting(stack, wave_id, 8)
    await _closed_wave(stack, wave_id, records, quota=2)
    selection = PgSelection(stack.engine)
    ids = [r.case_id for r in records]
    cards = "SELECT count(*) FROM cards WHERE case_id = ANY(:ids)"
    first = await selection._select(wave_id, 2, time.perf_counter())  # the first attempt, dead after its commit
    async with stack.engine.connect() as conn:
        decided_at = await conn.scalar(text("SELECT decided_at FROM waves WHERE wave_id = :w"), {"w": wave_id})
        assert await conn.scalar(text(cards), {"ids": ids}) == 0
        results = (await conn.execute(text("SELECT * FROM wave_results WHERE wave_id = :w ORDER BY case_id"),
                                      {"w": wave_id})).all()  # fmt: skip
    again = await selection.run(wave_id, max_per_kk=2)
    assert (again.digest, again.selected, again.per_province) == (first.digest, first.selected, first.per_province)
    async with stack.engine.connect() as conn:
        assert await conn.scalar(text("SELECT decided_at FROM waves WHERE wave_id = :w"), {"w": wave_id}) == decided_at
        assert (await conn.execute(text("SELECT * FROM wave_results WHERE wave_id = :w ORDER BY case_id"),
                                   {"w": wave_id})).all() == results  # fmt: skip
        assert await conn.scalar(text(cards), {"ids": ids}) == 2
