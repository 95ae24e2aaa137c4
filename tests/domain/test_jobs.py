"""Job recommendations, vacancy rules and trending categories (pure)."""

import dataclasses
import datetime as dt

import pytest

from domain.case import Stage
from domain.jobs import recommendations as jb
from domain.jobs.trends import CategoryDemand, Month, month_of, parse_month, top_categories
from domain.jobs.vacancies import MarkedVacancy, Vacancy, VacancyAction, vacancy_problems
from domain.messages import CaseRecord
from domain.training.trainings import TrainingStatus
from tests.domain.training_builders import SELF_PACED, training
from tests.factories import application_form

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)


def vacancy(ref: str, **kw) -> Vacancy:
    base = Vacancy(
        id=f"jp:{ref}",
        portal="jp",
        external_id=ref,
        title=f"Job {ref}",
        category="Logistics",
        province_code="11",
        regency_code=None,
        employer="PT Contoh",
        salary_min=4_000_000,
        salary_max=6_000_000,
        posted_on=TODAY - dt.timedelta(days=30),
        expires_on=TODAY + dt.timedelta(days=30),
        url="https://jobs.example.id/v/1",
        updated_at=NOW,
    )
    return dataclasses.replace(base, **kw)


BASICS = jb.CertifiedCourse("Pemasaran Digital Dasar", "Digital Marketing")


def seeker(*marks: MarkedVacancy, certified=(BASICS,)):
    return jb.Seeker(province_code="32", regency_code="32.01", certified=tuple(certified), marks=marks)


def mark(v: Vacancy, action: VacancyAction, days_ago: int = 1) -> MarkedVacancy:
    return MarkedVacancy(v.id, v.category, action, NOW - dt.timedelta(days=days_ago))


def ids(recs) -> list[str]:
    return [r.vacancy.id for r in recs]


CATALOGUE = [
    vacancy("a-match-far-old", category="digital marketing", province_code="11", posted_on=TODAY - dt.timedelta(50)),
    vacancy("b-regency-new", regency_code="32.01", province_code="32", posted_on=TODAY),
    vacancy("c-province-new", regency_code="32.73", province_code="32", posted_on=TODAY),
    vacancy("d-far-new", posted_on=TODAY),
    vacancy("e-far-old", posted_on=TODAY - dt.timedelta(days=90)),
    vacancy("f-expired-match", category="Digital Marketing", expires_on=TODAY - dt.timedelta(days=1)),
    vacancy("g-match-regency", category=" DIGITAL  marketing ", regency_code="32.01", province_code="32"),
]


def test_the_order_is_stable_for_a_fixed_catalogue_and_vacancy_set():
    first = jb.rank(CATALOGUE, seeker(), today=TODAY, limit=20)
    assert ids(first) == [
        "jp:g-match-regency",
        "jp:a-match-far-old",
        "jp:b-regency-new",
        "jp:c-province-new",
        "jp:d-far-new",
        "jp:e-far-old",
    ]
    assert ids(jb.rank(reversed(CATALOGUE), seeker(), today=TODAY, limit=20)) == ids(first)
    assert [r.score for r in first] == [1000 + 300 + 30, 1000 + 10, 300 + 60, 150 + 60, 60, 0]
    assert ids(jb.rank(CATALOGUE, seeker(), today=TODAY, limit=2)) == ids(first)[:2]


def test_ties_are_broken_by_vacancy_id():
    same = [vacancy(ref) for ref in ("z", "m", "a")]
    assert ids(jb.rank(same, seeker(), today=TODAY, limit=10)) == ["jp:a", "jp:m", "jp:z"]


def test_expired_vacancies_are_left_out_and_the_last_day_still_counts():
    last_day = vacancy("last", expires_on=TODAY)
    gone = vacancy("gone", expires_on=TODAY - dt.timedelta(days=1))
    assert ids(jb.rank([last_day, gone], seeker(), today=TODAY, limit=10)) == ["jp:last"]


def test_category_beats_location_beats_recency():
    match_far_stale = vacancy("m", category="Digital Marketing", posted_on=TODAY - dt.timedelta(days=400))
    regency_stale = vacancy("r", province_code="32", regency_code="32.01", posted_on=TODAY - dt.timedelta(days=400))
    province_stale = vacancy("p", province_code="32", regency_code="32.73", posted_on=TODAY - dt.timedelta(days=400))
    far_fresh = vacancy("f", posted_on=TODAY)
    ranked = jb.rank([far_fresh, province_stale, regency_stale, match_far_stale], seeker(), today=TODAY, limit=10)
    assert ids(ranked) == ["jp:m", "jp:r", "jp:p", "jp:f"]


