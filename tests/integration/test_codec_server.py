"""The codec server the Temporal Web UI calls: staff-only, CORS for exactly the UI origin, the codec-server JSON
protocol, and one audit entry per decode (written before the plaintext leaves; no audit, no plaintext)."""

from __future__ import annotations

import base64
import os
from collections.abc import AsyncIterator

import httpx2
import pytest
from starlette.applications import Starlette
from temporalio.api.common.v1 import Payload

from adapters.crypto_codec import AesGcmCodec
from caseapi.codec_server import DECODE_ACTION, DECODE_PATH, ENCODE_PATH, codec_routes
from caseapi.shared.auth import Role, mint_token
from domain.errors import StoreUnavailable
from domain.operator.actions import AuditEntry

SECRET, ISSUER = "codec-test-jwt-secret-of-sufficient-length-01", "prakerja-cases"
UI_URL = "http://localhost:8233/"
UI_ORIGIN = "http://localhost:8233"
CODEC = AesGcmCodec({"k1": os.urandom(32)}, "k1")
PLAIN = Payload(metadata={"encoding": b"json/plain"}, data=b'{"nik":"3201011508950001"}')


class Audit:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self.down = False

    async def __call__(self, entry: AuditEntry) -> None:
        if self.down:
            raise StoreUnavailable("audit log unreachable")
        self.entries.append(entry)


@pytest.fixture
def audit() -> Audit:
    return Audit()


@pytest.fixture
async def http(audit: Audit) -> AsyncIterator[httpx2.AsyncClient]:
    routes = codec_routes(CODEC, jwt_secret=SECRET, jwt_issuer=ISSUER, ui_origin=UI_URL, audit=audit)
    app = Starlette(routes=routes)
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://codec.test") as c:
        yield c


def _token(role: Role, endpoint: str = "staff", subject: str = "officer-7") -> str:
    return mint_token(secret=SECRET, issuer=ISSUER, endpoint=endpoint, subject=subject, role=role)


def _headers(role: Role = Role.STAFF, **extra: str) -> dict[str, str]:
    return {"authorization": f"Bearer {_token(role)}", "x-namespace": "default", **extra}


def _wire(p: Payload) -> dict[str, object]:
    return {
        "metadata": {k: base64.b64encode(v).decode() for k, v in p.metadata.items()},
        "data": base64.b64encode(p.data).decode(),
    }


def _payload(j: dict) -> Payload:
    return Payload(
        metadata={k: base64.b64decode(v) for k, v in j["metadata"].items()}, data=base64.b64decode(j["data"])
    )


async def test_requests_without_a_valid_staff_token_are_refused(http: httpx2.AsyncClient, audit: Audit):
    sealed = await CODEC.encode([PLAIN])
    body = {"payloads": [_wire(p) for p in sealed]}
    missing = await http.post(DECODE_PATH, json=body)
    assert missing.status_code == 401 and missing.json()["code"] == "UNAUTHENTICATED"
    assert missing.headers["www-authenticate"] == "Bearer"
    forged = await http.post(DECODE_PATH, json=body, headers={"authorization": "Bearer not.a.jwt"})
    assert forged.status_code == 401
    # A participant's own token is for another audience; a participant role in a staff-audience token is forbidden.
    other_audience = f"Bearer {_token(Role.PARTICIPANT, endpoint='participant')}"
    assert (await http.post(DECODE_PATH, json=body, headers={"authorization": other_audience})).status_code == 401
    participant = await http.post(DECODE_PATH, json=body, headers=_headers(Role.PARTICIPANT))
    assert participant.status_code == 403 and participant.json()["code"] == "FORBIDDEN"
    partner = await http.post(ENCODE_PATH, json={"payloads": [_wire(PLAIN)]}, headers=_headers(Role.PARTNER))
    assert partner.status_code == 403
    assert audit.entries == []
    assert all(b"3201011508950001" not in r.content for r in (missing, forged, participant))


