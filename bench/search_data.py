"""Synthetic cases for the staff search benchmark: stages in realistic shares with their read-model JSON, names,
cards, waves and flags, generated row by row for COPY (bench/search.py)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from adapters.db import codec
from adapters.db.pii import FieldCipher
from adapters.db.sealed_forms import PII_COLUMN
from adapters.registries.population import _FAMILY, _FEMALE, _MALE
from bench.selection import POPULATION
from bench.stack import BENCH_PII_KEYS
from domain.ability_test.attempts import AttemptStatus, TestAttempt
from domain.application.form import Address, ApplicationForm, Education, EmploymentStatus, Sex
from domain.case import Decision, Outcome, RuleResult, Stage
from domain.clawback.saga import Clawback
from domain.enrollment.enrollment import CardStatus, Enrollment
from domain.names import name_tokens
from domain.nik import blind_index
from domain.payouts.tranches import PayoutAccount, Provider, Tranche, TrancheStatus
from domain.regions import all_province_codes
from domain.training.trainings import Course, Redemption, Training, TrainingMode, TrainingStatus
from domain.waves.lifecycle import WaveEntry

KEY = b"bench-search-blind-index-key"
CIPHER = FieldCipher.from_settings(BENCH_PII_KEYS, "bench-pii")
TARGET_MS = 50.0
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
DAYS, WAVE_EVERY = 720, 120  # six waves over two years; W6 is open now
T0 = NOW - dt.timedelta(days=DAYS)
SELECTED_STAGES = {Stage.ENROLLED, Stage.REVOKED, Stage.TRAINING, Stage.JOB_SEARCH, Stage.CLAWBACK, Stage.CLOSED}
STAGE_SHARES = {
    Stage.INELIGIBLE: 18, Stage.VALIDATING: 1.5, Stage.ELIGIBLE: 22, Stage.IN_WAVE: 8, Stage.ENROLLED: 5,
    Stage.REVOKED: 4, Stage.TRAINING: 18, Stage.JOB_SEARCH: 20, Stage.CLAWBACK: 0.3, Stage.CLOSED: 3.2,
}  # fmt: skip
COLUMNS = (
    "case_id", "account_id", "kk_index", "workflow_id", "scheme_id", "stage", "province_code", "regency_code",
    "pii", "name_tokens", "decisions", "next_action", "version", "applied_at", "updated_at",
    "ability_test", "waves", "enrollment", "trainings", "balance", "card_number", "payouts",
)  # fmt: skip
SERVER_SETTINGS = {"shared_buffers": "2GB", "maintenance_work_mem": "1GB", "max_wal_size": "8GB",
                   "checkpoint_timeout": "30min"}  # fmt: skip


def _rules(outcome: Outcome, *names: str) -> tuple[RuleResult, ...]:
    reason = "Checked against the registry record of this NIK on the day of the decision."
    return tuple(RuleResult(n, outcome if i == len(names) - 1 else Outcome.PASS, reason, n.split("_")[0], T0)
                 for i, n in enumerate(names))  # fmt: skip


def _template(stage: Stage, *, payout_failed: bool = False) -> dict[str, str | int | None]:
    """The read-model JSON of a case at ``stage``, with ``@N@``/``@P@``/``@R@``/``@C@`` for name, area, card."""
    home = Address("Jl. Merdeka 10 RT 01/RW 02", "@P@", "@R@")
    form = ApplicationForm("peserta@example.id", "081234567890", "3201011508950001", "3201010101200001",
                           dt.date(1995, 8, 15), "@N@", Sex.F, home, home, Education.SMA,
                           EmploymentStatus.JOB_SEEKER, "digital marketing", True)  # fmt: skip
    structural = _rules(Outcome.PASS, "APPLICATION_NIK_FORMAT", "APPLICATION_KK", "APPLICATION_AGE")
    decisions = [Decision("APPLICATION_RECORDED", Outcome.PASS, "Application recorded.", T0, "2023.1", structural)]
    if stage is not Stage.VALIDATING:
        verdict = Outcome.FAIL if stage is Stage.INELIGIBLE else Outcome.PASS
        names = ("DUKCAPIL_MATCH", "EDUCATION_MIN", "OCCUPATION_NOT_EXCLUDED", "SOCIAL_AID_NONE",
                 "PROGRAMME_NOT_BLACKLISTED", "PROGRAMME_NOT_RECIPIENT", "PROGRAMME_HOUSEHOLD")  # fmt: skip
        decisions.append(
            Decision("ELIGIBILITY", verdict, "Eligibility decided.", T0, "2023.1", _rules(verdict, *names))
        )
    passed = stage not in (Stage.VALIDATING, Stage.INELIGIBLE)
    tests = (TestAttempt(1, "2023.1", tuple(f"Q{i:03d}" for i in range(18)), T0, T0, AttemptStatus.PASSED, 15, T0),)
    enrollment = trainings = None
    incentives: tuple[Tranche, ...] = ()
    clawback = None
    if stage in SELECTED_STAGES:
        revoked = stage in (Stage.REVOKED, Stage.CLAWBACK)
        enrollment = Enrollment("@C@", T0, 3_500_000, T0, T0, CardStatus.REVOKED if revoked else CardStatus.ACTIVE,
                                True, T0 if revoked else None, "no first purchase" if revoked else "")  # fmt: skip
        if stage not in (Stage.ENROLLED, Stage.REVOKED):
            course = Course("C-0042", "Digital marketing untuk UMKM", "LPK-01", "PLAT-01", 1_000_000,
                            TrainingMode.WEBINAR, "marketing", (T0, T0, T0))  # fmt: skip
            redeemed = tuple(Redemption(n, T0, "LPK-01", f"req-{n}") for n in (1, 2, 3))
            trainings = (Training("PLAT-01:key-1", "INV-1", "VCR-1", "RDM-1", course, 1_000_000, T0,
                                  TrainingStatus.CERTIFIED, redeemed, certificate_serial="PKJ/2025/1"),)  # fmt: skip
        if stage in (Stage.JOB_SEARCH, Stage.CLOSED, Stage.CLAWBACK):
            first = TrancheStatus.FAILED if payout_failed else TrancheStatus.PAID
            incentives = tuple(Tranche(n, "JOB_SEARCH" if n == 1 else "SURVEY", 600_000 if n == 1 else 50_000,
                                       f"case:incentive:{n}", first if n == 1 else TrancheStatus.PAID, T0)
                               for n in (1, 2, 3))  # fmt: skip
        if stage is Stage.CLAWBACK:
            clawback = Clawback("FALSE_DATA", "Declared jobless while employed.", "BPJS record", "staff-1", T0)
    account = PayoutAccount(Provider.BNI, "0123456789", "PESERTA", 1, T0) if incentives else None
    return {
        "application": _json(codec.form_to_json(form)),
        "decisions": _json(codec.decisions_to_json(tuple(decisions))),
        "ability_test": _json(codec.attempts_to_json(tests if passed else ())),
        "enrollment": _json(codec.enrollment_to_json(enrollment)) if enrollment else None,
        "trainings": _json(codec.trainings_to_json(trainings or ())),
        "payouts": _json(codec.payouts_to_json(account, incentives, clawback)),
        "balance": 2_500_000 if trainings else 3_500_000 if enrollment else 0,
    }


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@functools.cache
def _wave_entry(wave: int, outcome: str | None) -> str:
    opened = T0 + dt.timedelta(days=WAVE_EVERY * wave)
    reason = {"SELECTED": "SELECTED_LOTTERY", "NOT_SELECTED": "NOT_SELECTED_QUOTA"}.get(outcome or "")
    entry = WaveEntry(f"W{wave}", opened + dt.timedelta(days=1), outcome, reason,
                      opened + dt.timedelta(days=7) if outcome else None)  # fmt: skip
    return _json(codec.waves_to_json((entry,))[0])


def _waves(rnd: random.Random, stage: Stage, applied_day: int) -> str:
    """Waves in order from the first after the application: not selected until the last one."""
    first = applied_day // WAVE_EVERY + 1
    if stage is Stage.IN_WAVE:
        return "[" + ", ".join([_wave_entry(w, "NOT_SELECTED") for w in range(max(first, 6 - rnd.randrange(3)), 6)]
                               + [_wave_entry(6, None)]) + "]"  # fmt: skip
    if stage in SELECTED_STAGES:
        first = min(first, 5)
        last = min(first + rnd.choices((0, 1, 2), (70, 20, 10))[0], 5)
        return "[" + ", ".join(_wave_entry(w, "SELECTED" if w == last else "NOT_SELECTED")
                               for w in range(first, last + 1)) + "]"  # fmt: skip
    if stage is Stage.ELIGIBLE and first <= 5 and rnd.random() < 0.6:
        last = min(first + rnd.randrange(2), 5)
        return "[" + ", ".join(_wave_entry(w, "NOT_SELECTED") for w in range(first, last + 1)) + "]"
    return "[]"


@dataclass
class Samples:
    """A sample of what was loaded, to search for."""

    niks: list[tuple[str, str]] = field(default_factory=list)  # (NIK, province)
    cards: list[tuple[str, str]] = field(default_factory=list)  # (card number, province)
    names: list[str] = field(default_factory=list)


def generate(n: int, seed: int, samples: Samples, *, part: int = 0, parts: int = 1) -> Iterator[tuple[object, ...]]:
    """Rows ``part``, ``part + parts``… of ``n`` (each part its own random stream, so parts load in parallel)."""
    rnd = random.Random(seed * 1000 + part)
    codes = all_province_codes()
    weights = [POPULATION.get(c, 1.0) for c in codes]
    stages, shares = list(STAGE_SHARES), list(STAGE_SHARES.values())
    templates = {s: _template(s) for s in stages} | {"FAILED": _template(Stage.JOB_SEARCH, payout_failed=True)}
    for i in range(part, n, parts):
        province, stage = rnd.choices(codes, weights)[0], rnd.choices(stages, shares)[0]
        latest = DAYS - WAVE_EVERY if stage in SELECTED_STAGES else DAYS
        applied_day = rnd.randrange(latest)
        applied_at = T0 + dt.timedelta(days=applied_day, seconds=rnd.randrange(86_400))
        sex = rnd.random() < 0.5
        middle = f" {rnd.choice(_FEMALE if sex else _MALE)}" if rnd.random() < 0.3 else ""
        name = f"{rnd.choice(_FEMALE if sex else _MALE)}{middle} {rnd.choice(_FAMILY)}"
        nik = f"{province}{i:014d}"
        card = f"5{(i * 48271) % 10**15:015d}" if stage in SELECTED_STAGES else None
        failed = stage is Stage.JOB_SEARCH and rnd.random() < 0.02
        t = templates["FAILED" if failed else stage]
        if i % 997 == 0:
            samples.niks.append((nik, province))
            samples.names.append(name)
            if card:
                samples.cards.append((card, province))
        enrollment = t["enrollment"]
        yield (
            blind_index(nik, KEY), f"acct-{i:09d}", rnd.randbytes(32).hex(), f"participant-{i}", "NORMAL_2023",
            stage.value, province, f"{province}.01",
            CIPHER.seal(str(t["application"]).replace("@N@", name).replace("@P@", province)
                        .replace("@R@", f"{province}.01").encode(), PII_COLUMN),
            name_tokens(name, KEY),
            t["decisions"], "", 10, applied_at, applied_at + dt.timedelta(days=3), t["ability_test"],
            _waves(rnd, stage, applied_day), str(enrollment).replace("@C@", card or "") if enrollment else None,
            t["trainings"], t["balance"], card, t["payouts"],
        )  # fmt: skip
