"""``me``: which partner the token belongs to (partner reports arrive with later issues)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.errors import Forbidden, NotAuthenticated
from caseapi.shared.guards import require


@strawberry.type(description="The calling partner.")
class PartnerIdentity:
    client_code: str
    partner_type: str | None


MeResult = Annotated[PartnerIdentity | NotAuthenticated | Forbidden, strawberry.union("PartnerMeResult")]


def me(info: Info) -> MeResult:
    principal = require(info, Role.PARTNER)
    if not isinstance(principal, Principal):
        return principal
    return PartnerIdentity(client_code=principal.client_code or principal.subject, partner_type=principal.partner_type)
