"""The official redeem-code REST contract, signed exactly as the providers' sample clients sign."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest
from starlette.applications import Starlette

from caseapi.rest import RedeemError, redeem_routes
from domain.errors import DomainError, ErrorCode, StoreUnavailable
from domain.training_messages import RedeemResult

NOW = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
TS = str(int(NOW.timestamp()))
STATUS = "/api/v1/integration/payment/redeem-code/status"
COMMIT = "/api/v1/integration/payment/redeem-code/commit"
KEYS = {"LPK-001": "lpk-001-sign-key-3f9a", "LPK-002": "lpk-002-sign-key-b71c"}
CODE = "RDM7Q2XK"


def redeemed(redeem_code: str, sequence: int) -> RedeemResult:
    return RedeemResult(
        redeem_code=redeem_code,
        voucher_code="VCR-0001",
        invoice_code="INV-0001",
        course_code="CRS-PYTHON-01",
        schedule_code="SCH-0001",
        status="REDEEMED",
        attendance_status="ATTENDED",
        redeem_at=dt.datetime(2024, 3, 1, 16, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        dp_platform="DP-TOKO",
        sequence=sequence,
    )


@dataclass
class FakeGateway:
    """In memory: partner keys, used nonces, canned refusals by redeem code."""

    keys: dict[str, str] = field(default_factory=lambda: dict(KEYS))
    nonces: set[tuple[str, str]] = field(default_factory=set)
    refusals: dict[str, RedeemError] = field(default_factory=dict)
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    raise_on_call: Exception | None = None

    async def sign_key(self, client_code: str) -> str | None:
        return self.keys.get(client_code)

    async def first_use(self, client_code: str, signature: str, at: dt.datetime) -> bool:
        assert at == NOW
        if (client_code, signature) in self.nonces:
            return False
        self.nonces.add((client_code, signature))
        return True

    async def _answer(self, action, client_code, redeem_code, sequence, training_type):
        self.calls.append((action, client_code, redeem_code, sequence, training_type))
        if self.raise_on_call is not None:
            raise self.raise_on_call
        return self.refusals.get(redeem_code) or redeemed(redeem_code, sequence)

    async def status(self, client_code, redeem_code, sequence, training_type):
        return await self._answer("status", client_code, redeem_code, sequence, training_type)

    async def commit(self, client_code, redeem_code, sequence, training_type):
        return await self._answer("commit", client_code, redeem_code, sequence, training_type)


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
async def http(gateway: FakeGateway) -> AsyncIterator[httpx2.AsyncClient]:
    app = Starlette(routes=redeem_routes(gateway, clock=lambda: NOW))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="https://prakerja.test") as c:
        yield c


def hmac_sha1(key: str, message: str | bytes) -> str:
    data = message.encode() if isinstance(message, str) else message
    return hmac.new(key.encode(), data, hashlib.sha1).hexdigest()


def official_client(payload: dict[str, Any], *, client: str = "LPK-001", path: str = COMMIT, ts: str = TS):
    """(a) The reference client: compact JSON body, signed as sent, lowercase headers."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    signature = hmac_sha1(KEYS.get(client, "nobody"), client + ts + "POST" + path + body)
    return body.encode(), {"client_code": client, "timestamp": ts, "signature": signature}


def spaced_client_signing_compact(payload: dict[str, Any], *, client: str = "LPK-001", path: str = COMMIT):
    """(b) PHP/Java/Python-default style: spaced body, but the signature over the compact form; capitalised headers."""
    compact = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    signature = hmac_sha1(KEYS[client], client + TS + "POST" + path + compact)
    return json.dumps(payload).encode(), {"Client_code": client, "Timestamp": TS, "Signature": signature}


def spaced_client_signing_raw(payload: dict[str, Any], *, client: str = "LPK-001", path: str = COMMIT):
    """(c) Spaced body signed as sent."""
    body = json.dumps(payload)
    signature = hmac_sha1(KEYS[client], client + TS + "POST" + path + body)
    return body.encode(), {"CLIENT_CODE": client, "TIMESTAMP": TS, "SIGNATURE": signature}


