"""A verified token is remembered until it expires, and only for what it was verified against."""

from __future__ import annotations

import datetime as dt
import time

import jwt
import pytest

from caseapi.shared import auth
from caseapi.shared.auth import AuthError, Role, authenticate, mint_token

SECRET, ISSUER = "s" * 32, "prakerja-cases"


def _token(endpoint: str = "participant", ttl: dt.timedelta = dt.timedelta(hours=1)) -> str:
    return mint_token(secret=SECRET, issuer=ISSUER, endpoint=endpoint, subject="acct-1", role=Role.PARTICIPANT, ttl=ttl)


def _auth(token: str, endpoint: str = "participant", secret: str = SECRET) -> auth.Principal | None:
    return authenticate(f"Bearer {token}", endpoint=endpoint, secret=secret, issuer=ISSUER)


def test_a_verified_token_is_not_verified_again(monkeypatch: pytest.MonkeyPatch) -> None:
    token = _token()
    first = _auth(token)
    assert first is not None and first.subject == "acct-1"

    def no_decode(*args: object, **kwargs: object) -> None:
        raise AssertionError("verified again")

    monkeypatch.setattr(jwt, "decode", no_decode)
    assert _auth(token) == first


def test_the_cache_never_widens_what_a_token_is_good_for() -> None:
    token = _token()
    assert _auth(token) is not None
    with pytest.raises(AuthError, match="InvalidAudience"):
        _auth(token, endpoint="staff")
    with pytest.raises(AuthError, match="InvalidSignature"):
        _auth(token, secret="t" * 32)


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    token = _token(ttl=dt.timedelta(seconds=1))
    assert _auth(token) is not None
    time.sleep(2.1)  # past ``exp`` (whole seconds) on the real clock, which PyJWT reads too
    with pytest.raises(AuthError, match="ExpiredSignature"):
        _auth(token)
