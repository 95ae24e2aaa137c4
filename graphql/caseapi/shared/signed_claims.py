"""Short signed, expiring claims for links and tokens handed to partners (no server-side state).

``<base64url(JSON claims)>.<base64url(HMAC-SHA256(key, purpose + ":" + first part))>``; the purpose keeps a token of
one kind from being accepted as another. Keys are derived per purpose from a server secret.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from typing import Any

MAX_TOKEN = 2048


def derive_key(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, f"signed-claims:{purpose}".encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, purpose: str, body: str) -> str:
    return _b64(hmac.new(key, f"{purpose}:{body}".encode(), hashlib.sha256).digest())


def mint(key: bytes, purpose: str, claims: dict[str, Any]) -> str:
    """``claims`` must hold ``exp`` (Unix seconds)."""
    body = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_mac(key, purpose, body)}"


def read(key: bytes, purpose: str, token: str, *, now: dt.datetime) -> dict[str, Any] | None:
    """The claims if the token is genuine and unexpired, else ``None``."""
    token = token.strip()
    if token.count(".") != 1 or len(token) > MAX_TOKEN:
        return None
    body, mac = token.split(".")
    if not hmac.compare_digest(_mac(key, purpose, body), mac):
        return None
    try:
        claims = json.loads(_unb64(body))
    except ValueError:
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int) or claims["exp"] < now.timestamp():
        return None
    return claims