def test_a_province_without_regency_counts_as_the_province():
    v = vacancy("p", province_code="32", regency_code=None, posted_on=TODAY - dt.timedelta(days=100))
    [r] = jb.rank([v], seeker(), today=TODAY, limit=1)
    assert r.score == jb.SAME_PROVINCE and r.explanation == ("in your province Jawa Barat", "posted 100 days ago")


def test_newer_postings_rank_higher_and_future_dates_count_as_today():
    recs = jb.rank(
        [vacancy(f"d{d}", posted_on=TODAY - dt.timedelta(days=d)) for d in (-3, 0, 1, 5)],
        seeker(),
        today=TODAY,
        limit=10,
    )
    assert ids(recs) == ["jp:d-3", "jp:d0", "jp:d1", "jp:d5"]
    assert [r.score for r in recs] == [60, 60, 59, 55]
    assert [r.explanation[-1] for r in recs] == [
        "posted today",
        "posted today",
        "posted yesterday",
        "posted 5 days ago",
    ]


def test_not_interested_vacancies_are_excluded_and_their_category_ranks_lower():
    boring = vacancy("boring", category="Retail", province_code="32", regency_code="32.01")
    other_retail = vacancy("retail-2", category="retail", province_code="32", regency_code="32.01")
    logistics = vacancy("log", province_code="32", regency_code="32.01")
    plain = seeker()
    assert ids(jb.rank([boring, other_retail, logistics], plain, today=TODAY, limit=10)) == [
        "jp:boring",
        "jp:log",
        "jp:retail-2",
    ]
    fed_up = seeker(mark(boring, VacancyAction.NOT_INTERESTED))
    recs = jb.rank([boring, other_retail, logistics], fed_up, today=TODAY, limit=10)
    assert ids(recs) == ["jp:log", "jp:retail-2"]
    assert recs[1].score == 300 + 30 - 400
    assert "you were not interested in another retail job" in recs[1].explanation


def test_categories_applied_to_rank_higher_and_applied_vacancies_stay_listed():
    applied = vacancy("applied", category="Logistics", posted_on=TODAY - dt.timedelta(days=2))
    logistics = vacancy("log", posted_on=TODAY - dt.timedelta(days=40))
    nearby = vacancy("near", category="Retail", province_code="32", regency_code="32.73")
    who = seeker(mark(applied, VacancyAction.APPLIED))
    recs = jb.rank([nearby, logistics, applied], who, today=TODAY, limit=10)
    assert ids(recs) == ["jp:applied", "jp:log", "jp:near"]
    assert recs[0].my_action is VacancyAction.APPLIED and recs[1].my_action is None
    assert recs[1].score == 200 + 20 and "you applied to Logistics jobs before" in recs[1].explanation
    assert who.interests() == {"digital marketing", "logistics"}


def test_the_latest_mark_per_vacancy_wins():
    v = vacancy("v")
    changed_mind = seeker(mark(v, VacancyAction.NOT_INTERESTED, days_ago=5), mark(v, VacancyAction.APPLIED, 1))
    assert ids(jb.rank([v], changed_mind, today=TODAY, limit=5)) == ["jp:v"]
    gave_up = seeker(mark(v, VacancyAction.APPLIED, days_ago=5), mark(v, VacancyAction.NOT_INTERESTED, 1))
    assert jb.rank([v], gave_up, today=TODAY, limit=5) == []


def test_a_disliked_certified_category_still_beats_any_other_vacancy():
    match = vacancy("match", category="Digital Marketing", posted_on=TODAY - dt.timedelta(days=300))
    disliked = vacancy("disliked", category="Digital Marketing")
    best_other = vacancy("other", category="Sales", province_code="32", regency_code="32.01", posted_on=TODAY)
    sales = vacancy("sales-applied", category="Sales")
    who = seeker(mark(disliked, VacancyAction.NOT_INTERESTED), mark(sales, VacancyAction.APPLIED))
    assert ids(jb.rank([best_other, match, disliked], who, today=TODAY, limit=10)) == ["jp:match", "jp:other"]


def test_explanations_name_the_course_the_regency_and_the_age():
    v = vacancy(
        "v", category="Digital Marketing", province_code="32", regency_code="32.01", posted_on=TODAY - dt.timedelta(3)
    )
    second = jb.CertifiedCourse("Iklan Media Sosial", "DIGITAL MARKETING")
    unrelated = jb.CertifiedCourse("Barista", "Food & Beverage")
    [r] = jb.rank(
        [v],
        seeker(certified=(BASICS, unrelated, second)),
        today=TODAY,
        limit=1,
    )
    assert r.explanation == (
        "because you completed Pemasaran Digital Dasar",
        "because you completed Iklan Media Sosial",
        "in your regency Kabupaten Bogor",
        "posted 3 days ago",
    )
    assert r.score == 1000 + 300 + 57


