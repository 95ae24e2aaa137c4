"""The provider integrity view in PostgreSQL (``domain.training.integrity.IntegrityReader``): set-based reads of the
read model that migration 0020's triggers keep — ``training_stats`` (counters per provider and course),
``case_trainings`` (one row per training) and ``complaints`` — with the indexes 0020 builds for them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.unavailable import unavailable_on_db_loss
from domain.training.integrity import (
    IDENTICAL_MIN,
    Evidence,
    EvidencePage,
    FlagKind,
    IntegrityRow,
    ProviderScope,
)

_COUNTERS = (
    "sum(trainings) AS trainings, sum(finished) AS finished, sum(certified) AS certified,"
    " sum(cancelled) AS cancelled, sum(refunded_rupiah) AS refunded_rupiah, sum(rushed) AS rushed,"
    " sum(tasks) AS tasks, sum(tasks_passed) AS tasks_passed, sum(tasks_revised) AS tasks_revised,"
    " sum(tasks_lapsed) AS tasks_lapsed, sum(rating_1) AS rating_1, sum(rating_2) AS rating_2,"
    " sum(rating_3) AS rating_3, sum(rating_4) AS rating_4, sum(rating_5) AS rating_5, sum(complaints) AS complaints"
)
_IN_SCOPE = "(CAST(:everyone AS boolean) OR provider_code = ANY(CAST(:scope AS text[])))"

_PROVIDERS = text(
    f"SELECT provider_code, '' AS course_code, 0 AS identical_timings, {_COUNTERS} FROM training_stats"  # noqa: S608
    f" WHERE {_IN_SCOPE} AND provider_code > :after GROUP BY provider_code ORDER BY provider_code LIMIT :first"
)
_IDENTICAL_GROUPS = (
    "SELECT course_code, timing_key, count(*) AS n FROM case_trainings"  # noqa: S608 (constants only)
    " WHERE provider_code = :p AND timing_key IS NOT NULL"
    f" GROUP BY course_code, timing_key HAVING count(*) >= {IDENTICAL_MIN}"
)
_COURSES = text(
    f"SELECT s.provider_code, s.course_code, COALESCE(g.identical, 0) AS identical_timings, {_COUNTERS}"  # noqa: S608
    f" FROM training_stats AS s LEFT JOIN (SELECT course_code, sum(n) AS identical FROM ({_IDENTICAL_GROUPS}) AS x"
    " GROUP BY course_code) AS g ON g.course_code = s.course_code"
    " WHERE s.provider_code = :p GROUP BY s.provider_code, s.course_code, g.identical ORDER BY s.course_code"
)
_EVIDENCE_WHERE = {
    FlagKind.RUSHED_ATTENDANCE: "ct.rushed",
    FlagKind.IDENTICAL_TIMINGS: "g.n IS NOT NULL",
    FlagKind.LOW_COMPLETION: "ct.status = 'NOT_CERTIFIED'",
    FlagKind.LOW_TASK_PASS: (
        "(ct.tasks_passed < ct.tasks AND ct.status <> 'COMPLETION_REPORTED' OR ct.tasks_lapsed > 0)"
    ),
    FlagKind.LOW_RATING: "ct.rating <= 2",
    FlagKind.REFUNDS: "ct.status = 'CANCELLED'",
    FlagKind.COMPLAINTS: "c.n IS NOT NULL",
}
_EVIDENCE_JOIN = {
    FlagKind.IDENTICAL_TIMINGS: f" JOIN ({_IDENTICAL_GROUPS}) AS g USING (course_code, timing_key)",
    FlagKind.COMPLAINTS: " JOIN LATERAL (SELECT count(*) AS n FROM complaints AS k WHERE k.case_id = ct.case_id"
    " AND k.category = 'TRAINING' AND k.filed_at >= ct.purchased_at HAVING count(*) > 0) AS c ON true",
}


def _evidence_statement(kind: FlagKind) -> Any:
    extra = {FlagKind.IDENTICAL_TIMINGS: ", g.n", FlagKind.COMPLAINTS: ", c.n"}.get(kind, ", NULL AS n")
    return text(
        "SELECT ct.case_id, ct.voucher_code, ct.course_code, ct.status, ct.attended, ct.first_redeem_at,"  # noqa: S608
        f" ct.last_redeem_at, ct.rating, ct.tasks, ct.tasks_passed, ct.tasks_lapsed, ct.price{extra}"
        f" FROM case_trainings AS ct{_EVIDENCE_JOIN.get(kind, '')}"
        " WHERE ct.provider_code = :p AND (CAST(:course AS text) IS NULL OR ct.course_code = :course)"
        f" AND (ct.course_code, ct.voucher_code) > (:after_course, :after_voucher) AND {_EVIDENCE_WHERE[kind]}"
        " ORDER BY ct.course_code, ct.voucher_code LIMIT :n_plus_one"
    )


_EVIDENCE = {kind: _evidence_statement(kind) for kind in FlagKind}


def _row(r: Any) -> IntegrityRow:
    return IntegrityRow(
        provider_code=r.provider_code,
        course_code=r.course_code,
        trainings=int(r.trainings),
        finished=int(r.finished),
        certified=int(r.certified),
        cancelled=int(r.cancelled),
        refunded_rupiah=int(r.refunded_rupiah),
        rushed=int(r.rushed),
        identical_timings=int(r.identical_timings),
        tasks=int(r.tasks),
        tasks_passed=int(r.tasks_passed),
        tasks_revised=int(r.tasks_revised),
        tasks_lapsed=int(r.tasks_lapsed),
        ratings=(int(r.rating_1), int(r.rating_2), int(r.rating_3), int(r.rating_4), int(r.rating_5)),
        complaints=int(r.complaints),
    )


def _detail(kind: FlagKind, r: Any) -> str:
    if kind is FlagKind.RUSHED_ATTENDANCE:
        span = f"{r.first_redeem_at:%Y-%m-%d %H:%M:%S} to {r.last_redeem_at:%H:%M:%S}"
        return f"{r.attended} sessions redeemed from {span}"
    if kind is FlagKind.IDENTICAL_TIMINGS:
        return f"every session redeemed at the same second as {int(r.n) - 1} other trainings of the course"
    if kind is FlagKind.LOW_TASK_PASS:
        return f"{r.tasks_passed} of {r.tasks} skills tasks passed, {r.tasks_lapsed} lapsed"
    if kind is FlagKind.LOW_RATING:
        return f"rated {r.rating} of 5"
    if kind is FlagKind.REFUNDS:
        return f"cancelled; Rp{int(r.price):,} refunded".replace(",", ".")
    if kind is FlagKind.COMPLAINTS:
        return f"{int(r.n)} training complaint(s) after the purchase"
    return f"not certified ({r.attended} sessions attended)"


def _scope_params(scope: ProviderScope) -> dict[str, Any]:
    return {"everyone": scope.providers is None, "scope": sorted(scope.providers or ())}


class PgIntegrity:
    """Implements ``IntegrityReader``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @unavailable_on_db_loss
    async def providers(self, scope: ProviderScope, *, first: int, after: str | None) -> list[IntegrityRow]:
        params = _scope_params(scope) | {"after": after or "", "first": first}
        async with self._engine.connect() as conn:
            return [_row(r) for r in await conn.execute(_PROVIDERS, params)]

    @unavailable_on_db_loss
    async def courses(self, scope: ProviderScope, provider_code: str) -> list[IntegrityRow]:
        if not scope.allows(provider_code):
            return []
        async with self._engine.connect() as conn:
            return [_row(r) for r in await conn.execute(_COURSES, {"p": provider_code})]

    @unavailable_on_db_loss
    async def evidence(
        self,
        scope: ProviderScope,
        provider_code: str,
        kind: FlagKind,
        *,
        course_code: str | None,
        first: int,
        after: str | None,
    ) -> EvidencePage:
        if not scope.allows(provider_code):
            return EvidencePage([], None, False)
        after_course, _, after_voucher = (after or "").partition("|")
        params = {
            "p": provider_code,
            "course": course_code,
            "after_course": after_course,
            "after_voucher": after_voucher,
            "n_plus_one": first + 1,
        }
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_EVIDENCE[kind], params)).all()
        page = rows[:first]
        items = [
            Evidence(kind, provider_code, r.course_code, r.case_id, r.voucher_code, _detail(kind, r)) for r in page
        ]
        end = f"{page[-1].course_code}|{page[-1].voucher_code}" if page else None
        return EvidencePage(items, end, len(rows) > first)


