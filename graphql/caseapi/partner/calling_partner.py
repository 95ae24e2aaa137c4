"""Who is calling (a registered partner of the right type) and which case a card or code belongs to."""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from domain.errors import ErrorCode, StoreUnavailable
from domain.market_ports import VoucherRef
from domain.training import Partner, PartnerType

PartnerOrError = Partner | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable


async def calling_partner(info: Info, *types: PartnerType) -> PartnerOrError:
    """The registered partner behind the token; its type (from our registry, not the token) must fit."""
    principal = require(info, Role.PARTNER)
    if not isinstance(principal, Principal):
        return principal
    code = principal.client_code or principal.subject
    try:
        partner = await info.context.market.partner(code)
    except StoreUnavailable:
        return e.unavailable("The partner registry")
    if partner is None:
        return e.forbidden(f"Client {code} is not a registered partner.")
    if types and partner.type not in types:
        allowed = " or ".join(t.value.replace("_", " ").lower() for t in types)
        return e.forbidden(f"Only a {allowed} may do this.")
    return partner


async def voucher_ref(
    info: Info, *, redeem_code: str | None = None, voucher_code: str | None = None
) -> VoucherRef | e.RedeemRefused | e.TemporarilyUnavailable:
    try:
        ref = await info.context.market.voucher(redeem_code=redeem_code, voucher_code=voucher_code)
    except StoreUnavailable:
        return e.unavailable("The voucher registry")
    if ref is None:
        what = "redeem code" if redeem_code else "voucher"
        return e.RedeemRefused(code=ErrorCode.REDEEM_CODE_NOT_FOUND, message=f"There is no such {what}.")
    return ref