def assert_refused(response: httpx2.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["code"] == code
    assert isinstance(body["message"], str) and body["message"]


EXPECTED_DATA = {
    "redeem_code": CODE,
    "course_code": "CRS-PYTHON-01",
    "invoice_code": "INV-0001",
    "schedule_code": "SCH-0001",
    "status": "REDEEMED",
    "attendance_status": "ATTENDED",
    "redeem_at": "2024-03-01T16:00:00+07:00",
    "dp_platform": "DP-TOKO",
    "sequence": 3,
    "voucher_code": "VCR-0001",
}


# --- the three ways real clients sign -------------------------------------------------------------------------


@pytest.mark.parametrize("client", [official_client, spaced_client_signing_compact, spaced_client_signing_raw])
async def test_each_sample_client_signature_is_accepted(http, gateway, client):
    body, headers = client({"redeem_code": CODE, "sequence": 3})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True, "message": "OK", "data": EXPECTED_DATA}
    assert gateway.calls == [("commit", "LPK-001", CODE, 3, None)]


async def test_status_route_asks_status_and_redeem_at_may_be_null(http, gateway):
    async def unredeemed(client_code, redeem_code, sequence, training_type):
        gateway.calls.append(("status", client_code, redeem_code, sequence, training_type))
        return RedeemResult(CODE, "VCR-0001", "INV-0001", "CRS-PYTHON-01", "SCH-0001", "ACTIVE", "", None, "DP", 1)

    gateway.status = unredeemed  # type: ignore[method-assign]
    body, headers = official_client({"redeem_code": CODE, "sequence": 1, "training_type": "WEBINAR"}, path=STATUS)
    response = await http.post(STATUS, content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["redeem_at"] is None
    assert gateway.calls == [("status", "LPK-001", CODE, 1, "WEBINAR")]


async def test_missing_sequence_defaults_to_1(http, gateway):
    body, headers = official_client({"redeem_code": CODE})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["sequence"] == 1
    assert gateway.calls == [("commit", "LPK-001", CODE, 1, None)]


@pytest.mark.parametrize("sequence", [1, 10, 999])
async def test_valid_sequences(http, gateway, sequence):
    body, headers = official_client({"redeem_code": CODE, "sequence": sequence})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert gateway.calls[0][3] == sequence


async def test_non_ascii_body_signed_compact_without_escapes(http, gateway):
    body, headers = spaced_client_signing_compact({"redeem_code": CODE, "sequence": 2, "note": "Pelatihan Ä"})
    assert b"\\u00c4" in body  # Python's default json.dumps escapes; the compact form used for signing does not
    response = await http.post(COMMIT, content=body, headers=headers)
    assert response.status_code == 200, response.text


# --- authentication -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("drop", ["client_code", "timestamp", "signature"])
async def test_missing_header(http, gateway, drop):
    body, headers = official_client({"redeem_code": CODE})
    headers[drop] = ""
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "MISSING_SIGNATURE_HEADERS")
    del headers[drop]
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "MISSING_SIGNATURE_HEADERS")
    assert gateway.calls == [] and gateway.nonces == set()


async def test_unknown_client(http, gateway):
    body, headers = official_client({"redeem_code": CODE}, client="LPK-999")
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "UNKNOWN_CLIENT")
    assert gateway.calls == [] and gateway.nonces == set()


@pytest.mark.parametrize("offset", [-301, 301, -3600, 86400])
async def test_stale_timestamp(http, gateway, offset):
    body, headers = official_client({"redeem_code": CODE}, ts=str(int(NOW.timestamp()) + offset))
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "STALE_TIMESTAMP")
    assert gateway.calls == [] and gateway.nonces == set()


@pytest.mark.parametrize("offset", [-300, 300])
async def test_timestamp_within_300_seconds_is_fresh(http, offset):
    body, headers = official_client({"redeem_code": CODE}, ts=str(int(NOW.timestamp()) + offset))
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200


@pytest.mark.parametrize("ts", ["yesterday", TS + ".0", TS + "000", "-" + TS, "2024-03-01T09:00:00Z"])
async def test_timestamp_must_be_integer_seconds(http, ts):
    body, headers = official_client({"redeem_code": CODE}, ts=ts)
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "STALE_TIMESTAMP")


