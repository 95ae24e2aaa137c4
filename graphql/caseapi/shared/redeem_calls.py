"""Redeeming and checking codes: shared by the partner GraphQL mutation and the official REST contract."""

from __future__ import annotations

from temporalio.client import WorkflowQueryFailedError
from temporalio.service import RPCError

from caseapi.shared import errors as e
from caseapi.shared import update_ids
from caseapi.shared.context import Context
from caseapi.shared.updates import run_update
from domain.errors import ErrorCode, StoreUnavailable
from domain.training.messages import RedeemRequest, RedeemResult
from domain.training.trainings import PartnerType, TrainingMode
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for

RedeemAnswer = RedeemResult | e.RedeemRefused | e.TemporarilyUnavailable


async def case_of_code(ctx: Context, provider_code: str, redeem_code: str) -> str | e.RedeemRefused:
    ref = await ctx.ports.market.voucher(redeem_code=redeem_code.strip())
    if ref is None:
        return e.RedeemRefused(code=ErrorCode.REDEEM_CODE_NOT_FOUND, message="There is no such redeem code.")
    if ref.provider_code != provider_code:
        return e.RedeemRefused(
            code=ErrorCode.CODE_OF_OTHER_PROVIDER, message="This redeem code belongs to another training provider."
        )
    return ref.case_id


async def commit_redeem(
    ctx: Context,
    provider_code: str,
    redeem_code: str,
    sequence: int,
    training_type: TrainingMode | None,
    *,
    request_key: str,
) -> RedeemAnswer:
    """Consume the code for one session; a retry with the same ``request_key`` gets the first answer."""
    try:
        case_id = await case_of_code(ctx, provider_code, redeem_code)
    except StoreUnavailable:
        return e.unavailable("The voucher registry")
    if not isinstance(case_id, str):
        return case_id
    req = RedeemRequest(redeem_code.strip(), provider_code, sequence, request_key, training_type)
    return await run_update(
        ctx,
        workflow_id_for(case_id),
        ParticipantWorkflow.redeem,
        req,
        update_id=update_ids.redeem(provider_code, request_key),
    )


async def redeem_status(ctx: Context, provider_code: str, redeem_code: str, sequence: int) -> RedeemAnswer:
    """Whether the code was used for this session (read-only; the workflow answers from its state)."""
    try:
        case_id = await case_of_code(ctx, provider_code, redeem_code)
    except StoreUnavailable:
        return e.unavailable("The voucher registry")
    if not isinstance(case_id, str):
        return case_id
    handle = ctx.ports.client.get_workflow_handle(workflow_id_for(case_id))
    req = RedeemRequest(redeem_code.strip(), provider_code, sequence, "")
    try:
        result = await handle.query(ParticipantWorkflow.redeem_status, req)
    except (WorkflowQueryFailedError, RPCError):
        return e.unavailable()
    if result is None:
        return e.RedeemRefused(code=ErrorCode.REDEEM_CODE_NOT_FOUND, message="There is no such redeem code.")
    return result


async def partner_sign_key(ctx: Context, client_code: str, kind: PartnerType) -> str | None:
    """The REST signing key of a registered partner of ``kind``; ``None`` for anyone else."""
    partner = await ctx.ports.market.partner(client_code)
    if partner is None or partner.type is not kind:
        return None
    return await ctx.ports.market.sign_key(client_code)
