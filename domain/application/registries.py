"""Government registries as ports, and the facts they return (Dukcapil, Dapodik/PDDikti, social-aid registers, the
programme's own records).

Every adapter answers with a ``RegistryAnswer``: a definitive fact, a definitive "not found", or
``UNAVAILABLE`` (timeout, 5xx, outage) — which the workflow never turns into ineligibility.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Registry(StrEnum):
    """Registries consulted during validation; the value is shown to participants as the source."""

    DUKCAPIL = "DUKCAPIL"
    """Civil registry: NIK, KK, name, date of birth."""
    EDUCATION = "EDUCATION"
    """Dapodik (schools), PDDikti (universities) and EMIS (madrasahs): current enrolment."""
    OCCUPATION = "OCCUPATION"
    """BKN (civil servants), TNI, Polri, DPRD, village officials, BUMN/BUMD boards."""
    SOCIAL_AID = "SOCIAL_AID"
    """DTKS, PKH/BPNT, BSU (wage subsidy), BPUM (micro-business aid)."""
    PROGRAMME = "PROGRAMME"
    """The programme's own records: earlier recipients, blacklist, household selections."""


class Answer(StrEnum):
    FOUND = "FOUND"
    NOT_FOUND = "NOT_FOUND"
    UNAVAILABLE = "UNAVAILABLE"


@dataclass(frozen=True, slots=True)
class CivilRecord:
    """What Dukcapil holds for a NIK."""

    nik: str
    kk_number: str
    full_name: str
    date_of_birth: dt.date
    sex: str
    """``M`` or ``F``."""
    alive: bool = True


@dataclass(frozen=True, slots=True)
class RegistryAnswer:
    """One registry's answer about one person."""

    registry: Registry
    answer: Answer
    checked_at: dt.datetime
    civil: CivilRecord | None = None
    """Dukcapil only, when FOUND."""
    memberships: tuple[str, ...] = ()
    """Codes found in the registry: ``PDDIKTI``, ``ASN``, ``DTKS``, ``PKH``, ``BLACKLIST``…"""
    detail: str = ""
    """Why UNAVAILABLE (for operators), or extra context."""


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """What validation sends to every registry (the NIK travels only in encrypted payloads)."""

    nik: str
    kk_number: str
    case_id: str
    kk_index: str = ""
    """HMAC of the KK number, for the programme's own household records."""


class RegistryPort(Protocol):
    """One registry; adapters implement timeouts and transient-error retries themselves."""

    registry: Registry

    async def lookup(self, query: PersonQuery) -> RegistryAnswer: ...
