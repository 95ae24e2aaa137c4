"""A voucher looked up by its redeem code or voucher code in the marketplace's read model (partners and staff)."""

from __future__ import annotations

from caseapi.shared import errors as e
from caseapi.shared.context import Info
from domain.errors import ErrorCode, StoreUnavailable
from domain.training.ports import VoucherRef


async def voucher_ref(
    info: Info, *, redeem_code: str | None = None, voucher_code: str | None = None
) -> VoucherRef | e.RedeemRefused | e.TemporarilyUnavailable:
    try:
        ref = await info.context.ports.market.voucher(redeem_code=redeem_code, voucher_code=voucher_code)
    except StoreUnavailable:
        return e.unavailable("The voucher registry")
    if ref is None:
        what = "redeem code" if redeem_code else "voucher"
        return e.RedeemRefused(code=ErrorCode.REDEEM_CODE_NOT_FOUND, message=f"There is no such {what}.")
    return ref
