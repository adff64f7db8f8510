"""Fixtures for the unit tests: scripted fake servers on ``httpx.MockTransport``.

Nothing here opens a socket. Clients are pointed at a loopback address that nothing
listens on, and every request is answered in-process by a :class:`FakeServer`, so a test
can never reach the real platform. Retries run in stamina's test mode: no waiting, while
each client's own attempt budget still applies.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import stamina

from kodexa_platform import AsyncKodexa, Kodexa

#: A fake key planted in every client, so tests can search for leaks of it.
KEY = "sk-test-SECRET-123"
#: Loopback, and never contacted: the MockTransport answers instead.
BASE_URL = "http://127.0.0.1:9"

DATA = Path(__file__).parent / "data"

#: How a fake server answers one request: return a response, or raise as a broken network would.
Answer = Callable[[httpx.Request], httpx.Response]


def load(name: str) -> Any:
    """A payload from ``data/`` (verbatim copies of the team's shared reference examples)."""
    return json.loads((DATA / name).read_text("utf-8"))


def membership() -> dict[str, Any]:
    """A realistic membership as the legacy platform sends it (user as an object)."""
    return copy.deepcopy(load("user-memberships.legacy.json")[0])


def organization() -> dict[str, Any]:
    """A realistic organization as the platform lists it."""
    return copy.deepcopy(load("list-organizations.page.json")["content"][0])


def page(
    items: list[Any],
    *,
    number: int = 0,
    size: int = 100,
    last: bool | None = None,
    total_pages: int | None = None,
    total_elements: int | None = None,
) -> dict[str, Any]:
    """A Spring page body; ``None`` leaves a field out."""
    body: dict[str, Any] = {"content": items, "number": number, "size": size}
    for key, value in (
        ("last", last),
        ("totalPages", total_pages),
        ("totalElements", total_elements),
    ):
        if value is not None:
            body[key] = value
    return body


def reply(
    status: int = 200,
    body: Any = None,
    *,
    content: bytes | str | None = None,
    headers: dict[str, str] | None = None,
) -> Callable[[httpx.Request], httpx.Response]:
    """An answer that builds a fresh response per request (a response is sent only once)."""

    def answer(request: httpx.Request) -> httpx.Response:
        if content is not None:
            return httpx.Response(status, content=content, headers=headers)
        if body is None:
            return httpx.Response(status, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return answer


class FakeServer:
    """Answers each request with the next scripted answer, repeating the last one for ever.

    An answer is a function of the request (see :func:`reply`); it may raise an httpx
    error to play a broken connection. Every request is kept, in order, in ``requests``.
    """

    def __init__(self, *answers: Answer) -> None:
        assert answers, "script at least one answer"
        self._answers = list(answers)
        self._lock = threading.Lock()
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # A copy as it arrived: the client scrubs the key from its own request afterwards.
        seen = httpx.Request(
            request.method,
            request.url,
            headers=request.headers.copy(),
            content=request.read(),
            extensions=dict(request.extensions),
        )
        with self._lock:
            self.requests.append(seen)
            answer = self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]
        return answer(request)

    @property
    def count(self) -> int:
        return len(self.requests)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def json(self, index: int = -1) -> Any:
        """The JSON body of one request."""
        return json.loads(self.requests[index].content)


class Flavour:
    """Runs the same test against :class:`Kodexa` and :class:`AsyncKodexa`.

    ``call(server, lambda client: client.memberships.get("m-1"))`` builds a client of this
    flavour on ``server`` and runs the lambda, awaiting it (in a fresh event loop) when the
    client is async.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.is_async = name == "async"

    def __repr__(self) -> str:
        return self.name

    def make(self, server: FakeServer, **options: Any) -> Kodexa | AsyncKodexa:
        options.setdefault("api_key", KEY)
        options.setdefault("base_url", BASE_URL)
        transport = httpx.MockTransport(server)
        if self.is_async:
            return AsyncKodexa(http_client=httpx.AsyncClient(transport=transport), **options)
        return Kodexa(http_client=httpx.Client(transport=transport), **options)

    def construct(self, **options: Any) -> Kodexa | AsyncKodexa:
        """A client built with exactly these options (for configuration tests)."""
        return AsyncKodexa(**options) if self.is_async else Kodexa(**options)

    def run(self, client: Kodexa | AsyncKodexa, action: Callable[[Any], Any]) -> Any:
        if not self.is_async:
            return action(client)

        async def main() -> Any:
            result = action(client)
            return await result if inspect.isawaitable(result) else result

        return asyncio.run(main())

    def call(self, server: FakeServer, action: Callable[[Any], Any], **options: Any) -> Any:
        return self.run(self.make(server, **options), action)


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Flavour:
    return Flavour(request.param)


@pytest.fixture(autouse=True)
def _no_retry_waits() -> Iterator[None]:
    # cap=True keeps each client's own attempt count (max_retries + 1) while every
    # backoff, Retry-After included, becomes zero.
    with stamina.set_testing(True, attempts=1000, cap=True):
        yield


@pytest.fixture(autouse=True)
def _restore_logger() -> Iterator[None]:
    # KODEXA_LOG attaches a handler and sets a level on the package's logger; a test that
    # turns it on must not change what later tests log.
    logger = logging.getLogger("kodexa_platform")
    level, handlers = logger.level, list(logger.handlers)
    yield
    for handler in logger.handlers:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)