async def test_wrong_signature_is_refused_and_uses_no_nonce(http, gateway):
    body, headers = official_client({"redeem_code": CODE})
    good = headers["signature"]
    headers["signature"] = "0" * 40
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "INVALID_SIGNATURE")
    headers["signature"] = "not even hex"
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "INVALID_SIGNATURE")
    assert gateway.calls == [] and gateway.nonces == set()
    headers["signature"] = good  # the genuine request still goes through
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200


async def test_signature_of_another_client_key_is_refused(http):
    body, headers = official_client({"redeem_code": CODE}, client="LPK-002")
    headers["client_code"] = "LPK-001"
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "INVALID_SIGNATURE")


async def test_tampered_body_is_refused(http, gateway):
    _, headers = official_client({"redeem_code": CODE, "sequence": 1})
    tampered = json.dumps({"redeem_code": CODE, "sequence": 2}, separators=(",", ":")).encode()
    assert_refused(await http.post(COMMIT, content=tampered, headers=headers), 401, "INVALID_SIGNATURE")
    assert gateway.calls == []


async def test_signature_for_status_does_not_work_on_commit(http, gateway):
    body, headers = official_client({"redeem_code": CODE}, path=STATUS)
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "INVALID_SIGNATURE")
    assert gateway.calls == []


# --- replay ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [STATUS, COMMIT])
async def test_replayed_request_is_refused_on_both_routes(http, gateway, path):
    body, headers = official_client({"redeem_code": CODE, "sequence": 2}, path=path)
    assert (await http.post(path, content=body, headers=headers)).status_code == 200
    assert_refused(await http.post(path, content=body, headers=headers), 409, "REPLAYED_REQUEST")
    assert len(gateway.calls) == 1


async def test_replay_with_other_whitespace_or_header_case_is_still_a_replay(http, gateway):
    payload = {"redeem_code": CODE, "sequence": 2}
    body, headers = official_client(payload)
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200
    respaced = json.dumps(payload, indent=2).encode()
    shouting = {k.upper(): v.upper() if k == "signature" else v for k, v in headers.items()}
    assert_refused(await http.post(COMMIT, content=respaced, headers=shouting), 409, "REPLAYED_REQUEST")
    assert len(gateway.calls) == 1


async def test_same_request_signed_anew_is_not_a_replay(http, gateway):
    payload = {"redeem_code": CODE, "sequence": 2}
    body, headers = official_client(payload)
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200
    body, headers = official_client(payload, ts=str(int(NOW.timestamp()) + 1))
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200
    assert len(gateway.calls) == 2


# --- request validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"redeem_code": ""},
        {"redeem_code": "   "},
        {"redeem_code": 12345},
        {"redeem_code": CODE, "sequence": 0},
        {"redeem_code": CODE, "sequence": 11},
        {"redeem_code": CODE, "sequence": 998},
        {"redeem_code": CODE, "sequence": "1"},
        {"redeem_code": CODE, "sequence": 1.0},
        {"redeem_code": CODE, "sequence": True},
        {"redeem_code": CODE, "training_type": "ONLINE"},
        {"redeem_code": CODE, "training_type": 1},
        [CODE, 1],
        CODE,
    ],
)
async def test_invalid_request(http, gateway, payload):
    body, headers = official_client(payload)
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 400, "INVALID_REQUEST")
    assert gateway.calls == []


@pytest.mark.parametrize("raw", [b"", b"redeem_code=RDM7Q2XK&sequence=1", b'{"redeem_code":"A","redeem_code":"B"}'])
async def test_signed_body_that_is_not_a_redeem_object_is_invalid(http, gateway, raw):
    signature = hmac_sha1(KEYS["LPK-001"], ("LPK-001" + TS + "POST" + COMMIT).encode() + raw)
    headers = {"client_code": "LPK-001", "timestamp": TS, "signature": signature}
    assert_refused(await http.post(COMMIT, content=raw, headers=headers), 400, "INVALID_REQUEST")
    assert gateway.calls == []


