"""What the redeem-code REST endpoints need from the rest of the system."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from domain.training.messages import RedeemResult


@dataclass(frozen=True, slots=True)
class RedeemError:
    """A business refusal of a redeem request."""

    code: str
    """A ``domain.errors.ErrorCode`` value, e.g. ``REDEEM_CODE_NOT_FOUND`` or ``TEMPORARILY_UNAVAILABLE``."""
    message: str


class RedeemGateway(Protocol):
    """Business answers behind ``/api/v1/integration/payment/redeem-code/{status,commit}``.

    Any method may raise ``domain.errors.StoreUnavailable``; the endpoint then answers 503.
    """

    async def sign_key(self, client_code: str) -> str | None:
        """The partner's signing key; ``None`` if ``client_code`` is not an active TRAINING_PROVIDER partner."""
        ...

    async def first_use(self, client_code: str, signature: str, at: dt.datetime) -> bool:
        """Record the (client, signature) nonce atomically; ``False`` if it was seen before (a replay).

        ``signature`` is lowercase hex. Nonces must be kept at least ``signature.NONCE_TTL`` after ``at``
        (a timestamp is accepted up to ``MAX_SKEW`` either side of the server clock).
        """
        ...

    async def status(
        self, client_code: str, redeem_code: str, sequence: int, training_type: str | None
    ) -> RedeemResult | RedeemError:
        """Check a redeem code without using it."""
        ...

    async def commit(
        self, client_code: str, redeem_code: str, sequence: int, training_type: str | None
    ) -> RedeemResult | RedeemError:
        """Use a redeem code for one attendance session (1–10) or the post-test (999)."""
        ...
