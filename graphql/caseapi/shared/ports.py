"""The API's one bundle of dependencies, built once by the composition root (``server.py``) or a test and carried by
every request's context: the Temporal client and the read-model ports the resolvers use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from temporalio.client import Client

from caseapi.rest.rate_limit import RateLimit
from domain.ability_test.ports import QuestionBankSource
from domain.change_feed import ChangeFeed
from domain.jobs.ports import JobBoard
from domain.notifications import Notification
from domain.operator.complaints import ComplaintDesk
from domain.operator.ports import OperatorDesk
from domain.payouts.ports import PayoutBooks
from domain.ports import CaseReader
from domain.quality.ports import QualityPorts
from domain.training.integrity import IntegrityReader
from domain.training.ports import Marketplace
from domain.training.schedules import PartnerApiStore
from domain.waves.ports import SelectionEngine, WaveStore
from domain.waves.what_if_ports import WhatIfDesk
from domain.working_days import WorkingCalendar


class SentMessages(Protocol):
    """The newest outbox rows, optionally only those to one phone number or e-mail address (the dev inbox)."""

    async def recent(self, *, limit: int, recipient: str | None = None) -> list[Notification]: ...


@dataclass(frozen=True, slots=True)
class ApiPorts:
    client: Client
    """Participants' and waves' workflows: updates, queries, histories."""
    reader: CaseReader
    question_bank: QuestionBankSource
    waves: WaveStore
    selection: SelectionEngine
    market: Marketplace
    books: PayoutBooks | None = None
    """Payments, reconciliation and receivables (staff); absent where a client never needs them."""
    desk: OperatorDesk | None = None
    """Operator requests and the audit log (staff)."""
    complaints: ComplaintDesk | None = None
    feed: ChangeFeed | None = None
    """Live changes for subscriptions."""
    jobs: JobBoard | None = None
    """Vacancies from job portals and participants' marks on them."""
    calendar: WorkingCalendar | None = None
    """Public holidays and cuti bersama (complaint service levels); weekdays only when absent."""
    partner_api: PartnerApiStore | None = None
    """Schedules with a quota, course requirements and sandbox codes (the partner REST API; staff)."""
    inbox: SentMessages | None = None
    """What the programme sent (DEV_MODE only: OTPs included)."""
    rate_limit: RateLimit | None = None
    """The partner REST API's per-partner buckets: shared by every replica (PostgreSQL) or this process's own;
    absent: this process's own at the default rate."""
    what_ifs: WhatIfDesk | None = None
    """Policy makers' what-ifs of decided waves (staff)."""
    integrity: IntegrityReader | None = None
    """The provider integrity view's set-based reads (staff)."""
    quality: QualityPorts | None = None
    """Course versions and reviews, quality bodies, the sale gate (suspensions), monitoring and sanctions."""