async def test_training_type_is_passed_through(http, gateway):
    body, headers = official_client({"redeem_code": CODE, "sequence": 999, "training_type": "SELF_PACED"})
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200
    assert gateway.calls == [("commit", "LPK-001", CODE, 999, "SELF_PACED")]


async def test_body_over_4_kib_is_refused(http, gateway):
    body, headers = official_client({"redeem_code": CODE, "padding": "x" * 5 * 1024})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert_refused(response, 413, "PAYLOAD_TOO_LARGE")
    assert gateway.calls == [] and gateway.nonces == set()


async def test_streamed_body_over_4_kib_is_refused_without_content_length(http, gateway):
    body, headers = official_client({"redeem_code": CODE, "padding": "x" * 5 * 1024})

    async def chunks():
        for i in range(0, len(body), 512):
            yield body[i : i + 512]

    response = await http.post(COMMIT, content=chunks(), headers=headers)
    assert "content-length" not in response.request.headers
    assert_refused(response, 413, "PAYLOAD_TOO_LARGE")
    assert gateway.calls == []


async def test_body_of_exactly_4_kib_is_accepted(http):
    payload = {"redeem_code": CODE, "padding": ""}
    size = len(json.dumps(payload, separators=(",", ":")))
    body, headers = official_client({"redeem_code": CODE, "padding": "x" * (4096 - size)})
    assert len(body) == 4096
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200


async def test_only_post(http):
    assert (await http.get(COMMIT)).status_code == 405


# --- business answers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (ErrorCode.REDEEM_CODE_NOT_FOUND, 404),
        (ErrorCode.CODE_OF_OTHER_PROVIDER, 403),
        (ErrorCode.TEMPORARILY_UNAVAILABLE, 503),
        (ErrorCode.CODE_ALREADY_USED, 422),
        (ErrorCode.OUTSIDE_REDEEM_WINDOW, 422),
        (ErrorCode.TRAINING_TYPE_MISMATCH, 422),
        (ErrorCode.CODE_CANCELLED, 422),
        (ErrorCode.TRANSACTION_CANCELLED, 422),
        (ErrorCode.INVALID_SEQUENCE, 422),
    ],
)
@pytest.mark.parametrize("path", [STATUS, COMMIT])
async def test_business_error_maps_to_http_status(http, gateway, code, status, path):
    gateway.refusals[CODE] = RedeemError(code=code.value, message=f"refused: {code.value}")
    body, headers = official_client({"redeem_code": CODE}, path=path)
    response = await http.post(path, content=body, headers=headers)
    assert response.status_code == status
    assert response.json() == {"success": False, "code": code.value, "message": f"refused: {code.value}"}
    assert response.headers.get("retry-after") == ("1" if status == 503 else None)


async def test_domain_error_raised_by_gateway_is_a_business_answer(http, gateway):
    gateway.raise_on_call = DomainError(ErrorCode.CODE_ALREADY_USED, "Already used.")
    body, headers = official_client({"redeem_code": CODE})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert response.status_code == 422
    assert response.json() == {"success": False, "code": "CODE_ALREADY_USED", "message": "Already used."}


async def test_store_unavailable_is_503_with_retry_after(http, gateway):
    gateway.raise_on_call = StoreUnavailable("db down")
    body, headers = official_client({"redeem_code": CODE})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert_refused(response, 503, "TEMPORARILY_UNAVAILABLE")
    assert response.headers["retry-after"] == "1"


# --- hygiene --------------------------------------------------------------------------------------------------


async def test_secrets_bodies_and_signatures_are_never_logged(http, caplog):
    caplog.set_level(logging.DEBUG)
    body, headers = official_client({"redeem_code": CODE, "sequence": 2})
    await http.post(COMMIT, content=body, headers=headers)
    await http.post(COMMIT, content=body, headers=headers)  # replay
    bad = dict(headers, signature="f" * 40)
    await http.post(COMMIT, content=body, headers=bad)
    logged = caplog.text
    assert "LPK-001" in logged  # the client is logged ...
    for secret in (KEYS["LPK-001"], headers["signature"], "f" * 40, body.decode(), CODE):
        assert secret not in logged  # ... but not its key, signatures, bodies or codes
