"""Typed request context shared by the three schemas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from caseapi.shared.auth import Principal
from caseapi.shared.ports import ApiPorts
from domain.texts import DEFAULT_LANG, Lang


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
    config: ApiConfig
    ports: ApiPorts
    connection_params: dict[str, Any] | None = field(default=None)
    """The WebSocket's ``connection_init`` payload (the bearer token of a subscription)."""
    lang: Lang = DEFAULT_LANG
    """The language participant texts are rendered in (``Accept-Language`` or the console's switch)."""


Info = StrawberryInfo[Context, Any]
