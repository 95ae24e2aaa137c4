"""``payment_token``: what send-otp hands the platform and authorize takes back in ``Authorization: Payment …``.

Signed claims (:mod:`caseapi.shared.signed_claims`) binding the platform, the card, the course, the schedule, the
amount, the buyer and the OTP challenge; the token expires with the OTP (at most 5 minutes). Nothing is stored:
authorize re-checks the MAC and the expiry, then asks the workflow (which holds the OTP) for the purchase. The
claims carry the card number the platform itself sent, never a NIK.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from caseapi.shared import signed_claims

TOKEN_TTL = dt.timedelta(minutes=5)
SCHEME = "Payment"
PURPOSE = "payment-token"


@dataclass(frozen=True, slots=True)
class PaymentClaims:
    platform: str
    card: str
    course: str
    schedule: str
    amount: int
    user: str
    """The buyer's ``user_platform_id``."""
    challenge: str
    """The OTP request ID (the workflow's challenge is ``<platform>:<challenge>``)."""
    exp: int
    """Expiry, Unix seconds."""


def mint(key: bytes, claims: PaymentClaims) -> str:
    return signed_claims.mint(key, PURPOSE, asdict(claims))


def read(key: bytes, authorization: str, *, platform: str, now: dt.datetime) -> PaymentClaims | None:
    """The claims of ``Authorization: Payment <token>`` if genuine, unexpired and issued to ``platform``."""
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != SCHEME.lower():
        return None
    raw = signed_claims.read(key, PURPOSE, token, now=now)
    if raw is None:
        return None
    try:
        claims = PaymentClaims(**raw)
    except TypeError:
        return None
    return claims if claims.platform == platform else None
