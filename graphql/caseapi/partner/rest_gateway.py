"""The official redeem-code REST contract's business answers, from the same calls as the GraphQL mutation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from caseapi.partner.redeem_calls import commit_redeem, provider_sign_key, redeem_status
from caseapi.rest.ports import RedeemError
from caseapi.shared import errors as e
from caseapi.shared.context import Context
from domain.training.messages import RedeemResult
from domain.training.trainings import TrainingMode


def _answer(result: object) -> RedeemResult | RedeemError:
    if isinstance(result, RedeemResult):
        return result
    assert isinstance(result, e.Error)
    return RedeemError(
        code=str(result.code.value if hasattr(result.code, "value") else result.code), message=result.message
    )


class WorkflowRedeemGateway:
    """Implements ``caseapi.rest.ports.RedeemGateway`` over the participant workflows."""

    def __init__(self, context: Callable[[], Context]) -> None:
        self._context = context

    async def sign_key(self, client_code: str) -> str | None:
        return await provider_sign_key(self._context(), client_code)

    async def first_use(self, client_code: str, signature: str, at: dt.datetime) -> bool:
        return await self._context().ports.market.first_use_of_signature(client_code, signature, at)

    async def status(
        self, client_code: str, redeem_code: str, sequence: int, training_type: str | None
    ) -> RedeemResult | RedeemError:
        return _answer(await redeem_status(self._context(), client_code, redeem_code, sequence))

    async def commit(
        self, client_code: str, redeem_code: str, sequence: int, training_type: str | None
    ) -> RedeemResult | RedeemError:
        # The official body carries no idempotency key: a repeated commit of the same code and session by the
        # same provider is a retry and gets the first answer (the status call tells when it was redeemed).
        mode = TrainingMode(training_type) if training_type else None
        key = f"rest:{redeem_code.strip()}:{sequence}"
        return _answer(await commit_redeem(self._context(), client_code, redeem_code, sequence, mode, request_key=key))
