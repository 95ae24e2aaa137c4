"""``unlinkPayoutAccount``: disconnect the linked account (Putuskan Rekening) before linking another one or
changing the phone number. Refused while a transfer to it is in progress."""

from __future__ import annotations

from caseapi.participant.mutations.link_payout_account import PayoutAccountResult
from caseapi.participant.own_case import update_own_case
from caseapi.shared import update_ids
from caseapi.shared.context import Info
from caseapi.shared.payout_types import account_view
from domain.payouts import tranches as po
from domain.payouts.messages import UnlinkAccountRequest
from workflows.participant import ParticipantWorkflow


async def unlink_payout_account(info: Info) -> PayoutAccountResult:
    result = await update_own_case(
        info,
        ParticipantWorkflow.unlink_payout_account,
        lambda who, case: (UnlinkAccountRequest(who.subject), update_ids.unlink_account(case.version)),
    )
    return account_view(result) if isinstance(result, po.PayoutAccount) else result
