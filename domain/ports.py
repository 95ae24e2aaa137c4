"""Ports: what the domain needs from the outside world, implemented in ``adapters/``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from domain.case import Stage
from domain.funnel import FunnelCounts, FunnelQuery
from domain.messages import CaseRecord


class CaseStore(Protocol):
    """Write side of the read model, used by workflow activities."""

    async def register(self, record: CaseRecord) -> str:
        """Insert the case once; ``REGISTERED``, ``NIK_TAKEN`` or ``ACCOUNT_TAKEN``. Idempotent."""
        ...

    async def project(self, record: CaseRecord) -> bool:
        """Upsert the projection unless a newer version is stored; True when written."""
        ...


class CaseFlag(StrEnum):
    """Conditions staff look for across stages, computed from the read model."""

    PAYOUT_FAILED = "PAYOUT_FAILED"
    """An incentive tranche the payment partner refused (status ``FAILED``), waiting for another account."""
    CLAWBACK = "CLAWBACK"
    """In the clawback stage, or a clawback was ever started for the case."""
    CARD_REVOKED = "CARD_REVOKED"
    """The Kartu Prakerja was revoked (no first purchase in time, or a clawback)."""
    NO_PURCHASE_YET = "NO_PURCHASE_YET"
    """The card is active and no purchase stands (a cancelled one does not count, as for the purchase deadline)."""


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Staff search filter; every field narrows the result."""

    case_id: str | None = None
    province_codes: tuple[str, ...] | None = None
    """``None`` means every province (national staff)."""
    stage: Stage | None = None
    name_prefix: str | None = None
    """Case-insensitive prefix of the full name."""
    card_number: str | None = None
    """The 16-digit Kartu Prakerja number, matched exactly."""
    wave_id: str | None = None
    """Cases that joined this wave (whatever came of it)."""
    flags: frozenset[CaseFlag] = frozenset()
    """Every flag given must hold."""


@dataclass(frozen=True, slots=True)
class CasePage:
    records: list[CaseRecord]
    end_cursor: str | None
    has_next_page: bool


@dataclass(frozen=True, slots=True)
class TrainingOutcome:
    """Tests and ratings of the trainings of one course or provider (staff quality view)."""

    key: str
    trainings: int
    average_pre_test: float | None
    average_post_test: float | None
    ratings: int
    average_rating: float | None


@dataclass(frozen=True, slots=True)
class CaseHandle:
    """What a participant's update needs of their case: the workflow to send it to and what its ID is made of."""

    workflow_id: str
    version: int
    ability_attempts: int


class CaseReader(Protocol):
    """Read side of the read model, used by the GraphQL API."""

    async def by_id(self, case_id: str) -> CaseRecord | None: ...

    async def by_account(self, account_id: str) -> CaseRecord | None: ...

    async def handle_by_account(self, account_id: str) -> CaseHandle | None:
        """Three columns instead of the whole row (no personal data opened, no JSON read)."""
        ...

    async def search(self, flt: CaseFilter, *, first: int, after: str | None) -> CasePage:
        """Keyset page ordered by (applied_at desc, case_id); raises ValueError on a bad cursor."""
        ...

    async def training_outcomes(self, *, by: str) -> list[TrainingOutcome]:
        """Tests and ratings grouped ``by`` ``COURSE`` or ``PROVIDER``, most trainings first."""
        ...

    async def funnel(self, query: FunnelQuery) -> FunnelCounts:
        """How many of the selected cases reached each programme step (registered to paid)."""
        ...


