"""``changePhone``: a new mobile number for SMS; refused while a bank or e-wallet account is linked (unlink
first), because e-wallet accounts are tied to the phone number (programme FAQ: "Putuskan Rekening" before changing the
phone)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.participant.own_case import update_own_case
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from domain.payouts.messages import ChangePhoneRequest
from domain.phones import normalised
from workflows.participant import ParticipantWorkflow


@strawberry.type
class PhoneChanged:
    phone: str


ChangePhoneResult = Annotated[
    PhoneChanged
    | e.PayoutRefused
    | e.InvalidArgument
    | e.NoCaseYet
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("ChangePhoneResult"),
]


async def change_phone(info: Info, phone: str) -> ChangePhoneResult:
    number = normalised("".join(phone.split()).replace("-", ""))  # E.164: the same number, the same update ID
    result = await update_own_case(
        info,
        ParticipantWorkflow.change_phone,
        lambda who, case: (ChangePhoneRequest(who.subject, number), update_ids.change_phone(number, case.version)),
    )
    return PhoneChanged(phone=result) if isinstance(result, str) else result
