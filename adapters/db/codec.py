"""Domain dataclasses <-> JSON columns, with NIK and KK masked before they reach the database."""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import TypeAdapter

from domain.ability_test.attempts import TestAttempt
from domain.application.form import ApplicationForm
from domain.case import Decision
from domain.clawback.saga import Clawback
from domain.enrollment.enrollment import Enrollment
from domain.nik import mask_nik
from domain.payouts.tranches import PayoutAccount, Tranche
from domain.training.trainings import Training
from domain.waves.lifecycle import WaveEntry

_FORM = TypeAdapter(ApplicationForm)
_DECISIONS = TypeAdapter(tuple[Decision, ...])
_ATTEMPTS = TypeAdapter(tuple[TestAttempt, ...])
_WAVES = TypeAdapter(tuple[WaveEntry, ...])
_ENROLLMENT = TypeAdapter(Enrollment | None)
_TRAININGS = TypeAdapter(tuple[Training, ...])
_ACCOUNT = TypeAdapter(PayoutAccount | None)
_TRANCHES = TypeAdapter(tuple[Tranche, ...])
_CLAWBACK = TypeAdapter(Clawback | None)


def form_to_json(form: ApplicationForm) -> dict[str, Any]:
    masked = dataclasses.replace(form, nik=mask_nik(form.nik), kk_number=mask_nik(form.kk_number))
    return _FORM.dump_python(masked, mode="json")


def form_from_json(data: dict[str, Any]) -> ApplicationForm:
    return _FORM.validate_python(data)


def decisions_to_json(decisions: tuple[Decision, ...]) -> list[Any]:
    return _DECISIONS.dump_python(decisions, mode="json")


def decisions_from_json(data: list[Any]) -> tuple[Decision, ...]:
    return _DECISIONS.validate_python(data)


def attempts_to_json(attempts: tuple[TestAttempt, ...]) -> list[Any]:
    return _ATTEMPTS.dump_python(attempts, mode="json")


def attempts_from_json(data: list[Any]) -> tuple[TestAttempt, ...]:
    return _ATTEMPTS.validate_python(data)


def waves_to_json(entries: tuple[WaveEntry, ...]) -> list[Any]:
    return _WAVES.dump_python(entries, mode="json")


def waves_from_json(data: list[Any]) -> tuple[WaveEntry, ...]:
    return _WAVES.validate_python(data)


def enrollment_to_json(enrollment: Enrollment | None) -> dict[str, Any] | None:
    return _ENROLLMENT.dump_python(enrollment, mode="json")


def enrollment_from_json(data: dict[str, Any] | None) -> Enrollment | None:
    return _ENROLLMENT.validate_python(data)


def trainings_to_json(trainings: tuple[Training, ...]) -> list[Any]:
    return _TRAININGS.dump_python(trainings, mode="json")


def trainings_from_json(data: list[Any]) -> tuple[Training, ...]:
    return _TRAININGS.validate_python(data)


def payouts_to_json(
    account: PayoutAccount | None, incentives: tuple[Tranche, ...], clawback: Clawback | None
) -> dict[str, Any]:
    return {
        # The read model keeps only the last four digits of the account number.
        "account": _ACCOUNT.dump_python(
            account and dataclasses.replace(account, account_number=account.masked), mode="json"
        ),
        "incentives": _TRANCHES.dump_python(incentives, mode="json"),
        "clawback": _CLAWBACK.dump_python(clawback, mode="json"),
    }


def payouts_from_json(data: dict[str, Any]) -> tuple[PayoutAccount | None, tuple[Tranche, ...], Clawback | None]:
    return (
        _ACCOUNT.validate_python(data.get("account")),
        _TRANCHES.validate_python(data.get("incentives") or ()),
        _CLAWBACK.validate_python(data.get("clawback")),
    )