async def test_cors_preflight_answers_only_the_temporal_ui_origin(http: httpx2.AsyncClient):
    ask = {"access-control-request-method": "POST", "access-control-request-headers": "authorization,x-namespace"}
    for path in (DECODE_PATH, ENCODE_PATH):
        ok = await http.options(path, headers={"origin": UI_ORIGIN, **ask})
        assert ok.status_code == 204
        assert ok.headers["access-control-allow-origin"] == UI_ORIGIN
        assert ok.headers["access-control-allow-methods"] == "POST"
        assert ok.headers["access-control-allow-headers"] == "authorization, content-type, x-namespace"
        assert ok.headers["access-control-allow-credentials"] == "true"
        for origin in ("http://evil.example", "http://localhost:8234", "null"):
            refused = await http.options(path, headers={"origin": origin, **ask})
            assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers
    # The real request carries the CORS headers for the UI only.
    sealed = await CODEC.encode([PLAIN])
    body = {"payloads": [_wire(p) for p in sealed]}
    from_ui = await http.post(DECODE_PATH, json=body, headers=_headers(origin=UI_ORIGIN))
    assert from_ui.headers["access-control-allow-origin"] == UI_ORIGIN
    from_elsewhere = await http.post(DECODE_PATH, json=body, headers=_headers(origin="http://evil.example"))
    assert "access-control-allow-origin" not in from_elsewhere.headers


async def test_decode_returns_the_plaintext_payloads_and_audits_each_call(http: httpx2.AsyncClient, audit: Audit):
    sealed = await CODEC.encode([PLAIN, PLAIN])
    unencrypted = Payload(metadata={"encoding": b"binary/null"})
    body = {"payloads": [_wire(p) for p in [*sealed, unencrypted]]}
    for n in (1, 2):
        resp = await http.post(DECODE_PATH, json=body, headers=_headers(**{"x-namespace": "prakerja"}))
        assert resp.status_code == 200, resp.text
        assert [_payload(p) for p in resp.json()["payloads"]] == [PLAIN, PLAIN, unencrypted]
        assert len(audit.entries) == n
    entry = audit.entries[-1]
    assert entry.actor == "staff:officer-7" and entry.action == DECODE_ACTION
    assert entry.detail["count"] == "3" and entry.detail["namespace"] == "prakerja"
    assert entry.case_id is None and entry.at.tzinfo is not None
    supervisor = await http.post(DECODE_PATH, json=body, headers=_headers(Role.SUPERVISOR))
    assert supervisor.status_code == 200 and len(audit.entries) == 3


async def test_encode_seals_under_the_active_key_without_an_audit_entry(http: httpx2.AsyncClient, audit: Audit):
    resp = await http.post(ENCODE_PATH, json={"payloads": [_wire(PLAIN)]}, headers=_headers())
    assert resp.status_code == 200
    [sealed] = [_payload(p) for p in resp.json()["payloads"]]
    assert sealed.metadata["encoding"] == b"binary/encrypted" and b"3201011508950001" not in sealed.data
    assert await CODEC.decode([sealed]) == [PLAIN]
    assert audit.entries == []


async def test_no_audit_entry_means_no_plaintext(http: httpx2.AsyncClient, audit: Audit):
    audit.down = True
    sealed = await CODEC.encode([PLAIN])
    resp = await http.post(DECODE_PATH, json={"payloads": [_wire(p) for p in sealed]}, headers=_headers())
    assert resp.status_code == 503 and resp.json()["code"] == "AUDIT_UNAVAILABLE"
    assert b"3201011508950001" not in resp.content and b"eyJuaWsi" not in resp.content


async def test_bad_bodies_and_unknown_keys_are_client_errors(http: httpx2.AsyncClient, audit: Audit):
    bad = await http.post(DECODE_PATH, content=b"{not json", headers=_headers())
    assert bad.status_code == 400 and bad.json()["code"] == "INVALID_REQUEST"
    wrong_shape = await http.post(DECODE_PATH, json={"payloads": "x"}, headers=_headers())
    assert wrong_shape.status_code == 400
    foreign = await AesGcmCodec({"k9": os.urandom(32)}, "k9").encode([PLAIN])
    resp = await http.post(DECODE_PATH, json={"payloads": [_wire(p) for p in foreign]}, headers=_headers())
    assert resp.status_code == 422 and "'k9'" in resp.json()["message"]
    too_big = await http.post(DECODE_PATH, content=b"x", headers={**_headers(), "content-length": str(9 * 2**20)})
    assert too_big.status_code == 413
    assert audit.entries == []
