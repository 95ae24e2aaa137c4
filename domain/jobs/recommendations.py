"""Job recommendations (after the first certified training): which open vacancies a certified participant sees, in
which order, and why.

Recommendations start with the first certified training. Candidates are the vacancies still open on the
programme date (``expires_on >= today`` in WIB) that the participant has not marked ``NOT_INTERESTED``.
Each gets an integer score; higher comes first and equal scores are ordered by vacancy ID, so the same
catalogue, vacancies and feedback always give the same list::

    score = CATEGORY   1000  the vacancy's category is the course category of a certified training
                             (case-insensitive)
          + LOCATION    300  in the participant's domicile regency
                        150  elsewhere in the domicile province
                          0  elsewhere
          + RECENCY     max(0, 60 - days since posted)  (posted today: 60; a future posting date counts as today)
          + FEEDBACK   +200  the participant APPLIED to a vacancy of this category (any vacancy, open or not)
                       -400  the participant marked a vacancy of this category NOT_INTERESTED
                             (both apply when both happened)

With equal feedback, category beats location and location beats recency: 1000 > 300 + 60, and the smallest
location step, 150, exceeds the largest recency difference, 60. Feedback moves a category within and between
those tiers but never outweighs a certificate: a certified category the participant went off (1000 − 400)
still beats any uncertified vacancy (at most 300 + 60 + 200).
Every term that contributed is explained in the item, in the participant's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from domain.jobs.vacancies import MarkedVacancy, Vacancy, VacancyAction, normalized_category
from domain.messages import CaseRecord
from domain.regions import province_name, regency_name
from domain.texts.render import render
from domain.texts.text import Text, text
from domain.training.trainings import TrainingStatus

CATEGORY = 1000
SAME_REGENCY = 300
SAME_PROVINCE = 150
RECENCY_DAYS = 60
APPLIED_CATEGORY = 200
NOT_INTERESTED_CATEGORY = -400


@dataclass(frozen=True, slots=True)
class CertifiedCourse:
    title: str
    category: str


@dataclass(frozen=True, slots=True)
class Seeker:
    """What ranking knows about the participant: domicile, certified courses and feedback."""

    province_code: str
    regency_code: str
    certified: tuple[CertifiedCourse, ...]
    """In the order the certificates were issued."""
    marks: tuple[MarkedVacancy, ...] = ()

    def latest_marks(self) -> dict[str, MarkedVacancy]:
        """The latest action per vacancy (storage keeps one already; this makes the rule self-contained)."""
        latest: dict[str, MarkedVacancy] = {}
        for m in sorted(self.marks, key=lambda m: (m.at, m.action.value)):
            latest[m.vacancy_id] = m
        return latest

    def categories(self, action: VacancyAction) -> frozenset[str]:
        return frozenset(normalized_category(m.category) for m in self.latest_marks().values() if m.action is action)

    def interests(self) -> frozenset[str]:
        """Categories that raise a score: certified courses' and those applied to."""
        certified = {normalized_category(c.category) for c in self.certified}
        return frozenset(certified) | self.categories(VacancyAction.APPLIED)


@dataclass(frozen=True, slots=True)
class Recommendation:
    vacancy: Vacancy
    score: int
    explanation: tuple[str, ...]
    my_action: VacancyAction | None = None
    """``APPLIED`` when the participant said they applied (it stays listed)."""
    reasons: tuple[Text, ...] = ()
    """``explanation`` as catalogue texts, rendered in the reader's language."""


def waiting_reason(record: CaseRecord) -> str | None:
    """Why there are no recommendations yet (in English); ``None`` once a training is certified."""
    why = waiting_text(record)
    return render(why, "en") if why is not None else None


def waiting_text(record: CaseRecord) -> Text | None:
    """Why there are no recommendations yet, as a catalogue text; ``None`` once a training is certified."""
    statuses = {t.status for t in record.trainings}
    if TrainingStatus.CERTIFIED in statuses:
        return None
    return text("jobs.WAIT_NO_TRAINING" if not record.trainings else "jobs.WAIT_NOT_CERTIFIED")


