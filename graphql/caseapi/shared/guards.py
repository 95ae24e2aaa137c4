"""Role checks that return typed errors instead of raising."""

from __future__ import annotations

from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.errors import Forbidden, NotAuthenticated, forbidden, not_authenticated


def require(info: Info, *roles: Role) -> Principal | NotAuthenticated | Forbidden:
    ctx = info.context
    if ctx.principal is None:
        return not_authenticated(ctx.auth_error)
    if ctx.principal.role not in roles:
        return forbidden()
    return ctx.principal
