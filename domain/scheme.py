"""Programme schemes as configuration.

The 2020 semi-bansos scheme and the 2023+ normal scheme differ in age limits, social-aid
exclusion, balance, deadlines and incentives (Perpres 36/2020 and 76/2020 for the 2020-22 semi-bansos scheme; Perpres
113/2022 and Permenko 17/2022 for the normal scheme). Every stage reads the
same ``Scheme`` object; tests and benchmarks derive compressed copies with ``compressed``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

PERSON_WINDOW_FLOOR = timedelta(minutes=5)
"""A compressed scheme never makes a window a person must act in (the ability test) shorter than this."""


@dataclass(frozen=True, slots=True)
class IncentiveTranche:
    """One planned payout of the incentive schedule."""

    kind: str
    """``JOB_SEARCH`` or ``SURVEY``."""
    amount: int
    """Integer rupiah."""
    offset: timedelta = timedelta(0)
    """When it falls due, counted from the first tranche's date (a survey: when its survey opens)."""


@dataclass(frozen=True, slots=True)
class Scheme:
    """The rules of one programme era, read by every stage of the participant workflow."""

    id: str
    """Stable identifier stored with every case and decision (``NORMAL_2023``)."""
    name: str
    ruleset_version: str
    """Recorded with every decision so a reason can be traced to the rules in force."""
    min_age: int
    max_age: int | None
    """Inclusive upper age bound, or ``None`` for no upper limit."""
    excludes_social_aid: bool
    """Whether DTKS / PKH / BPNT / BSU / BPUM recipients are ineligible."""
    max_selected_per_kk: int
    balance: int
    """Training balance credited at enrollment, integer rupiah."""
    first_purchase_deadline: timedelta
    purchase_reminder_before: timedelta
    incentives: tuple[IncentiveTranche, ...]
    application_grace: timedelta
    """How long a started case waits for its application before it closes unused."""
    ability_test_duration: timedelta
    ability_test_questions: int
    ability_test_pass_mark: int
    """Correct answers needed to pass."""
    ability_test_max_attempts: int
    registry_retry_initial: timedelta
    """First wait before asking an unavailable registry again; doubles up to ``registry_retry_max``."""
    registry_retry_max: timedelta
    certificate_verification_working_days: int = 1
    """The programme verifies a confirmed completion within this many working days (PMO verifies in at most 7 working
    days)."""
    incentive_first_delay: timedelta = timedelta(days=1)
    """The first tranche's date, counted from the moment the prerequisites are met (about 1×24 h, §7)."""
    survey_answer_window: timedelta = timedelta(days=30)
    """A survey must be answered within this long of opening to be paid."""
    payout_retry_after: timedelta = timedelta(hours=1)
    """Wait before a new attempt after a transfer failed for a reason other than the account."""
    transfer_check_first: timedelta = timedelta(minutes=5)
    """A transfer the partner accepted and has not reported: the first status check after this long…"""
    transfer_check_max: timedelta = timedelta(hours=6)
    """…then the wait doubles per check up to this bound (the partner's report ends the wait at once)."""
    repayment_window: timedelta = timedelta(days=60)
    """Perpres 76/2020 art. 31C: an ineligible recipient repays within 60 days."""
    job_search_period: timedelta = timedelta(days=180)
    """After the last incentive the case stays open this long for job recommendations, then its workflow closes
    (the case stays readable in the read model)."""
    skills_tasks: bool = False
    """Whether a course's skills tasks (TPM/UK) open after the sessions and gate the certificate (2023+); without
    them the certificate follows attendance alone (2020)."""
    skills_task_window: timedelta = timedelta(hours=72)
    """A skills task is submitted within 3×24 h of opening (a window a person acts in: compressed with a floor)."""
    time_factor: int = 1
    """1 in production; compressed test schemes divide every duration (also working-day SLAs) by it."""

    def scaled(self, d: timedelta) -> timedelta:
        """A real-world duration as this scheme runs it (identity unless compressed)."""
        return d / self.time_factor

    def age_ok(self, age: int) -> bool:
        if age < self.min_age:
            return False
        return self.max_age is None or age <= self.max_age

    def age_rule_text(self) -> str:
        if self.max_age is None:
            return f"at least {self.min_age} years old"
        return f"between {self.min_age} and {self.max_age} years old"

    def compressed(self, *, factor: int) -> Scheme:
        """A copy with every duration divided by ``factor`` (tests and benchmarks only).

        Machine waits shrink freely, but the ability test is a person answering 18 questions: it keeps at least
        ``PERSON_WINDOW_FLOOR`` (or its real length when that is shorter), so a demo participant can finish it.
        """

        def shrink(d: timedelta) -> timedelta:
            return d / factor

        return dataclasses.replace(
            self,
            id=f"{self.id}_X{factor}",
            time_factor=self.time_factor * factor,
            first_purchase_deadline=shrink(self.first_purchase_deadline),
            purchase_reminder_before=shrink(self.purchase_reminder_before),
            application_grace=shrink(self.application_grace),
            ability_test_duration=max(
                shrink(self.ability_test_duration), min(self.ability_test_duration, PERSON_WINDOW_FLOOR)
            ),
            registry_retry_initial=shrink(self.registry_retry_initial),
            registry_retry_max=shrink(self.registry_retry_max),
            skills_task_window=max(shrink(self.skills_task_window), min(self.skills_task_window, PERSON_WINDOW_FLOOR)),
            incentives=tuple(dataclasses.replace(t, offset=shrink(t.offset)) for t in self.incentives),
            incentive_first_delay=shrink(self.incentive_first_delay),
            survey_answer_window=shrink(self.survey_answer_window),
            payout_retry_after=shrink(self.payout_retry_after),
            transfer_check_first=shrink(self.transfer_check_first),
            transfer_check_max=shrink(self.transfer_check_max),
            repayment_window=shrink(self.repayment_window),
            job_search_period=shrink(self.job_search_period),
        )

    @property
    def incentive_package(self) -> int:
        """Everything the schedule pays when every survey is answered."""
        return sum(t.amount for t in self.incentives)


