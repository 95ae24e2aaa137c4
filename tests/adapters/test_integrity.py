"""The provider integrity view over a seeded read model in a database of its own: the planted patterns are flagged
with evidence that links to trainings, evidence pages by keyset, a provider scope hides every other provider, and
the complaint trigger's counts equal a set-based rebuild. The staff query answers national staff only."""

from __future__ import annotations

import uuid

import pytest_asyncio
from sqlalchemy import text
from sqlalchemy.engine import make_url

from adapters.db.engine import make_engine
from adapters.db.integrity import REBUILD_STATS, PgIntegrity
from adapters.db.migrate import upgrade
from bench.integrity_seed import seed
from caseapi.shared.auth import Role
from domain.training.integrity import NATIONAL, FlagKind, IntegrityRow, ProviderScope, flags

PROVIDERS = 12


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def seeded(pg_url):
    name = f"integrity_{uuid.uuid4().hex[:8]}"
    admin = make_engine(pg_url, pool_size=1)
    async with admin.connect() as conn:
        await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(text(f"CREATE DATABASE {name}"))
    await admin.dispose()
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    engine = make_engine(url, pool_size=2)
    async with engine.begin() as conn:
        await seed(conn, 6000, PROVIDERS)
    yield engine
    await engine.dispose()


async def _all_flags(view: PgIntegrity) -> set[tuple[str, FlagKind]]:
    found = {(r.provider_code, f) for r in await view.providers(NATIONAL, first=50, after=None) for f in flags(r)}
    for p in range(PROVIDERS):
        code = f"lpk-{p:04d}"
        found |= {(code, f) for r in await view.courses(NATIONAL, code) for f in flags(r)}
    return found


async def test_planted_patterns_are_flagged_with_evidence(seeded):
    view = PgIntegrity(seeded)
    found = await _all_flags(view)
    planted = {
        ("lpk-0003", FlagKind.RUSHED_ATTENDANCE),
        ("lpk-0005", FlagKind.IDENTICAL_TIMINGS),
        ("lpk-0008", FlagKind.LOW_TASK_PASS),
        ("lpk-0009", FlagKind.LOW_RATING),
        ("lpk-0011", FlagKind.COMPLAINTS),
    }
    assert planted <= found
    assert ("lpk-0001", FlagKind.RUSHED_ATTENDANCE) not in found  # an ordinary provider redeems days apart

    rushed = await view.evidence(NATIONAL, "lpk-0003", FlagKind.RUSHED_ATTENDANCE, course_code=None, first=500, after=None)
    assert rushed.items and not rushed.has_next_page
    async with seeded.connect() as conn:
        marked = (await conn.execute(text("SELECT voucher_code, case_id FROM case_trainings "
                                          "WHERE provider_code = 'lpk-0003' AND rushed"))).all()  # fmt: skip
    assert {(x.voucher_code, x.case_id) for x in rushed.items} == {tuple(r) for r in marked}
    assert all("sessions redeemed from" in x.detail for x in rushed.items)

    same = await view.evidence(NATIONAL, "lpk-0005", FlagKind.IDENTICAL_TIMINGS, course_code="lpk-0005-c1",
                               first=500, after=None)  # fmt: skip
    assert len(same.items) >= 3 and {x.course_code for x in same.items} == {"lpk-0005-c1"}


async def test_evidence_pages_by_keyset(seeded):
    view = PgIntegrity(seeded)
    whole = await view.evidence(NATIONAL, "lpk-0000", FlagKind.REFUNDS, course_code=None, first=200, after=None)
    seen, after = [], None
    while True:
        page = await view.evidence(NATIONAL, "lpk-0000", FlagKind.REFUNDS, course_code=None, first=7, after=after)
        seen += [x.voucher_code for x in page.items]
        if not page.has_next_page:
            break
        after = page.end_cursor
    assert seen == [x.voucher_code for x in whole.items] and len(seen) > 7


async def test_a_provider_scope_sees_only_its_providers(seeded):
    view = PgIntegrity(seeded)
    monitored = ProviderScope(frozenset({"lpk-0001", "lpk-0003"}))
    assert [r.provider_code for r in await view.providers(monitored, first=50, after=None)] == [
        "lpk-0001",
        "lpk-0003",
    ]
    assert await view.courses(monitored, "lpk-0002") == []
    hidden = await view.evidence(monitored, "lpk-0002", FlagKind.REFUNDS, course_code=None, first=5, after=None)
    assert hidden.items == [] and not hidden.has_next_page
    assert len(await view.courses(monitored, "lpk-0003")) == 8


async def test_trigger_kept_counts_equal_a_set_based_rebuild(seeded):
    async with seeded.begin() as conn:
        before = (await conn.execute(text("SELECT * FROM training_stats ORDER BY 1, 2"))).all()
        assert sum(r.complaints for r in before) > 0  # counted by the complaints trigger after the seed's rebuild
        await conn.execute(text(REBUILD_STATS))
        after = (await conn.execute(text("SELECT * FROM training_stats ORDER BY 1, 2"))).all()
    assert before == after


def test_flags_need_enough_trainings_and_a_share_over_the_threshold():
    row = IntegrityRow("p", "", 100, 90, 80, 2, 0, 6, 0, 40, 38, 1, 0, (1, 1, 5, 20, 60), 1)
    assert flags(row) == (FlagKind.RUSHED_ATTENDANCE,)
    assert flags(IntegrityRow("p", "", 19, 0, 0, 19, 0, 19, 0, 0, 0, 0, 0, (0, 0, 0, 0, 0), 19)) == ()
    assert row.completion_rate == round(80 / 90, 4) and row.average_rating == round((1 + 2 + 15 + 80 + 300) / 87, 2)


PROVIDERS_GQL = """query { providerIntegrity(first: 5) { __typename
  ... on IntegrityList { items { providerCode completionRate ratings flags } } ... on Error { code } } }"""


async def test_the_staff_query_is_for_national_staff(stack):
    national = await stack.gql("staff", PROVIDERS_GQL, token=stack.token(Role.STAFF))
    assert national["providerIntegrity"]["__typename"] == "IntegrityList", national
    scoped = await stack.gql("staff", PROVIDERS_GQL, token=stack.token(Role.STAFF, provinces=["32"]))
    assert scoped["providerIntegrity"]["code"] == "FORBIDDEN", scoped
