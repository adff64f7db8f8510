"""A minimal HTTP/1.1 server on 127.0.0.1 that answers canned, spec-valid bodies.

Run in its own process (``python -m bench.canned_server``) so its CPU time never counts
against the client being measured. It speaks just enough HTTP/1.1 for the clients under test:
keep-alive, ``Content-Length`` framing, ``Connection: close``. A raw ``asyncio.Protocol``
rather than an ASGI stack keeps the server's cost per request to a few tens of microseconds,
well under the client's, so the figures measure clients rather than the server.

It prints ``PORT <n>`` once it listens and exits when its standard input closes, so it never
outlives the benchmark that started it.

Routes: ``GET /api/memberships/{id}`` (one membership), ``GET /api/memberships?page=&pageSize=``
(a page of a listing whose length ``GET /_bench/total/{n}`` sets), anything else 404.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bench import payloads

_NOT_FOUND = b'{"message":"not found","status":404}'
_JSON = b"application/json"


class _State:
    total = payloads.MAX_PAGE


def _route(method: bytes, target: bytes) -> tuple[bytes, bytes]:
    if method != b"GET":
        return b"405 Method Not Allowed", b'{"message":"method not allowed"}'
    parts = urlsplit(target.decode("latin-1"))
    path = parts.path
    if path.startswith("/api/memberships/"):
        return b"200 OK", payloads.MEMBERSHIP
    if path == "/api/memberships":
        query = parse_qs(parts.query)
        number = int(query.get("page", ["1"])[0])
        size = int(query.get("pageSize", ["20"])[0])
        return b"200 OK", payloads.page(number, size, _State.total)
    if path.startswith("/_bench/total/"):
        _State.total = int(path.rsplit("/", 1)[1])
        return b"200 OK", b"{}"
    return b"404 Not Found", _NOT_FOUND


class _Http(asyncio.Protocol):
    def __init__(self) -> None:
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        transport = self._transport
        assert transport is not None
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self._buffer[:end]
            line, _, raw_headers = head.partition(b"\r\n")
            headers = raw_headers.lower()
            length = 0
            for header in headers.split(b"\r\n"):
                if header.startswith(b"content-length:"):
                    length = int(header.split(b":", 1)[1])
            if len(self._buffer) < end + 4 + length:
                return  # the request body has not all arrived yet
            self._buffer = self._buffer[end + 4 + length :]
            method, target, _ = line.split(b" ", 2)
            status, body = _route(method, target)
            close = b"connection: close" in headers
            transport.write(
                b"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s\r\n"
                % (status, _JSON, len(body), b"Connection: close\r\n" if close else b"")
                + body
            )
            if close:
                transport.close()
                return


async def _serve() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Http, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    stop = asyncio.Event()

    def wait_for_eof() -> None:
        sys.stdin.read()  # returns when the parent closes our stdin, or dies
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait_for_eof, daemon=True).start()
    async with server:
        await stop.wait()


class CannedServer:
    """Starts the server in a child process; ``with CannedServer() as server: server.base_url``."""

    def __init__(self, python: str | None = None) -> None:
        self._python = python or sys.executable
        self._process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> CannedServer:
        root = Path(__file__).resolve().parent.parent
        self._process = subprocess.Popen(
            [self._python, "-m", "bench.canned_server"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.startswith("PORT "):
            self._stop()
            raise RuntimeError(f"the canned server did not start: {line!r}")
        self.base_url = f"http://127.0.0.1:{int(line.split()[1])}"
        return self

    def set_total(self, total: int) -> None:
        """Make listings ``total`` items long."""
        with urllib.request.urlopen(f"{self.base_url}/_bench/total/{total}") as answer:
            answer.read()

    def _stop(self) -> None:
        process = self._process
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()  # the server's cue to exit
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._process = None

    def __exit__(self, *exc_info: object) -> None:
        self._stop()


def main() -> None:
    asyncio.run(_serve())


if __name__ == "__main__":
    main()