SEMI_BANSOS_2020 = Scheme(
    id="SEMI_BANSOS_2020",
    name="Kartu Prakerja semi-bansos (2020–2022)",
    ruleset_version="2020.1",
    min_age=18,
    max_age=None,
    excludes_social_aid=True,
    max_selected_per_kk=2,
    balance=1_000_000,
    first_purchase_deadline=timedelta(days=30),
    purchase_reminder_before=timedelta(days=7),
    incentives=(  # Rp600k monthly for 4 months, three surveys (Rp2.4M job-search + Rp150k surveys, 2020-22)
        *(IncentiveTranche("JOB_SEARCH", 600_000, timedelta(days=30 * i)) for i in range(4)),
        *(IncentiveTranche("SURVEY", 50_000, timedelta(days=30 * i)) for i in (1, 2, 3)),
    ),
    application_grace=timedelta(days=1),
    ability_test_duration=timedelta(minutes=25),
    ability_test_questions=18,
    ability_test_pass_mark=12,
    ability_test_max_attempts=3,
    registry_retry_initial=timedelta(seconds=30),
    registry_retry_max=timedelta(minutes=15),
)

NORMAL_2023 = Scheme(
    id="NORMAL_2023",
    name="Kartu Prakerja skema normal (2023+)",
    ruleset_version="2023.1",
    min_age=18,
    max_age=64,
    excludes_social_aid=False,
    max_selected_per_kk=2,
    balance=3_500_000,
    first_purchase_deadline=timedelta(days=15),
    purchase_reminder_before=timedelta(days=7),
    incentives=(  # Rp600k once; surveys about 30 and 90 days after it (Rp600k job-search + Rp100k surveys, 2023+)
        IncentiveTranche("JOB_SEARCH", 600_000),
        IncentiveTranche("SURVEY", 50_000, timedelta(days=30)),
        IncentiveTranche("SURVEY", 50_000, timedelta(days=90)),
    ),
    application_grace=timedelta(days=1),
    ability_test_duration=timedelta(minutes=25),
    ability_test_questions=18,
    ability_test_pass_mark=12,
    ability_test_max_attempts=3,
    registry_retry_initial=timedelta(seconds=30),
    registry_retry_max=timedelta(minutes=15),
    skills_tasks=True,
)

LOADTEST_2023 = dataclasses.replace(
    NORMAL_2023,
    id="LOADTEST_2023",
    name="Kartu Prakerja 2023+ rules with load-test timings",
    # The rules and amounts of 2023+, with the waits that a load test cannot sit through shortened one by one
    # (a uniform time factor would also shrink the 25-minute ability test to nothing).
    # A 2,000-participant run works through its wave at ~2/s: the last card is used ~17 minutes after enrollment.
    first_purchase_deadline=timedelta(minutes=30),
    purchase_reminder_before=timedelta(minutes=2),
    registry_retry_initial=timedelta(milliseconds=500),
    registry_retry_max=timedelta(seconds=5),
    incentives=(
        IncentiveTranche("JOB_SEARCH", 600_000),
        IncentiveTranche("SURVEY", 50_000, timedelta(seconds=5)),
        IncentiveTranche("SURVEY", 50_000, timedelta(seconds=10)),
    ),
    incentive_first_delay=timedelta(seconds=1),
    survey_answer_window=timedelta(minutes=2),
    payout_retry_after=timedelta(seconds=2),
    transfer_check_first=timedelta(seconds=2),
    transfer_check_max=timedelta(seconds=8),
    job_search_period=timedelta(seconds=20),
)

SCHEMES: dict[str, Scheme] = {s.id: s for s in (SEMI_BANSOS_2020, NORMAL_2023, LOADTEST_2023)}


def get_scheme(scheme_id: str) -> Scheme:
    """Look up a scheme by id; compressed test schemes are named ``<ID>_X<factor>``."""
    if scheme_id in SCHEMES:
        return SCHEMES[scheme_id]
    base, sep, factor = scheme_id.rpartition("_X")
    if sep and base in SCHEMES and factor.isdigit() and int(factor) > 0:
        return SCHEMES[base].compressed(factor=int(factor))
    raise KeyError(f"unknown scheme {scheme_id!r}")
