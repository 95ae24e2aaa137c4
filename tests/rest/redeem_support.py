"""Fake gateway, fixtures and the sample clients' signing, shared by the redeem-code REST tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

import httpx2

from caseapi.rest import RedeemError
from caseapi.rest import catalogue as cat
from caseapi.rest.ports import AttendanceLink, RedeemDetail
from domain.training.messages import RedeemResult
from domain.training.trainings import TrainingMode
from partnerkit.contract import parse, parse_error

NOW = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
TS = str(int(NOW.timestamp()))
STATUS = "/api/v1/integration/payment/redeem-code/status"
COMMIT = "/api/v1/integration/payment/redeem-code/commit"
KEYS = {"LPK-001": "lpk-001-sign-key-3f9a", "LPK-002": "lpk-002-sign-key-b71c"}
CODE = "RDM7Q2XK"


def redeemed(redeem_code: str, sequence: int) -> RedeemDetail:
    return RedeemDetail(result(redeem_code, sequence), TrainingMode.WEBINAR, "SCH-0001", (SESSION, SESSION_END))


SESSION = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
SESSION_END = dt.datetime(2024, 3, 1, 11, 30, tzinfo=dt.UTC)


def result(redeem_code: str, sequence: int) -> RedeemResult:
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

    async def sign_key(self, client_code: str, kind: Any = None) -> str | None:
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

    async def reset(self, client_code, redeem_code):
        return await self._answer("reset", client_code, redeem_code, 1, None)

    async def attendance_link(self, client_code, redeem_code, sequence, redirect_uri, email, base_url):
        self.calls.append(("url-generate", client_code, redeem_code, sequence, redirect_uri))
        refusal = self.refusals.get(redeem_code)
        return refusal or AttendanceLink(f"{base_url}attendance.html#t", "st-1", TrainingMode.SELF_PACED)


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


LEGACY = {
    "MISSING_SIGNATURE_HEADERS": cat.MISSING_HEADERS,
    "UNKNOWN_CLIENT": cat.UNKNOWN_CLIENT,
    "STALE_TIMESTAMP": cat.STALE_TIMESTAMP,
    "INVALID_SIGNATURE": cat.INVALID_SIGNATURE,
    "REPLAYED_REQUEST": cat.REPLAYED,
    "RATE_LIMITED": cat.RATE_LIMITED,
    "PAYLOAD_TOO_LARGE": cat.TOO_LARGE,
    "TEMPORARILY_UNAVAILABLE": cat.UNAVAILABLE,
}
"""The typed refusals by their names before the catalogue (each keeps its own code)."""


def assert_refused(response: httpx2.Response, status: int, code: str | cat.CatalogueEntry) -> None:
    entry = LEGACY.get(code, code) if isinstance(code, str) else code
    expected = entry.code if isinstance(entry, cat.CatalogueEntry) else entry
    assert response.status_code == status, response.text
    body = parse_error(response.json())
    assert body.code == expected, body


def assert_ok(response: httpx2.Response, path: str) -> Any:
    assert response.status_code == 200, response.text
    return parse(path, response.json())


EXPECTED_DATA = {
    "redeem_code": CODE,
    "course_code": "CRS-PYTHON-01",
    "invoice_code": "INV-0001",
    "schedule_code": "SCH-0001",
    "status": 1,
    "attendance_status": 1,
    "redeem_at": "2024-03-01T09:00:00Z",
    "dp_platform": "DP-TOKO",
    "schedule_start_end": "2024-03-01T09:00:00Z - 2024-03-01T11:30:00Z",
    "course_type": 2,
    "course_type_label": "Webinar",
    "course_learning_method": "online",
    "is_online_attendance": True,
    "sequence": 3,
}
