"""Ports: what the domain needs from the outside world, implemented in ``adapters/``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.ability_test import QuestionBank
from domain.case import Stage
from domain.messages import CaseRecord


class CaseStore(Protocol):
    """Write side of the read model, used by workflow activities."""

    async def register(self, record: CaseRecord) -> str:
        """Insert the case once; ``REGISTERED``, ``NIK_TAKEN`` or ``ACCOUNT_TAKEN``. Idempotent."""
        ...

    async def project(self, record: CaseRecord) -> bool:
        """Upsert the projection unless a newer version is stored; True when written."""
        ...


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Staff search filter; every field narrows the result."""

    case_id: str | None = None
    province_codes: tuple[str, ...] | None = None
    """``None`` means every province (national staff)."""
    stage: Stage | None = None
    name_prefix: str | None = None


@dataclass(frozen=True, slots=True)
class CasePage:
    records: list[CaseRecord]
    end_cursor: str | None
    has_next_page: bool


class CaseReader(Protocol):
    """Read side of the read model, used by the GraphQL API."""

    async def by_id(self, case_id: str) -> CaseRecord | None: ...

    async def by_account(self, account_id: str) -> CaseRecord | None: ...

    async def search(self, flt: CaseFilter, *, first: int, after: str | None) -> CasePage:
        """Keyset page ordered by (applied_at desc, case_id); raises ValueError on a bad cursor."""
        ...


class QuestionBankSource(Protocol):
    """Where the basic-ability test's question bank comes from (a data file, later a CMS)."""

    def current(self) -> QuestionBank: ...

    def version(self, version: str) -> QuestionBank:
        """A specific version, so an attempt is always scored against the bank it was drawn from."""
        ...