def record(*trainings) -> CaseRecord:
    form = application_form()
    return CaseRecord(
        case_id="c1",
        workflow_id="participant-c1",
        account_id="a1",
        scheme_id="NORMAL_2023",
        stage=Stage.TRAINING,
        version=1,
        application=form,
        decisions=(),
        next_action="",
        applied_at=NOW,
        updated_at=NOW,
        trainings=tuple(trainings),
    )


def test_recommendations_wait_for_the_first_certificate():
    assert "first training certificate" in jb.waiting_reason(record())
    in_training = training(SELF_PACED, status=TrainingStatus.IN_TRAINING)
    failed = training(SELF_PACED, status=TrainingStatus.NOT_CERTIFIED)
    assert "you have none yet" in jb.waiting_reason(record(in_training, failed))
    done = training(SELF_PACED, status=TrainingStatus.CERTIFIED, certified_at=NOW)
    assert jb.waiting_reason(record(failed, done)) is None


def test_the_seeker_comes_from_the_case_in_certificate_order():
    later = training(
        dataclasses.replace(SELF_PACED, title="Later", category="Sales"),
        status=TrainingStatus.CERTIFIED,
        certified_at=NOW,
    )
    earlier = training(SELF_PACED, status=TrainingStatus.CERTIFIED, certified_at=NOW - dt.timedelta(days=9))
    unfinished = training(dataclasses.replace(SELF_PACED, category="Ignored"), status=TrainingStatus.IN_TRAINING)
    who = jb.seeker(record(later, unfinished, earlier))
    assert who.certified == (jb.CertifiedCourse("Digital Marketing", "marketing"), jb.CertifiedCourse("Later", "Sales"))
    assert (who.province_code, who.regency_code) == ("32", "32.01")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"external_id": "has space"}, "vacancyId"),
        ({"title": " "}, "title"),
        ({"category": "x"}, "category"),
        ({"employer": ""}, "employer"),
        ({"province_code": "99"}, "provinceCode"),
        ({"province_code": "32", "regency_code": "33.01"}, "regencyCode"),
        ({"province_code": "32", "regency_code": "32.99"}, "regencyCode"),
        ({"salary_min": 7_000_000}, "salaryMin"),
        ({"salary_min": 0}, "salaryMin"),
        ({"salary_max": -1, "salary_min": None}, "salaryMax"),
        ({"expires_on": TODAY - dt.timedelta(days=30)}, "expiresOn"),
        ({"url": "http://jobs.example.id/v/1"}, "url"),
        ({"url": "https:///nohost"}, "url"),
        ({"url": "https://[broken"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
    ],
)
def test_each_bad_field_is_named(change, field):
    problems = vacancy_problems(vacancy("ok", **change))
    assert [p.field for p in problems] == [field]
    assert field in problems[0].message


def test_a_good_vacancy_has_no_problems():
    assert vacancy_problems(vacancy("ok")) == []
    assert (
        vacancy_problems(vacancy("ok", salary_min=None, salary_max=None, province_code="32", regency_code="32.73"))
        == []
    )


def test_months_are_parsed_and_bounded_in_wib():
    assert parse_month("2026-13") is None and parse_month("26-01") is None and parse_month("2026-1") is None
    may = parse_month("2026-05")
    assert may == Month(dt.date(2026, 5, 1)) and may.label == "2026-05" and may.last_day == dt.date(2026, 5, 31)
    start, end = Month(dt.date(2026, 12, 1)).window()
    assert start == dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC) and end == dt.datetime(
        2026, 12, 31, 17, 0, tzinfo=dt.UTC
    )
    # 30 June 18:00 UTC is already 1 July in WIB.
    assert month_of(dt.datetime(2026, 6, 30, 18, 0, tzinfo=dt.UTC)).label == "2026-07"


def test_trending_takes_the_top_ten_by_applications_then_vacancies_then_name():
    rows = [CategoryDemand(f"Cat {n:02d}", applications=n % 4, vacancies=n) for n in range(1, 15)]
    rows += [CategoryDemand("retail", 2, 1), CategoryDemand("Retail", 3, 2), CategoryDemand("Admin", 0, 0)]
    top = top_categories(rows)
    assert len(top) == 10
    assert top[0] == CategoryDemand("Retail", 5, 3)
    assert [(c.category, c.applications, c.vacancies) for c in top[1:4]] == [
        ("Cat 11", 3, 11),
        ("Cat 07", 3, 7),
        ("Cat 03", 3, 3),
    ]
    ties = top_categories([CategoryDemand("b", 1, 1), CategoryDemand("a", 1, 1)])
    assert [c.category for c in ties] == ["a", "b"]
