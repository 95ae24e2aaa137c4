"""The attendance-verification link of ``url-generate``: signed claims naming the redeem code, its provider, the
sequence, the provider's ``redirect_uri`` and ``state``; valid 30 minutes. The participant opens it in the web
console (``/attendance.html#<token>``) and confirms with the ``confirmAttendance`` mutation."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from caseapi.shared import signed_claims

LINK_TTL = dt.timedelta(minutes=30)
PURPOSE = "attendance-link"
PAGE = "/attendance.html"


@dataclass(frozen=True, slots=True)
class AttendanceClaims:
    code: str
    provider: str
    sequence: int
    redirect: str
    state: str
    exp: int


def link_key(secret: bytes) -> bytes:
    return signed_claims.derive_key(secret, PURPOSE)


def mint(secret: bytes, claims: AttendanceClaims) -> str:
    return signed_claims.mint(link_key(secret), PURPOSE, asdict(claims))


def read(secret: bytes, token: str, *, now: dt.datetime) -> AttendanceClaims | None:
    raw = signed_claims.read(link_key(secret), PURPOSE, token, now=now)
    if raw is None:
        return None
    try:
        return AttendanceClaims(**raw)
    except TypeError:
        return None


def back_url(claims: AttendanceClaims) -> str:
    """The provider's ``redirect_uri`` with ``state`` added to its query."""
    joiner = "&" if "?" in claims.redirect else "?"
    return f"{claims.redirect}{joiner}{urlencode({'state': claims.state})}"
