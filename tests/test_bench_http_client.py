"""The benchmark's lean HTTP client: kept-alive reuse, both body framings, and a dropped connection."""

from __future__ import annotations

import asyncio
import json

import pytest

from bench.http_client import ConnectionLost, KeepAliveClient


class Server:
    """Answers each POST with its own body; ``chunked`` frames the answer in chunks; ``close_after`` requests on a
    connection, it closes that connection without answering."""

    def __init__(self, *, chunked: bool = False, close_after: int | None = None) -> None:
        self.chunked, self.close_after = chunked, close_after
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        served = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                body = await reader.readexactly(length)
                if self.close_after is not None and served == self.close_after:
                    writer.close()
                    return
                served += 1
                if self.chunked:
                    half = len(body) // 2
                    framed = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in (body[:half], body[half:]) if p)
                    writer.write(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" + framed + b"0\r\n\r\n")
                else:
                    writer.write(b"HTTP/1.1 201 Created\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
        except asyncio.IncompleteReadError:
            writer.close()


async def _serve(server: Server) -> tuple[asyncio.Server, str]:
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    return listening, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize("chunked", [False, True])
async def test_posts_reuse_one_connection_and_read_either_framing(chunked: bool) -> None:
    server = Server(chunked=chunked)
    listening, url = await _serve(server)
    client = KeepAliveClient(url, connections=4)
    try:
        for i in range(3):
            status, body = await client.post_json("/graphql", json.dumps({"n": i}).encode(), {"authorization": "x"})
            assert (status, json.loads(body)) == (200 if chunked else 201, {"n": i})
        assert server.connections == 1
    finally:
        await client.aclose()
        listening.close()


async def test_a_connection_the_server_dropped_is_reported_and_replaced() -> None:
    server = Server(close_after=1)
    listening, url = await _serve(server)
    client = KeepAliveClient(url, connections=4)
    try:
        assert (await client.post_json("/", b"{}", {}))[0] == 201
        with pytest.raises(ConnectionLost):
            await client.post_json("/", b"{}", {})
        assert (await client.post_json("/", b"{}", {}))[0] == 201  # sent again on a new connection
        assert server.connections == 2
    finally:
        await client.aclose()
        listening.close()


async def test_a_server_that_is_down_is_a_lost_connection() -> None:
    listening, url = await _serve(Server())
    listening.close()
    await listening.wait_closed()
    with pytest.raises(ConnectionLost):
        await KeepAliveClient(url, connections=1).post_json("/", b"{}", {})
