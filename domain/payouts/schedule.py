"""The incentive schedule and its prerequisites, derived from the scheme (official FAQ: first certificate, rating, an
own KYC-verified account). Pure functions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from domain.payouts.tranches import PayoutAccount, Tranche, TrancheStatus, tranche_key
from domain.scheme import Scheme
from domain.training.trainings import Training, TrainingStatus


@dataclass(frozen=True, slots=True)
class Prerequisites:
    certificate: bool
    rating: bool
    account: bool

    @property
    def met(self) -> bool:
        return self.certificate and self.rating and self.account

    def missing(self) -> list[str]:
        texts = (
            (self.certificate, "finish your first training and receive its certificate"),
            (self.rating, "rate and review your first completed training"),
            (self.account, "link a bank or e-wallet account in your own name (same NIK, KYC-verified)"),
        )
        return [text for ok, text in texts if not ok]

    def missing_codes(self) -> list[str]:
        """What is missing as codes (``CERTIFICATE``, ``RATING``, ``ACCOUNT``): ``prereq.<code>`` in the
        catalogue."""
        held = (("CERTIFICATE", self.certificate), ("RATING", self.rating), ("ACCOUNT", self.account))
        return [code for code, ok in held if not ok]


def first_certified(trainings: Iterable[Training]) -> Training | None:
    """The first training completed with a certificate: the one the job-search incentive is for."""
    done = [t for t in trainings if t.status is TrainingStatus.CERTIFIED and t.certified_at is not None]
    return min(done, key=lambda t: t.certified_at or dt.datetime.max) if done else None


def prerequisites(trainings: Iterable[Training], account: PayoutAccount | None) -> Prerequisites:
    first = first_certified(trainings)
    return Prerequisites(
        certificate=first is not None,
        rating=first is not None and first.rating is not None,
        account=account is not None,
    )


def build_schedule(case_id: str, scheme: Scheme, met_at: dt.datetime) -> list[Tranche]:
    """Every tranche of the scheme, numbered from 1, dated from the moment the prerequisites were met."""
    start = met_at + scheme.incentive_first_delay
    return [
        Tranche(
            number=n,
            kind=plan.kind,
            amount=plan.amount,
            key=tranche_key(case_id, n),
            status=TrancheStatus.SCHEDULED,
            due_at=start + plan.offset,
        )
        for n, plan in enumerate(scheme.incentives, start=1)
    ]


def open_survey(t: Tranche, scheme: Scheme) -> Tranche:
    return dataclasses.replace(
        t, status=TrancheStatus.SURVEY_OPEN, survey_due_at=t.due_at + scheme.survey_answer_window
    )


def paid_total(tranches: Iterable[Tranche]) -> int:
    return sum(t.amount for t in tranches if t.status is TrancheStatus.PAID)


def schedule_violations(tranches: list[Tranche], scheme: Scheme) -> list[str]:
    """The payout invariants of one case: numbers and keys unique, amounts as the scheme says, nothing paid
    beyond the package."""
    problems: list[str] = []
    if len({t.key for t in tranches}) != len(tranches):
        problems.append("a tranche key appears twice")
    for t, plan in zip(tranches, scheme.incentives, strict=False):
        if (t.kind, t.amount) != (plan.kind, plan.amount):
            problems.append(
                f"tranche {t.number} is {t.kind} Rp{t.amount:,}, the scheme says {plan.kind} Rp{plan.amount:,}"
            )
    if len(tranches) > len(scheme.incentives):
        problems.append(f"{len(tranches)} tranches, the scheme has {len(scheme.incentives)}")
    if paid_total(tranches) > scheme.incentive_package:
        problems.append(f"paid Rp{paid_total(tranches):,}, above the package Rp{scheme.incentive_package:,}")
    return problems


SETTLED = (TrancheStatus.PAID, TrancheStatus.SURVEY_EXPIRED, TrancheStatus.CANCELLED)


def all_settled(tranches: list[Tranche]) -> bool:
    """Every tranche paid, lapsed or stopped (and there is a schedule)."""
    return bool(tranches) and all(t.status in SETTLED for t in tranches)
