"""``linkPayoutAccount``: link the bank or e-wallet account incentives are paid to. The partner checks that the
holder's NIK is the participant's and that the account is KYC-verified; a failed payout is retried after it."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.participant.own_case import update_own_case
from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.payout_types import PayoutAccount, PayoutProvider, account_view
from domain.payouts import tranches as po
from domain.payouts.messages import LinkAccountRequest
from workflows.participant import ParticipantWorkflow

PayoutAccountResult = Annotated[
    PayoutAccount
    | e.PayoutRefused
    | e.ClawbackRefused
    | e.InvalidArgument
    | e.NoCaseYet
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("PayoutAccountResult"),
]


async def link_payout_account(info: Info, provider: PayoutProvider, account_number: str) -> PayoutAccountResult:
    number = "".join(account_number.split()).replace("-", "")
    result = await update_own_case(
        info,
        ParticipantWorkflow.link_payout_account,
        lambda who, _: (
            LinkAccountRequest(who.subject, po.Provider(provider), number),
            update_ids.link_account(provider, number),
        ),
    )
    return account_view(result) if isinstance(result, po.PayoutAccount) else result
