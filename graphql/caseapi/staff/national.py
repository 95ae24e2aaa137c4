"""National duties (waves, payment reconciliation, receivables): staff without a province scope, or supervisors."""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require


def national_staff(info: Info, what: str = "Waves are managed") -> Principal | e.NotAuthenticated | e.Forbidden:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if isinstance(principal, Principal) and principal.role is Role.STAFF and principal.provinces is not None:
        return e.forbidden(f"{what} by national staff.")
    return principal
