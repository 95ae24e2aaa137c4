"""Tokens from an identity provider: RS256 and ES256 checked against a JWKS the test serves, a key rotation in the
middle of the test (new ``kid`` fetched), a token signed by a key the issuer never published refused, per-audience
endpoints, claims mapped to role and province scope, a small clock leeway."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.server
import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from caseapi.shared.auth import AuthError, Role, authenticate
from caseapi.shared.oidc import Oidc
from tests.conftest import free_port

ISSUER = "https://idp.example.test/realms/prakerja"


class Jwks:
    """The issuer's published keys, served over HTTP; ``publish`` replaces them (a rotation)."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.fetches = 0

    def publish(self, *pairs: tuple[str, Any]) -> None:
        self.keys = [_jwk(kid, key) for kid, key in pairs]


def _jwk(kid: str, key: Any) -> dict[str, Any]:
    algorithm = jwt.algorithms.RSAAlgorithm if isinstance(key, rsa.RSAPrivateKey) else jwt.algorithms.ECAlgorithm
    public = json.loads(algorithm.to_jwk(key.public_key()))
    return {**public, "kid": kid, "use": "sig", "alg": "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"}


@pytest.fixture
def jwks() -> Iterator[tuple[Jwks, str]]:
    state = Jwks()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.fetches += 1
            body = json.dumps({"keys": state.keys}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{port}/.well-known/jwks.json"
    server.shutdown()


def _token(key: Any, kid: str, *, audience: str = "prakerja:staff", **claims: Any) -> str:
    now = dt.datetime.now(dt.UTC)
    body = {"sub": f"user-{uuid.uuid4().hex[:6]}", "iss": ISSUER, "aud": audience, "iat": now,
            "exp": now + dt.timedelta(minutes=5), **claims}  # fmt: skip
    algorithm = "RS256" if isinstance(key, rsa.RSAPrivateKey) else "ES256"
    return jwt.encode(body, key, algorithm=algorithm, headers={"kid": kid})


def _oidc(url: str) -> Oidc:
    audiences = {e: f"prakerja:{e}" for e in ("participant", "staff", "partner")}
    return Oidc(issuer=ISSUER, jwks_url=url, audiences=audiences, role_claim="prakerja_role", provinces_claim="wilayah")


def _auth(token: str, oidc: Oidc, endpoint: str = "staff") -> Any:
    return authenticate(f"Bearer {token}", endpoint=endpoint, secret="unused", issuer="unused", oidc=oidc)


def test_keys_rotate_unknown_keys_are_refused_and_claims_map_to_roles(jwks):
    state, url = jwks
    first, second = rsa.generate_private_key(65537, 2048), ec.generate_private_key(ec.SECP256R1())
    state.publish(("k1", first))
    oidc = dataclasses.replace(_oidc(url), refresh_cooldown_seconds=0)  # production: 10 s between forced refreshes
    staff = _auth(_token(first, "k1", prakerja_role="staff", wilayah=["32", "33"]), oidc)
    assert (staff.role, staff.provinces) == (Role.STAFF, ("32", "33"))
    national = _auth(_token(first, "k1", prakerja_role="supervisor", wilayah=["*"]), oidc)
    assert national.role is Role.SUPERVISOR and national.provinces is None
    fetched = state.fetches

    state.publish(("k2", second))  # rotation: k1 retired, k2 (ES256) published
    rotated = _auth(_token(second, "k2", prakerja_role="staff"), oidc)
    assert rotated.role is Role.STAFF and state.fetches == fetched + 1  # the new kid made it fetch once

    stranger = rsa.generate_private_key(65537, 2048)
    with pytest.raises(AuthError):
        _auth(_token(stranger, "k2", prakerja_role="staff"), oidc)  # a published kid, another key's signature
    with pytest.raises(AuthError):
        _auth(_token(stranger, "k9", prakerja_role="staff"), oidc)  # a key the issuer never published
    with pytest.raises(AuthError):
        _auth(_token(second, "k2", prakerja_role="staff", audience="prakerja:partner"), oidc)  # another audience
    with pytest.raises(AuthError):
        _auth(_token(second, "k2"), oidc)  # no role claim
    with pytest.raises(AuthError):  # the development stack's HS256 secret is not accepted in OIDC mode
        _auth(jwt.encode({"sub": "x", "prakerja_role": "staff"}, "s" * 40, algorithm="HS256"), oidc)


def test_a_small_clock_skew_is_tolerated_and_an_expired_token_is_not(jwks):
    state, url = jwks
    key = rsa.generate_private_key(65537, 2048)
    state.publish(("k1", key))
    oidc = dataclasses.replace(_oidc(url), leeway_seconds=30)
    now = dt.datetime.now(dt.UTC)
    issued_ahead = _token(key, "k1", prakerja_role="participant", audience="prakerja:participant",
                          iat=now + dt.timedelta(seconds=10))  # fmt: skip
    assert _auth(issued_ahead, oidc, "participant").role is Role.PARTICIPANT
    expired = _token(key, "k1", prakerja_role="participant", audience="prakerja:participant",
                     exp=now - dt.timedelta(minutes=2))  # fmt: skip
    with pytest.raises(AuthError):
        _auth(expired, oidc, "participant")
