"""Who is calling (a registered partner of the right type) and which case a card or code belongs to."""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from domain.errors import StoreUnavailable
from domain.training.trainings import Partner, PartnerType

PartnerOrError = Partner | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable


async def calling_partner(info: Info, *types: PartnerType) -> PartnerOrError:
    """The registered partner behind the token; its type (from our registry, not the token) must fit."""
    principal = require(info, Role.PARTNER)
    if not isinstance(principal, Principal):
        return principal
    code = principal.client_code or principal.subject
    try:
        partner = await info.context.ports.market.partner(code)
    except StoreUnavailable:
        return e.unavailable("The partner registry")
    if partner is None:
        return e.forbidden(f"Client {code} is not a registered partner.")
    if types and partner.type not in types:
        allowed = " or ".join(t.value.replace("_", " ").lower() for t in types)
        return e.forbidden(f"Only a {allowed} may do this.")
    return partner