def seeker(record: CaseRecord, marks: Iterable[MarkedVacancy] = ()) -> Seeker:
    """The ranking profile of a case from the read model and its marks."""
    done = sorted(
        (t for t in record.trainings if t.status is TrainingStatus.CERTIFIED),
        key=lambda t: (t.certified_at or dt.datetime.max.replace(tzinfo=dt.UTC), t.course.title),
    )
    domicile = record.application.domicile
    return Seeker(
        province_code=domicile.province_code,
        regency_code=domicile.regency_code,
        certified=tuple(CertifiedCourse(t.course.title, t.course.category) for t in done),
        marks=tuple(marks),
    )


def _posted(days: int) -> Text:
    if days == 0:
        return text("jobs.POSTED_TODAY")
    return text("jobs.POSTED_YESTERDAY") if days == 1 else text("jobs.POSTED_DAYS", days=days)


def _location(v: Vacancy, who: Seeker) -> tuple[int, list[Text]]:
    if v.regency_code is not None and v.regency_code == who.regency_code:
        return SAME_REGENCY, [text("jobs.SAME_REGENCY", name=regency_name(v.regency_code) or v.regency_code)]
    if v.province_code == who.province_code:
        return SAME_PROVINCE, [text("jobs.SAME_PROVINCE", name=province_name(v.province_code) or v.province_code)]
    return 0, []


def _category(v: Vacancy, who: Seeker, applied: frozenset[str], avoided: frozenset[str]) -> tuple[int, list[Text]]:
    key = normalized_category(v.category)
    titles = list(dict.fromkeys(c.title for c in who.certified if normalized_category(c.category) == key))
    score = CATEGORY if titles else 0
    why = [text("jobs.COMPLETED", title=title) for title in titles]
    if key in applied:
        score += APPLIED_CATEGORY
        why.append(text("jobs.APPLIED_BEFORE", category=v.category))
    if key in avoided:
        score += NOT_INTERESTED_CATEGORY
        why.append(text("jobs.NOT_INTERESTED", category=v.category))
    return score, why


def score(v: Vacancy, who: Seeker, today: dt.date) -> tuple[int, tuple[str, ...]]:
    """One vacancy's score and explanation in English (the module docstring has the formula)."""
    applied, avoided = who.categories(VacancyAction.APPLIED), who.categories(VacancyAction.NOT_INTERESTED)
    points, why = _score(v, who, today, applied, avoided)
    return points, tuple(render(t, "en") for t in why)


def _score(
    v: Vacancy, who: Seeker, today: dt.date, applied: frozenset[str], avoided: frozenset[str]
) -> tuple[int, tuple[Text, ...]]:
    category_points, category_why = _category(v, who, applied, avoided)
    location_points, location_why = _location(v, who)
    age = max(0, (today - v.posted_on).days)
    recency = max(0, RECENCY_DAYS - age)
    return category_points + location_points + recency, (*category_why, *location_why, _posted(age))


def rank(vacancies: Iterable[Vacancy], who: Seeker, *, today: dt.date, limit: int) -> list[Recommendation]:
    """The ``limit`` best open vacancies for the participant, best first (ties by vacancy ID)."""
    marks = who.latest_marks()
    applied = who.categories(VacancyAction.APPLIED)
    avoided = who.categories(VacancyAction.NOT_INTERESTED)
    ranked = []
    for v in {v.id: v for v in vacancies}.values():
        mark = marks.get(v.id)
        if not v.open_on(today) or (mark is not None and mark.action is VacancyAction.NOT_INTERESTED):
            continue
        points, why = _score(v, who, today, applied, avoided)
        english = tuple(render(t, "en") for t in why)
        ranked.append(Recommendation(v, points, english, mark.action if mark is not None else None, why))
    ranked.sort(key=lambda r: (-r.score, r.vacancy.id))
    return ranked[: max(0, limit)]
