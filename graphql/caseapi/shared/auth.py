"""JWT bearer authentication: roles, one audience per endpoint, province scope for staff."""

from __future__ import annotations

import datetime as dt
import time
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum

import jwt

from caseapi.shared.oidc import Oidc


class Role(StrEnum):
    PARTICIPANT = "participant"
    STAFF = "staff"
    SUPERVISOR = "supervisor"
    PARTNER = "partner"
    ASSESSOR = "assessor"
    """A member of an independent assessor body (staff endpoint; claim ``body``): reviews its body's courses."""
    MONITOR = "monitor"
    """A member of a monitoring body (staff endpoint; claim ``body``): samples and findings of its providers."""


AUDIENCES = {
    "participant": "prakerja:participant",
    "staff": "prakerja:staff",
    "partner": "prakerja:partner",
}


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    role: Role
    provinces: tuple[str, ...] | None = None
    """Staff scope; ``None`` means national."""
    client_code: str | None = None
    partner_type: str | None = None
    body: str | None = None
    """Assessors and monitors: the quality body they belong to (its registry decides what they may see)."""

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.SUPERVISOR)

    def covers(self, province_code: str) -> bool:
        """Whether a staff member's province scope includes ``province_code`` (national staff: always)."""
        return self.provinces is None or province_code in self.provinces

    @property
    def actor(self) -> str:
        """How the audit log and timelines name this caller: ``staff:<user>``, ``supervisor:<user>``…"""
        return f"{self.role.value.lower()}:{self.subject}"


class AuthError(Exception):
    pass


# Tokens already verified, until they expire: a phone or a partner sends the same token with every request, and
# verifying it again (signature, claims) was ~3% of the API server's CPU (profiled). Keyed by the whole token and
# what it was checked against, so a token is never accepted for another endpoint, secret or issuer.
_VERIFIED: OrderedDict[tuple[str, str, str, str], tuple[Principal, float]] = OrderedDict()
_VERIFIED_SIZE = 20_000


def authenticate(
    header: str | None, *, endpoint: str, secret: str, issuer: str, oidc: Oidc | None = None
) -> Principal | None:
    """``None`` without a token; raises ``AuthError`` for a token that is bad for this endpoint. With ``oidc`` the
    token is the identity provider's (RS256/ES256 against its JWKS); without, the development stack's HS256."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise AuthError("Authorization header must be 'Bearer <token>'.")
    key = (token, endpoint, oidc.jwks_url if oidc else secret, oidc.issuer if oidc else issuer)
    known = _VERIFIED.get(key)
    if known is not None and time.time() < known[1]:
        return known[0]
    try:
        if oidc is not None:
            claims = oidc.claims(token, endpoint)
        else:
            claims = jwt.decode(
                token,
                secret,
                algorithms=["HS256"],
                audience=AUDIENCES[endpoint],
                issuer=issuer,
                options={"require": ["exp", "iat", "sub", "role"]},
            )
        role = Role(claims["role"])
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise AuthError(f"Invalid token: {type(exc).__name__}.") from exc
    provinces = claims.get("provinces")
    principal = Principal(
        subject=str(claims["sub"]),
        role=role,
        provinces=None if provinces in (None, ["*"]) else tuple(str(p) for p in provinces),
        client_code=claims.get("client_code"),
        partner_type=claims.get("partner_type"),
        body=str(claims["body"]) if claims.get("body") else None,
    )
    _VERIFIED[key] = (principal, float(claims["exp"]))
    if len(_VERIFIED) > _VERIFIED_SIZE:
        _VERIFIED.popitem(last=False)
    return principal


def mint_token(
    *,
    secret: str,
    issuer: str,
    endpoint: str,
    subject: str,
    role: Role,
    ttl: dt.timedelta = dt.timedelta(hours=12),
    **extra: object,
) -> str:
    """Dev and test tokens; production tokens come from the identity provider."""
    now = dt.datetime.now(dt.UTC)
    claims = {
        "sub": subject,
        "role": role.value,
        "aud": AUDIENCES[endpoint],
        "iss": issuer,
        "iat": now,
        "exp": now + ttl,
        **extra,
    }
    return jwt.encode(claims, secret, algorithm="HS256")
