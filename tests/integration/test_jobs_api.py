"""Job recommendations through the GraphQL API against PostgreSQL: job portals upsert vacancies (typed refusals,
nothing written on bad input), a certified participant gets ranked and explained recommendations, feedback
removes and reorders them, and trending categories count the month's applications per province."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid

import pytest
from sqlalchemy import text

from caseapi.shared.auth import Role
from domain.clock import programme_date
from domain.regions import regency_name
from tests.integration.helpers import apply_person, fresh_clean_person
from tests.integration.job_queries import DOMICILE, MARK, RECOMMENDATIONS, TRENDING, UPSERT_VACANCY
from tests.integration.training_steps import certified, enrolled, market, partner_token, register

TRENDING_PROVINCE = "75"
FAR_PROVINCE = "76"


def today() -> dt.date:
    return programme_date(dt.datetime.now(dt.UTC))


def vacancy_input(ref: str, **kw) -> dict:
    data = {
        "vacancyId": ref,
        "title": f"Staf {ref}",
        "category": "Digital Marketing",
        "provinceCode": "32",
        "regencyCode": "32.73",
        "employer": "PT Maju Bersama",
        "salaryMin": 4_500_000,
        "salaryMax": 6_000_000,
        "postedOn": (today() - dt.timedelta(days=3)).isoformat(),
        "expiresOn": (today() + dt.timedelta(days=30)).isoformat(),
        "url": f"https://karir.example.id/lowongan/{ref}",
    }
    data.update(kw)
    return data


async def portal(stack) -> str:
    code = f"jp-{uuid.uuid4().hex[:6]}"
    await register(stack, code, "JOB_PORTAL")
    return code


async def upsert(stack, code: str, ref: str, **kw) -> dict:
    inp = vacancy_input(ref, **kw)
    return (await stack.gql("partner", UPSERT_VACANCY, {"input": inp}, token=partner_token(stack, code)))[
        "upsertVacancy"
    ]


async def rows(stack, portal_code: str) -> list:
    async with stack.engine.connect() as conn:
        found = await conn.execute(text("SELECT * FROM vacancies WHERE portal = :p ORDER BY id"), {"p": portal_code})
        return list(found.all())


async def test_a_job_portal_upserts_a_vacancy_idempotently(stack):
    code = await portal(stack)
    first = await upsert(stack, code, "V-100", regencyCode=None)
    assert first["__typename"] == "Vacancy", first
    assert (first["id"], first["portal"], first["vacancyId"]) == (f"{code}:V-100", code, "V-100")
    assert (first["provinceName"], first["regencyName"]) == ("Jawa Barat", None)
    again = await upsert(stack, code, "V-100", title="  Staf   Pemasaran  Digital ", salaryMax=7_000_000)
    assert again["id"] == first["id"] and again["updatedAt"] >= first["updatedAt"]
    [row] = await rows(stack, code)
    assert (row.id, row.external_id, row.title, row.salary_min, row.salary_max) == (
        f"{code}:V-100",
        "V-100",
        "Staf Pemasaran Digital",
        4_500_000,
        7_000_000,
    )
    # Every field is replaced: the regency the second upsert gives is stored too.
    assert row.regency_code == "32.73" and row.posted_on == today() - dt.timedelta(days=3)


async def test_only_registered_job_portals_may_publish(stack):
    platform = f"dp-{uuid.uuid4().hex[:6]}"
    await register(stack, platform, "DIGITAL_PLATFORM")
    refused = await upsert(stack, platform, "V-1")
    assert (refused["__typename"], refused["code"]) == ("Forbidden", "FORBIDDEN")
    assert "job portal" in refused["message"]
    stranger = await upsert(stack, f"jp-unknown-{uuid.uuid4().hex[:6]}", "V-1")
    assert stranger["__typename"] == "Forbidden"
    anonymous = await stack.gql("partner", UPSERT_VACANCY, {"input": vacancy_input("V-1")})
    assert anonymous["upsertVacancy"]["__typename"] == "NotAuthenticated"
    assert await rows(stack, platform) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"vacancyId": "no spaces please"}, "vacancyId"),
        ({"title": " "}, "title"),
        ({"category": ""}, "category"),
        ({"employer": "x"}, "employer"),
        ({"provinceCode": "99"}, "provinceCode"),
        ({"regencyCode": "33.01"}, "regencyCode"),
        ({"salaryMin": 8_000_000}, "salaryMin"),
        ({"salaryMax": 0}, "salaryMax"),
        ({"expiresOn": "2020-01-01"}, "expiresOn"),
        ({"url": "http://karir.example.id/lowongan/1"}, "url"),
        ({"url": "ftp://karir.example.id/x"}, "url"),
    ],
)
async def test_invalid_vacancies_are_refused_with_the_field_named_and_nothing_written(stack, change, field):
    code = await portal(stack)
    refused = await upsert(stack, code, "V-bad", **change)
    assert (refused["__typename"], refused["code"]) == ("InvalidArgument", "INVALID_ARGUMENT"), refused
    assert field in refused["message"]
    assert await rows(stack, code) == []


def other_regency(province: str, besides: str) -> str:
    return next(
        code
        for n in [*range(1, 30), *range(71, 80)]
        if (code := f"{province}.{n:02d}") != besides and regency_name(code) is not None
    )


async def recommendations(stack, token: str, *, mine: str | None = None, within: float = 30.0) -> dict:
    """The participant's recommendations (only ``mine``'s vacancies), waiting for the certificate to show."""
    deadline = time.monotonic() + within
    while True:
        found = (await stack.gql("participant", RECOMMENDATIONS, {"first": 100}, token=token))["myJobRecommendations"]
        assert found["__typename"] == "JobRecommendations", found
        if mine is None or found["reason"] is None or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    if mine is not None:
        found["items"] = [i for i in found["items"] if i["vacancy"]["portal"] == mine]
    return found


async def mark(stack, token: str, vacancy_id: str, action: str) -> dict:
    return (await stack.gql("participant", MARK, {"id": vacancy_id, "action": action}, token=token))["markVacancy"]


async def test_a_certified_participant_gets_ranked_explained_recommendations_and_feedback_counts(stack):
    m = await market(stack)
    [(token, _)] = await enrolled(stack, 1)
    waiting = await recommendations(stack, token)
    assert waiting["items"] == [] and "first training certificate" in waiting["reason"]

    home = (await stack.gql("participant", DOMICILE, token=token))["myCase"]["application"]["domicile"]
    province, regency = home["provinceCode"], home["regencyCode"]
    code = await portal(stack)
    ops = f"Operations {code}"
    d = dt.timedelta
    for ref, kw in (
        ("dm-home", {"provinceCode": province, "regencyCode": regency, "postedOn": str(today() - d(days=2))}),
        ("dm-far", {"category": "digital MARKETING", "provinceCode": FAR_PROVINCE, "regencyCode": None}),
        ("ops-home", {"category": ops, "provinceCode": province, "regencyCode": regency, "postedOn": str(today())}),
        ("ops-province", {"category": ops, "provinceCode": province, "regencyCode": other_regency(province, regency)}),
        ("ops-far", {"category": ops, "provinceCode": FAR_PROVINCE, "regencyCode": None, "postedOn": str(today())}),
        ("dm-expired", {"postedOn": str(today() - d(days=40)), "expiresOn": str(today() - d(days=1))}),
    ):
        kw.setdefault("postedOn", str(today() - d(days=10)))
        assert (await upsert(stack, code, ref, **kw))["__typename"] == "Vacancy"

    await certified(stack, m, token)
    found = await recommendations(stack, token, mine=code)
    assert found["reason"] is None
    assert [(i["vacancy"]["id"], i["score"]) for i in found["items"]] == [
        (f"{code}:dm-home", 1000 + 300 + 58),
        (f"{code}:dm-far", 1000 + 50),
        (f"{code}:ops-home", 300 + 60),
        (f"{code}:ops-province", 150 + 50),
        (f"{code}:ops-far", 60),
    ]
    assert found["items"][0]["explanation"] == [
        "because you completed Pelatihan selfpaced",
        f"in your regency {home['regencyName']}",
        "posted 2 days ago",
    ]
    assert found["items"][3]["explanation"] == [f"in your province {home['provinceName']}", "posted 10 days ago"]

    dismissed = await mark(stack, token, f"{code}:ops-province", "NOT_INTERESTED")
    assert (dismissed["__typename"], dismissed["action"]) == ("VacancyMark", "NOT_INTERESTED")
    applied = await mark(stack, token, f"{code}:dm-far", "APPLIED")
    assert applied["action"] == "APPLIED"
    assert (await mark(stack, token, f"{code}:dm-far", "APPLIED"))["at"] == applied["at"]  # a retry changes nothing

    after = (await recommendations(stack, token, mine=code))["items"]
    assert [(i["vacancy"]["id"], i["score"], i["myAction"]) for i in after] == [
        (f"{code}:dm-home", 1000 + 300 + 58 + 200, None),
        (f"{code}:dm-far", 1000 + 50 + 200, "APPLIED"),
        (f"{code}:ops-home", 300 + 60 - 400, None),
        (f"{code}:ops-far", 60 - 400, None),
    ]
    assert f"you were not interested in another {ops} job" in after[2]["explanation"]
    assert "you applied to Digital Marketing jobs before" in after[0]["explanation"]

    unknown = await mark(stack, token, f"{code}:no-such-vacancy", "APPLIED")
    assert (unknown["__typename"], unknown["code"]) == ("InvalidArgument", "INVALID_ARGUMENT")
    bad_first = (await stack.gql("participant", RECOMMENDATIONS, {"first": 0}, token=token))["myJobRecommendations"]
    assert bad_first["__typename"] == "InvalidArgument"


async def test_recommendations_need_a_case_and_a_sign_in(stack):
    anonymous = (await stack.gql("participant", RECOMMENDATIONS, {"first": 5}))["myJobRecommendations"]
    assert anonymous["__typename"] == "NotAuthenticated"
    no_case = await stack.gql("participant", RECOMMENDATIONS, {"first": 5}, token=stack.token(Role.PARTICIPANT))
    assert no_case["myJobRecommendations"]["__typename"] == "NoCaseYet"


async def test_trending_jobs_count_this_months_applications_in_the_province(stack):
    code = await portal(stack)
    tag = code[3:]
    alpha, beta, gamma = f"Alpha {tag}", f"Beta {tag}", f"Gamma {tag}"
    here = {"provinceCode": TRENDING_PROVINCE, "regencyCode": None}
    for ref, category, where in (
        ("a1", alpha, here),
        ("a2", alpha, here),
        ("b1", beta, here),
        ("g1", gamma, here),
        ("g2", gamma, here),
        ("g3", gamma, here),
        ("d1", f"delta {tag}", here),
        ("d2", f"DELTA {tag}", here),
        ("a-far", alpha, {"provinceCode": FAR_PROVINCE, "regencyCode": None}),
    ):
        assert (await upsert(stack, code, ref, category=category, **where))["__typename"] == "Vacancy"
    tokens = [(await apply_person(stack, fresh_clean_person(stack.population)))[1] for _ in range(3)]
    for who, ref, action in (
        (0, "a1", "APPLIED"),
        (1, "a1", "APPLIED"),
        (2, "a2", "APPLIED"),
        (0, "b1", "APPLIED"),
        (1, "b1", "NOT_INTERESTED"),
        (2, "b1", "APPLIED"),
        (2, "b1", "NOT_INTERESTED"),  # the latest action wins: no longer an application
        (0, "a-far", "APPLIED"),  # another province
    ):
        assert (await mark(stack, tokens[who], f"{code}:{ref}", action))["__typename"] == "VacancyMark"

    async def trending(month: str | None = None, province: str = TRENDING_PROVINCE) -> dict:
        variables = {"province": province, "month": month}
        return (await stack.gql("participant", TRENDING, variables, token=tokens[0]))["trendingJobs"]

    now = await trending()
    assert (now["provinceCode"], now["provinceName"], now["month"]) == ("75", "Gorontalo", today().strftime("%Y-%m"))
    assert [(c["category"], c["applications"], c["vacancies"]) for c in now["items"] if tag in c["category"]] == [
        (alpha, 3, 2),
        (beta, 1, 1),
        (gamma, 0, 3),
        (f"DELTA {tag}", 0, 2),
    ]
    assert len(now["items"]) <= 10
    assert (await trending(today().strftime("%Y-%m")))["items"] == now["items"]
    assert [c for c in (await trending("2020-01"))["items"] if tag in c["category"]] == []
    assert (await trending("2026-13"))["__typename"] == "InvalidArgument"
    assert (await trending(province="99"))["__typename"] == "InvalidArgument"
    anonymous = await stack.gql("participant", TRENDING, {"province": TRENDING_PROVINCE})
    assert anonymous["trendingJobs"]["__typename"] == "NotAuthenticated"
