"""Wire contracts of the application stage: the apply update and the registry checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.application.form import ApplicationForm
from domain.application.registries import Registry, RegistryAnswer
from domain.case import Stage


@dataclass(frozen=True, slots=True)
class ApplyRequest:
    """Update payload of ``ParticipantWorkflow.apply``."""

    request_id: str
    account_id: str
    form: ApplicationForm


@dataclass(frozen=True, slots=True)
class ApplyResult:
    case_id: str
    stage: Stage
    applied_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CheckRegistriesInput:
    """Ask the given registries about one person (NIK and KK travel only in payloads)."""

    case_id: str
    nik: str
    kk_number: str
    registries: tuple[Registry, ...]


@dataclass(frozen=True, slots=True)
class CheckRegistriesResult:
    answers: tuple[RegistryAnswer, ...]
