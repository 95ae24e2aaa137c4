"""Signed calls to the partner REST API as the official sample clients make them, answers parsed strictly."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import time
from typing import Any

import httpx2

from partnerkit.contract import parse, parse_error

BASE = "/api/v1/integration"
QUOTA = f"{BASE}/payment/quota-schedule"
SEND_OTP = f"{BASE}/payment/send-otp"
AUTHORIZE = f"{BASE}/payment/authorize"
PAY_STATUS = f"{BASE}/payment/status"
VOID = f"{BASE}/payment/void"
URL_GENERATE = f"{BASE}/oauth/url-generate"
REDEEM_STATUS = f"{BASE}/payment/redeem-code/status"
REDEEM_COMMIT = f"{BASE}/payment/redeem-code/commit"
REDEEM_RESET = f"{BASE}/payment/redeem-code/reset"

_spread = itertools.count()


def signed_request(
    key: str, client: str, path: str, body: Any, *, authorization: str = "", spaced: bool = False, slot: bool = False
) -> tuple[bytes, dict[str, str]]:
    """Compact JSON signed (spaced JSON sent when ``spaced``, like the Python sample); ``slot`` signs the
    Authorization value before the body like the Go sample. Timestamps spread over ±50 s so that identical
    calls in one test are not replays."""
    stamp = str(int(time.time()) + next(_spread) % 100 - 50)
    if isinstance(body, bytes):  # not JSON (a fuzzer's body): signed and sent as is
        raw_bytes = f"{client}{stamp}POST{path}".encode() + body
        signature = hmac.new(key.encode(), raw_bytes, hashlib.sha1).hexdigest()
        return body, {"client_code": client, "timestamp": stamp, "signature": signature}
    compact = json.dumps(body, separators=(",", ":"))
    raw = f"{client}{stamp}POST{path}{authorization if slot else ''}{compact}"
    signature = hmac.new(key.encode(), raw.encode(), hashlib.sha1).hexdigest()
    headers = {"client_code": client, "timestamp": stamp, "signature": signature, "content-type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    return (json.dumps(body) if spaced else compact).encode(), headers


async def post(http: httpx2.AsyncClient, key: str, client: str, path: str, body: Any, **how: Any) -> httpx2.Response:
    content, headers = signed_request(key, client, path, body, **how)
    return await http.post(path, content=content, headers=headers)


async def ok(http: httpx2.AsyncClient, key: str, client: str, path: str, body: Any, **how: Any) -> Any:
    response = await post(http, key, client, path, body, **how)
    assert response.status_code == 200, response.text
    return parse(path, response.json())


async def refused(
    http: httpx2.AsyncClient, key: str, client: str, path: str, body: Any, code: str, status: int = 400, **how: Any
) -> str:
    response = await post(http, key, client, path, body, **how)
    assert response.status_code == status, response.text
    error = parse_error(response.json())
    assert error.code == code, error
    return error.message


def z(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
