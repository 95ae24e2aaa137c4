"""``me``: which partner the token belongs to (partner reports arrive with later issues)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.errors import Forbidden, NotAuthenticated, TemporarilyUnavailable, unavailable
from caseapi.shared.guards import require
from domain.errors import StoreUnavailable


@strawberry.type(description="The calling partner.")
class PartnerIdentity:
    client_code: str
    partner_type: str | None = strawberry.field(description="From the partner registry; null if not registered.")


MeResult = Annotated[
    PartnerIdentity | NotAuthenticated | Forbidden | TemporarilyUnavailable, strawberry.union("PartnerMeResult")
]


async def me(info: Info) -> MeResult:
    """The type comes from the partner registry, not from the token's claim (a token cannot promote a partner)."""
    principal = require(info, Role.PARTNER)
    if not isinstance(principal, Principal):
        return principal
    code = principal.client_code or principal.subject
    try:
        registered = await info.context.ports.market.partner(code)
    except StoreUnavailable:
        return unavailable("The partner registry")
    return PartnerIdentity(client_code=code, partner_type=registered.type.value if registered else None)
