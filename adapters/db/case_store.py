"""PostgreSQL read model of cases: the ``CaseStore`` and ``CaseReader`` ports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, bindparam, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.case_search import encode_cursor, search_statement
from adapters.db.codec import (
    attempts_from_json,
    attempts_to_json,
    decisions_from_json,
    decisions_to_json,
    enrollment_from_json,
    enrollment_to_json,
    payouts_from_json,
    payouts_to_json,
    trainings_from_json,
    trainings_to_json,
    waves_from_json,
    waves_to_json,
)
from adapters.db.engine import autocommit
from adapters.db.funnel import funnel_counts
from adapters.db.pii import FieldCipher
from adapters.db.sealed_forms import SealedForms
from adapters.db.tables import cases
from adapters.db.unavailable import unavailable_on_db_loss
from adapters.db.wave_overlay import overlaid, with_results
from domain.case import Stage
from domain.funnel import FunnelCounts, FunnelQuery
from domain.messages import CaseRecord
from domain.names import MAX_PREFIX, normalise, search_token
from domain.nik import blind_index
from domain.ports import CaseFilter, CaseHandle, CasePage, TrainingOutcome


def _row_values(record: CaseRecord, forms: SealedForms) -> dict[str, Any]:
    app = record.application
    pii, tokens = forms.seal(record.case_id, app)
    return {
        "case_id": record.case_id,
        "account_id": record.account_id,
        "workflow_id": record.workflow_id,
        "scheme_id": record.scheme_id,
        "stage": record.stage.value,
        "province_code": app.domicile.province_code,
        "regency_code": app.domicile.regency_code,
        "pii": pii,
        "name_tokens": tokens,
        "decisions": decisions_to_json(record.decisions),
        "next_action": record.next_action,
        "version": record.version,
        "applied_at": record.applied_at,
        "updated_at": record.updated_at,
        "ability_test": attempts_to_json(record.ability_test),
        "waves": waves_to_json(record.waves),
        "enrollment": enrollment_to_json(record.enrollment),
        "trainings": trainings_to_json(record.trainings),
        "balance": record.balance,
        "card_number": record.enrollment.card_number if record.enrollment else None,
        "payouts": payouts_to_json(record.payout_account, record.incentives, record.clawback),
    }


def _record(row: Any, forms: SealedForms) -> CaseRecord:
    return CaseRecord(
        case_id=row.case_id,
        workflow_id=row.workflow_id,
        account_id=row.account_id,
        scheme_id=row.scheme_id,
        stage=Stage(row.stage),
        version=row.version,
        application=forms.open(row.pii),
        decisions=decisions_from_json(row.decisions),
        next_action=row.next_action,
        applied_at=row.applied_at,
        updated_at=row.updated_at,
        ability_test=attempts_from_json(row.ability_test),
        waves=waves_from_json(row.waves),
        enrollment=enrollment_from_json(row.enrollment),
        trainings=trainings_from_json(row.trainings),
        balance=row.balance,
        **dict(zip(("payout_account", "incentives", "clawback"), payouts_from_json(row.payouts), strict=True)),
    )


_PROJECTED = [c.name for c in cases.c if c.name not in ("case_id", "account_id", "kk_index")]
# Built once: constructing the statement per call cost more CPU than executing it (profiled).
_PROJECT = (
    update(cases)
    .where(
        cases.c.case_id == bindparam("w_case_id"),
        # ``<=``: the same version again is a re-run of the same step (a workflow task that timed out after its
        # projection ran is retried and projects again); the re-run is what the history keeps, so it replaces.
        cases.c.version <= bindparam("w_version", type_=cases.c.version.type),
    )
    .values({name: bindparam(f"v_{name}", type_=cases.c[name].type) for name in _PROJECTED})
)


# A case still waiting in a decided wave is shown with its result (``adapters.db.wave_overlay``).
_BY_ID = with_results(select(cases)).where(cases.c.case_id == bindparam("k"))
_BY_ACCOUNT = with_results(select(cases)).where(cases.c.account_id == bindparam("k"))
_BY_IDS = with_results(select(cases)).where(cases.c.case_id == func.any(bindparam("ids", type_=ARRAY(Text))))
_HANDLE_BY_ACCOUNT = select(
    cases.c.workflow_id, cases.c.version, func.jsonb_array_length(cases.c.ability_test).label("attempts")
).where(cases.c.account_id == bindparam("k"))

_OUTCOMES = text(
    """SELECT t->'course'->>CAST(:field AS text) AS key, count(*) AS n,
           avg((t->>'pre_test_score')::int) AS pre, avg((t->>'post_test_score')::int) AS post,
           count(t->>'rating') AS ratings, avg((t->>'rating')::int) AS rating
    FROM cases, jsonb_array_elements(cases.trainings) AS t
    WHERE t->>'status' <> 'CANCELLED'
    GROUP BY 1 ORDER BY n DESC, key LIMIT 500"""
)


class PgCaseStore:
    """Implements ``CaseStore`` (writes) and ``CaseReader`` (reads)."""

    def __init__(self, engine: AsyncEngine, *, blind_key: bytes, cipher: FieldCipher) -> None:
        self._engine = engine
        self._key = blind_key
        self._forms = SealedForms(cipher, blind_key)
        self._single = autocommit(engine)  # one-statement reads and the projection's UPDATE

    async def register(self, record: CaseRecord) -> str:
        values = _row_values(record, self._forms) | {"kk_index": blind_index(record.application.kk_number, self._key)}
        async with self._engine.begin() as conn:
            inserted = await conn.execute(
                insert(cases).values(**values).on_conflict_do_nothing().returning(cases.c.case_id)
            )
            if inserted.first() is not None:
                return "REGISTERED"
            rows = (
                await conn.execute(
                    select(cases.c.case_id, cases.c.account_id).where(
                        or_(cases.c.case_id == record.case_id, cases.c.account_id == record.account_id)
                    )
                )
            ).all()
        for row in rows:
            if row.case_id == record.case_id:
                return "REGISTERED" if row.account_id == record.account_id else "NIK_TAKEN"
        return "ACCOUNT_TAKEN"

    async def project(self, record: CaseRecord) -> bool:
        """Version-guarded update of the row ``register`` created; False when a newer version is stored (the same
        version is replaced: see ``_PROJECT``)."""
        values = _row_values(record, self._forms)
        params = {f"v_{k}": v for k, v in values.items() if k in _PROJECTED} | {
            "w_case_id": record.case_id,
            "w_version": record.version,
        }
        async with self._single.connect() as conn:
            return (await conn.execute(_PROJECT, params)).rowcount == 1

    @unavailable_on_db_loss
    async def by_id(self, case_id: str) -> CaseRecord | None:
        return await self._one(_BY_ID, case_id)

    async def by_ids(self, case_ids: list[str]) -> list[CaseRecord]:
        """Several cases in one statement (the wave's fan-out enrolling a chunk of the selected)."""
        async with self._single.connect() as conn:
            rows = (await conn.execute(_BY_IDS, {"ids": case_ids})).all()
        return [overlaid(_record(r, self._forms), r) for r in rows]

    async def project_many(self, records: list[CaseRecord]) -> None:
        """``project`` for several records in one pipelined statement (each version-guarded on its own)."""
        if not records:
            return
        params = [
            {f"v_{k}": v for k, v in _row_values(r, self._forms).items() if k in _PROJECTED}
            | {"w_case_id": r.case_id, "w_version": r.version}
            for r in records
        ]
        async with self._single.connect() as conn:
            await conn.execute(_PROJECT, params)

    @unavailable_on_db_loss
    async def by_account(self, account_id: str) -> CaseRecord | None:
        return await self._one(_BY_ACCOUNT, account_id)

    @unavailable_on_db_loss
    async def handle_by_account(self, account_id: str) -> CaseHandle | None:
        async with self._single.connect() as conn:
            row = (await conn.execute(_HANDLE_BY_ACCOUNT, {"k": account_id})).first()
        return CaseHandle(row.workflow_id, row.version, row.attempts) if row is not None else None

    async def _one(self, stmt: Any, key: str) -> CaseRecord | None:
        async with self._single.connect() as conn:
            row = (await conn.execute(stmt, {"k": key})).first()
        return overlaid(_record(row, self._forms), row) if row is not None else None

    @unavailable_on_db_loss
    async def training_outcomes(self, *, by: str) -> list[TrainingOutcome]:
        field = {"COURSE": "course_code", "PROVIDER": "provider_code"}[by]
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_OUTCOMES, {"field": field})).all()

        def num(v: Any) -> float | None:
            return None if v is None else round(float(v), 2)

        return [TrainingOutcome(r.key, r.n, num(r.pre), num(r.post), r.ratings, num(r.rating)) for r in rows]

    @unavailable_on_db_loss
    async def funnel(self, query: FunnelQuery) -> FunnelCounts:
        return await funnel_counts(self._engine, query)

    @unavailable_on_db_loss
    async def search(self, flt: CaseFilter, *, first: int, after: str | None) -> CasePage:
        token = search_token(flt.name_prefix, self._key) if flt.name_prefix else None
        stmt = search_statement(flt, first=first, after=after, name_token=token)
        async with self._engine.connect() as conn:
            # A cached generic plan cannot weigh a province's or a wave's size, and a prepared statement may switch
            # to one after five runs: plan every search anew.
            await conn.execute(_CUSTOM_PLAN)
            rows = (await conn.execute(stmt)).all()
        page = rows[:first]
        records = [overlaid(_record(r, self._forms), r) for r in page]
        wanted = normalise(flt.name_prefix or "")
        if len(wanted) > MAX_PREFIX:  # the tokens cover 12 characters: check the rest on the opened names
            records = [r for r in records if normalise(r.application.full_name).startswith(wanted)]
        end = encode_cursor(page[-1].applied_at, page[-1].case_id) if page else None
        return CasePage(records=records, end_cursor=end, has_next_page=len(rows) > first)


_CUSTOM_PLAN = text("SET LOCAL plan_cache_mode = force_custom_plan")

# Literal SQL, identical to migration 0011's partial-index predicates: PostgreSQL uses a partial index only when
# it can match the query's condition to the index predicate, which a bound parameter would prevent.
