"""A lean HTTP/1.1 client for the benchmark's GraphQL posts: kept-alive connections on asyncio streams.

The benchmark's client shares the machine with what it measures. Through httpx, 56% of its CPU went to the HTTP
library itself (connection-pool bookkeeping, anyio stream wrappers, h11 events: py-spy), for requests that are
always a small JSON POST to one server answering with a ``Content-Length`` (or chunked) body. This does only that.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit

Stream = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class ConnectionLost(Exception):
    """No answer: the server closed a kept-alive connection, or refused a new one (the caller may send again)."""


class KeepAliveClient:
    def __init__(self, base_url: str, *, connections: int, timeout: float = 120) -> None:
        url = urlsplit(base_url)
        self._host, self._port = url.hostname or "127.0.0.1", url.port or 80
        self._idle: list[Stream] = []
        self._slots = asyncio.Semaphore(connections)
        self._timeout = timeout

    async def post_json(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """The status and body of a POST of ``body`` (JSON); raises ``ConnectionLost`` when the connection drops."""
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        request = (
            f"POST {path} HTTP/1.1\r\nhost: {self._host}:{self._port}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\n{head}\r\n"
        ).encode() + body
        async with self._slots:
            try:
                reader, writer = self._reuse() or await self._open()
            except OSError as exc:  # the server is down or restarting
                raise ConnectionLost(type(exc).__name__) from exc
            try:
                writer.write(request)
                async with asyncio.timeout(self._timeout):
                    status, answer, keep = await _response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as exc:
                writer.close()
                self._drop_idle()  # the server probably restarted: its other kept-alive connections are gone too
                raise ConnectionLost(type(exc).__name__) from exc
            if keep:
                self._idle.append((reader, writer))
            else:
                writer.close()
            return status, answer

    def _reuse(self) -> Stream | None:
        while self._idle:
            reader, writer = self._idle.pop()
            if not reader.at_eof() and not writer.is_closing():
                return reader, writer
            writer.close()  # closed by the server while idle
        return None

    def _drop_idle(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()

    async def _open(self) -> Stream:
        return await asyncio.open_connection(self._host, self._port)

    async def aclose(self) -> None:
        idle = [writer for _, writer in self._idle]
        self._drop_idle()
        for writer in idle:
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    fields = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip().lower()
    if "content-length" in fields:
        body = await reader.readexactly(int(fields["content-length"]))
    elif fields.get("transfer-encoding") == "chunked":
        chunks = []
        while size := int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16):
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        await reader.readuntil(b"\r\n")  # the empty trailer line
        body = b"".join(chunks)
    else:
        raise ValueError("a response without a length")
    return status, body, fields.get("connection") != "close"
