"""Signed calls as the official sample clients make them, over a pluggable transport (urllib by default)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

Transport = Callable[[str, bytes, dict[str, str]], Awaitable[tuple[int, Any]]]
"""(path, body, headers) → (HTTP status, parsed JSON body)."""


def urllib_transport(base_url: str, timeout: float = 15.0) -> Transport:
    if not base_url.startswith(("http://", "https://")):
        raise ValueError("--base-url must be an http(s) URL")

    async def send(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        def call() -> tuple[int, Any]:
            url = base_url.rstrip("/") + path  # http(s) only, checked above
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                    return response.status, json.loads(response.read() or b"null")
            except urllib.error.HTTPError as exc:
                raw = exc.read()
                try:
                    return exc.code, json.loads(raw or b"null")
                except ValueError:
                    return exc.code, raw.decode(errors="replace")

        return await asyncio.to_thread(call)

    return send


@dataclass
class Signer:
    client_code: str
    sign_key: str
    transport: Transport
    _spread: Any = field(default_factory=itertools.count)

    async def post(
        self, path: str, body: Any, *, authorization: str = "", spaced: bool = False, capitalised: bool = False
    ) -> tuple[int, Any]:
        """Signed over the compact JSON; ``spaced`` sends Python's default spacing (the official Python sample)."""
        stamp = str(int(time.time()) - next(self._spread) % 60)  # identical calls are not replays
        compact = json.dumps(body, separators=(",", ":"))
        raw = f"{self.client_code}{stamp}POST{path}{compact}"
        signature = hmac.new(self.sign_key.encode(), raw.encode(), hashlib.sha1).hexdigest()
        names = ("Client_code", "Timestamp", "Signature") if capitalised else ("client_code", "timestamp", "signature")
        headers = dict(zip(names, (self.client_code, stamp, signature), strict=True))
        headers["Content-Type"] = "application/json"
        if authorization:
            headers["Authorization"] = authorization
        sent = json.dumps(body) if spaced else compact
        return await self.transport(path, sent.encode(), headers)
