"""Typed request context shared by the three schemas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo
from temporalio.client import Client

from caseapi.shared.auth import Principal
from domain.complaints import ComplaintDesk
from domain.feed_ports import ChangeFeed
from domain.market_ports import Marketplace
from domain.operator_ports import OperatorDesk
from domain.payout_ports import PayoutBooks
from domain.ports import CaseReader, QuestionBankSource, SelectionEngine, WaveStore
from domain.schedules import PartnerApiStore


@dataclass(frozen=True, slots=True)
class ApiConfig:
    """What resolvers need from settings (secrets already revealed into bytes/str)."""

    task_queue: str
    scheme_id: str
    blind_index_key: bytes
    temporal_ui_url: str
    temporal_namespace: str
    update_timeout_seconds: float
    four_eyes_ttl_minutes: float = 1440.0


@dataclass
class Context:
    request: Request | None
    response: Response | None
    principal: Principal | None
    auth_error: str | None
    client: Client
    reader: CaseReader
    config: ApiConfig
    question_bank: QuestionBankSource
    waves: WaveStore
    selection: SelectionEngine
    market: Marketplace
    books: PayoutBooks | None = None
    desk: OperatorDesk | None = None
    """Operator requests and the audit log (staff)."""
    complaints: ComplaintDesk | None = None
    feed: ChangeFeed | None = None
    """Live changes for subscriptions."""
    partner_api: PartnerApiStore | None = None
    """Schedules with a quota and course requirements (staff; the partner REST API)."""
    """Payments, reconciliation and receivables (staff); absent where a client never needs them."""
    connection_params: dict[str, Any] | None = field(default=None)


Info = StrawberryInfo[Context, Any]
