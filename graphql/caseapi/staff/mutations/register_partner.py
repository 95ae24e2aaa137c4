"""``registerPartner``: national staff register a partner; the REST signing key is shown once."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.shared.training_types import PartnerType
from caseapi.staff.national import national_staff
from domain.errors import ErrorCode, StoreUnavailable
from domain.training import trainings as tr

_CLIENT_CODE = re.compile(r"^[A-Za-z0-9_-]{3,40}$")


@strawberry.type(description="A registered partner; keep the signing key secret (it is not shown again).")
class PartnerRegistered:
    client_code: str
    name: str
    type: PartnerType
    sign_key: str = strawberry.field(description="HMAC key for signed REST calls (redeem-code API).")


RegisterPartnerResult = Annotated[
    PartnerRegistered
    | e.PartnerExists
    | e.InvalidArgument
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("RegisterPartnerResult"),
]


async def register_partner(info: Info, client_code: str, name: str, type: PartnerType) -> RegisterPartnerResult:
    principal = national_staff(info, "Partners are registered")
    if not isinstance(principal, Principal):
        return principal
    if not _CLIENT_CODE.match(client_code) or not name.strip():
        return e.InvalidArgument(
            code=ErrorCode.INVALID_ARGUMENT, message="clientCode: 3–40 letters, digits, '-' or '_'; name required."
        )
    partner = tr.Partner(client_code, name.strip(), tr.PartnerType(type), dt.datetime.now(dt.UTC))
    key = secrets.token_hex(32)
    try:
        created = await info.context.ports.market.register_partner(partner, key)
    except StoreUnavailable:
        return e.unavailable("The partner registry")
    if not created:
        return e.PartnerExists(code=ErrorCode.PARTNER_EXISTS, message=f"Client code {client_code} is taken.")
    return PartnerRegistered(client_code=client_code, name=partner.name, type=partner.type, sign_key=key)