REBUILD_STATS = """
WITH filed AS (
    SELECT t.p, t.c, count(*) AS n FROM complaints AS k JOIN LATERAL (
        SELECT provider_code AS p, course_code AS c FROM case_trainings AS x
        WHERE x.case_id = k.case_id AND x.purchased_at <= k.filed_at ORDER BY x.purchased_at DESC LIMIT 1) AS t ON true
    WHERE k.category = 'TRAINING' GROUP BY t.p, t.c)
INSERT INTO training_stats (provider_code, course_code, trainings, finished, certified, cancelled, refunded_rupiah,
    rushed, tasks, tasks_passed, tasks_revised, tasks_lapsed, rating_1, rating_2, rating_3, rating_4, rating_5,
    complaints)
SELECT provider_code, course_code, count(*), count(*) FILTER (WHERE status IN ('CERTIFIED', 'NOT_CERTIFIED')),
       count(*) FILTER (WHERE status = 'CERTIFIED'), count(*) FILTER (WHERE status = 'CANCELLED'),
       COALESCE(sum(price) FILTER (WHERE status = 'CANCELLED'), 0), count(*) FILTER (WHERE rushed),
       sum(tasks), sum(tasks_passed), sum(tasks_revised), sum(tasks_lapsed),
       count(*) FILTER (WHERE rating = 1), count(*) FILTER (WHERE rating = 2), count(*) FILTER (WHERE rating = 3),
       count(*) FILTER (WHERE rating = 4), count(*) FILTER (WHERE rating = 5), COALESCE(max(filed.n), 0)
FROM case_trainings AS ct LEFT JOIN filed ON filed.p = ct.provider_code AND filed.c = ct.course_code
GROUP BY provider_code, course_code
ON CONFLICT (provider_code, course_code) DO UPDATE SET
    trainings = EXCLUDED.trainings, finished = EXCLUDED.finished, certified = EXCLUDED.certified,
    cancelled = EXCLUDED.cancelled, refunded_rupiah = EXCLUDED.refunded_rupiah, rushed = EXCLUDED.rushed,
    tasks = EXCLUDED.tasks, tasks_passed = EXCLUDED.tasks_passed, tasks_revised = EXCLUDED.tasks_revised,
    tasks_lapsed = EXCLUDED.tasks_lapsed, rating_1 = EXCLUDED.rating_1, rating_2 = EXCLUDED.rating_2,
    rating_3 = EXCLUDED.rating_3, rating_4 = EXCLUDED.rating_4, rating_5 = EXCLUDED.rating_5,
    complaints = EXCLUDED.complaints
"""
"""Recompute every counter of ``training_stats`` from ``case_trainings`` and the complaints, set-based: a repair
after a manual fix of the read model, and how a benchmark fills it after seeding."""
