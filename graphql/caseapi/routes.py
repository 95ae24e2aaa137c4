"""One GraphQL app per client schema, each with its own audience, limits and introspection rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as max_depth_rule
from strawberry.extensions.tracing import OpenTelemetryExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.tools import merge_types

if TYPE_CHECKING:
    from opentelemetry.trace import TracerProvider

from caseapi.metrics import ApiMetrics
from caseapi.operation_metrics import operation_metrics
from caseapi.participant import schema as participant
from caseapi.partner import schema as partner
from caseapi.partner.payment_gateway import WorkflowPaymentGateway
from caseapi.partner.rest_gateway import WorkflowRedeemGateway
from caseapi.partner.tpm_gateway import WorkflowTpmGateway
from caseapi.rest import RateLimiter, payment_routes, redeem_routes
from caseapi.rest.sandbox import sandbox_routes
from caseapi.rest.tpm import tpm_routes
from caseapi.shared.auth import AuthError, Principal, authenticate
from caseapi.shared.context import ApiConfig, Context
from caseapi.shared.language import ErrorMessagesInLanguage, request_lang
from caseapi.shared.mask import MaskUnexpectedErrors
from caseapi.shared.nul_guard import RejectNulCharacters
from caseapi.shared.oidc import Oidc
from caseapi.shared.ports import ApiPorts
from caseapi.shared.signed_claims import derive_key
from caseapi.staff import schema as staff
from domain.training.schedules import PartnerApiStore


def _no_arguments(args: dict[str, Any], info: Any) -> dict[str, Any]:
    """Spans never carry GraphQL arguments: they hold NIKs, names, phones and OTPs."""
    return {}


def build_schema(
    endpoint: str,
    *,
    introspection: bool,
    tracing: bool = False,
    tracer_provider: TracerProvider | None = None,
    metrics: ApiMetrics | None = None,
) -> strawberry.Schema:
    """``tracing``: strawberry's OpenTelemetry spans (operation, resolvers; never arguments) on ``tracer_provider``
    (the global one when ``None``); ``metrics``: requests and latency per operation (caseapi.operation_metrics)."""
    query: type[Any]
    mutation: type[Any] | None = None
    subscription: type[Any] | None = None
    if endpoint == "participant":
        query, mutation, subscription = participant.Query, participant.Mutation, participant.Subscription
    elif endpoint == "staff":
        query, mutation, subscription = staff.Query, staff.Mutation, staff.Subscription
    else:
        query, mutation = partner.Query, partner.Mutation
    # The depth and alias rules are built once per schema: ``QueryDepthLimiter`` and ``MaxAliasesLimiter``
    # build a new rule class per instance, which made every request's rule tuple new, so the validation cache
    # never hit and validation was 47% of the server's CPU under the lifecycle benchmark.
    limits = (max_depth_rule(10, None, None), max_aliases_rule(15))
    # Factories, so that every request gets fresh extension instances (strawberry sets the request's
    # execution context on each instance); the parse and validation LRU caches are module-level, shared.
    extensions: list[Any] = [
        lambda: AddValidationRules(list(limits)),
        lambda: MaxTokensLimiter(max_token_count=2000),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        RejectNulCharacters,  # after the validation cache: it adds to the cached result
        MaskUnexpectedErrors,
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    if endpoint == "participant":
        extensions.append(ErrorMessagesInLanguage)
    if tracing:
        extensions.append(lambda: OpenTelemetryExtension(arg_filter=_no_arguments, tracer_provider=tracer_provider))
    if metrics is not None:
        extensions.append(operation_metrics(metrics, f"graphql.{endpoint}"))
    return strawberry.Schema(
        query=merge_types(f"{endpoint.title()}Query", (query,)),
        mutation=mutation,
        subscription=subscription,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=True),
    )


@dataclass(frozen=True, slots=True)
class Wiring:
    """What every GraphQL app of the server shares: the ports, the resolvers' settings and the token check."""

    ports: ApiPorts
    config: ApiConfig
    jwt_secret: str
    jwt_issuer: str
    oidc: Oidc | None = None
    """The identity provider's tokens (production); ``None``: the development stack's HS256 tokens."""


class CaseGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app with our typed context and bearer authentication."""

    def __init__(self, schema: strawberry.Schema, *, endpoint: str, wiring: Wiring, dev: bool) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if dev else None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.endpoint = endpoint
        self.wiring = wiring

    def _authenticate(self, header: str | None) -> Principal:
        w = self.wiring
        return authenticate(header, endpoint=self.endpoint, secret=w.jwt_secret, issuer=w.jwt_issuer, oidc=w.oidc)

    async def on_ws_connect(self, context: Context) -> Any:  # type: ignore[override]
        """Browsers cannot set headers on a WebSocket: the token comes in ``connection_init``'s payload."""
        params = context.connection_params or {}
        if params.get("lang"):
            context.lang = request_lang(None, params.get("lang"))
        if context.principal is None:
            try:
                context.principal = self._authenticate(params.get("authorization") or params.get("Authorization"))
            except AuthError as exc:
                raise ConnectionRejectionError({"reason": str(exc)}) from exc
        return await super().on_ws_connect(context)

    async def get_context(self, request: Request, response: Response | None = None) -> Context:  # type: ignore[override]
        principal, error = None, None
        try:
            principal = self._authenticate(request.headers.get("authorization"))
        except AuthError as exc:
            error = str(exc)
        return Context(
            request=request,
            response=response,
            principal=principal,
            auth_error=error,
            config=self.wiring.config,
            ports=self.wiring.ports,
            lang=request_lang(request.headers.get("accept-language")),
        )


def graphql_routes(
    ports: ApiPorts,
    *,
    config: ApiConfig,
    jwt_secret: str,
    jwt_issuer: str,
    dev: bool,
    tracing: bool = False,
    oidc: Oidc | None = None,
    tracer_provider: TracerProvider | None = None,
    metrics: ApiMetrics | None = None,
) -> list[BaseRoute]:
    wiring = Wiring(ports, config, jwt_secret, jwt_issuer, oidc)
    routes: list[BaseRoute] = []
    for endpoint in ("participant", "staff", "partner"):
        introspection = dev and endpoint != "partner"
        app = CaseGraphQL(
            build_schema(
                endpoint, introspection=introspection, tracing=tracing, tracer_provider=tracer_provider, metrics=metrics
            ),
            endpoint=endpoint,
            wiring=wiring,
            dev=dev and endpoint != "partner",
        )
        routes += [Route(f"/graphql/{endpoint}", app), WebSocketRoute(f"/graphql/{endpoint}", app)]
    rest_context = Context(request=None, response=None, principal=None, auth_error=None, config=config, ports=ports)
    return routes + partner_rest_routes(rest_context, ports.partner_api)


OPENAPI_PATH = "/api/v1/integration/openapi.yaml"
OPENAPI_FILE = Path(__file__).resolve().parents[2] / "docs" / "partner-api" / "openapi.yaml"


async def _openapi(_: Request) -> Response:
    return Response(OPENAPI_FILE.read_bytes(), media_type="application/yaml")


def partner_rest_routes(ctx: Context, store: PartnerApiStore | None) -> list[BaseRoute]:
    """The official partner REST API: LP endpoints always, DP payment endpoints when schedules are stored."""
    # one bucket per partner across every endpoint (and every replica, when the ports share them)
    limiter = ctx.ports.rate_limit or RateLimiter()
    lp = WorkflowRedeemGateway(lambda: ctx, store)
    rest: list[BaseRoute] = [Route(OPENAPI_PATH, _openapi, methods=["GET"]), *redeem_routes(lp, limiter=limiter)]
    rest += tpm_routes(WorkflowTpmGateway(lambda: ctx, store), limiter=limiter)
    if store is not None:
        rest += sandbox_routes(lp.confirm_sandbox_link)
        token_key = derive_key(ctx.config.blind_index_key, "payment-token")
        gateway = WorkflowPaymentGateway(lambda: ctx, store)
        rest += payment_routes(gateway, token_key=token_key, limiter=limiter)
    return rest
