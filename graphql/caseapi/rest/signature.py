"""Request signatures of Prakerja's integration API (pure functions, no I/O).

``signature = hex(HMAC-SHA1(sign_key, client_code + timestamp + METHOD + path + body))`` where ``body`` is the
compact JSON of the request object. Clients in several languages re-serialise the same object with other
whitespace, so :func:`verify` accepts a signature over the raw body bytes exactly as received, over the compact
re-serialisation of the parsed body (key order kept), or over that with Go's ``<>&`` escaping.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from typing import Any

MAX_SKEW = dt.timedelta(seconds=300)
"""How far a request's timestamp may be from the server clock, either way."""
NONCE_TTL = 2 * MAX_SKEW
"""How long a used signature must be remembered to refuse every replay of a still-fresh request."""

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"[0-9a-fA-F]{40}")


def compact_json(obj: Any) -> str:
    """The compact serialisation the official clients sign."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def compact_body(raw: bytes) -> str:
    """Compact re-serialisation of a JSON body, key order kept; raises ``ValueError`` if it is not JSON."""
    try:
        return compact_json(json.loads(raw))
    except RecursionError as exc:  # absurdly deep nesting
        raise ValueError("JSON nested too deeply") from exc


def _message(client_code: str, timestamp: str, method: str, path: str, body: str | bytes) -> bytes:
    body_bytes = body.encode("utf-8") if isinstance(body, str) else body
    return (client_code + timestamp + method.upper() + path).encode("utf-8") + body_bytes


def sign(key: str, client_code: str, timestamp: str, method: str, path: str, body: str | bytes) -> str:
    """Lowercase hex HMAC-SHA1 of ``client_code + timestamp + method + path + body``."""
    return hmac.new(key.encode("utf-8"), _message(client_code, timestamp, method, path, body), "sha1").hexdigest()


def normalize_signature(signature: str) -> str | None:
    """The signature as lowercase hex, or ``None`` if it is not 40 hex digits."""
    signature = signature.strip()
    return signature.lower() if _SIGNATURE.fullmatch(signature) else None


def parse_timestamp(timestamp: str) -> int | None:
    """Unix seconds from a header, or ``None`` unless it is a plain non-negative integer."""
    timestamp = timestamp.strip()
    return int(timestamp) if _TIMESTAMP.fullmatch(timestamp) else None


def is_fresh(timestamp: int, now: dt.datetime, max_skew: dt.timedelta = MAX_SKEW) -> bool:
    return abs(now.timestamp() - timestamp) <= max_skew.total_seconds()


def go_escaped(compact: str) -> str:
    """The compact form as Go's ``json.Marshal`` writes it: ``<``, ``>`` and ``&`` as ``\\u003c`` etc."""
    return compact.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def verify(
    key: str,
    client_code: str,
    timestamp: str,
    method: str,
    path: str,
    raw_body: bytes,
    signature: str,
    *,
    authorization: str | None = None,
) -> bool:
    """Whether ``signature`` signs ``raw_body`` itself, its compact re-serialisation, or that with Go's escaping.

    With ``authorization`` (payment/authorize's header value), each form is also tried with the value inserted
    before the body, as the official Go sample signs (partner-api.md §3, pitfall 2).
    """
    provided = normalize_signature(signature)
    if provided is None:
        return False
    bodies: list[str | bytes] = [raw_body]
    try:
        compact = compact_body(raw_body)
    except ValueError:  # not JSON (or not UTF-8): only the raw form can match
        pass
    else:
        for form in (compact, go_escaped(compact)):
            if form.encode("utf-8") not in [b if isinstance(b, bytes) else b.encode("utf-8") for b in bodies]:
                bodies.append(form)
    candidates = list(bodies)
    if authorization:
        slot = authorization.encode("utf-8")
        candidates += [slot + (b if isinstance(b, bytes) else b.encode("utf-8")) for b in bodies]
    ok = False
    for body in candidates:  # no early exit: the time taken does not say which form matched
        ok |= hmac.compare_digest(sign(key, client_code, timestamp, method, path, body), provided)
    return ok
