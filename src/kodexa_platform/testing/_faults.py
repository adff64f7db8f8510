"""Seeded fault injection: the failures a real network and gateway add in front of the API."""

from __future__ import annotations

import asyncio
import enum
import random
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kodexa_platform.testing._errors import error_response


class FaultKind(enum.StrEnum):
    """One kind of injected failure."""

    RESET = "reset"
    """Drop the connection (TCP reset) before the request is handled: nothing is written."""
    UNAVAILABLE = "503"
    """Answer 503 with ``Retry-After: 0`` without handling the request."""
    RATE_LIMITED = "429"
    """Answer 429 with ``Retry-After: 0`` without handling the request."""
    BAD_GATEWAY = "502"
    """Answer 502 with an HTML page, as a proxy does."""
    ORIGIN_ERROR = "520"
    """Answer the non-standard 520 with a plain-text body, as a CDN does."""
    DELAY = "delay"
    """Wait ``FaultPlan.delay`` seconds, then handle the request normally."""
    COMMIT_THEN_DROP = "commit-then-drop"
    """Handle the request (so a write happens), then close the connection without answering."""
    TRUNCATE = "truncate"
    """Handle the request, send the headers and half the body, then close the connection."""


# DELAY needs a delay and TRUNCATE is for response-parsing tests: both are opted into.
DEFAULT_KINDS = (
    FaultKind.RESET,
    FaultKind.UNAVAILABLE,
    FaultKind.RATE_LIMITED,
    FaultKind.BAD_GATEWAY,
    FaultKind.ORIGIN_ERROR,
    FaultKind.COMMIT_THEN_DROP,
)


@dataclass(frozen=True, init=False)
class FaultPlan:
    """Which requests fail, and how.

    Every request that ``methods`` and ``path_prefix`` select draws from a ``random.Random``
    seeded with ``seed``: with probability ``rate`` it gets one of ``kinds``, picked by the
    same generator. The same seed and the same sequence of requests therefore give the same
    faults. Requests that are not selected draw nothing.

    ``kinds`` defaults to every kind except TRUNCATE, and except DELAY unless ``delay`` (in
    seconds, meant to exceed the client's read timeout) is above 0.
    """

    rate: float
    seed: int
    kinds: tuple[FaultKind, ...]
    delay: float
    methods: frozenset[str]
    path_prefix: str

    def __init__(
        self,
        rate: float,
        seed: int,
        kinds: Iterable[FaultKind | str] | None = None,
        *,
        delay: float = 0.0,
        methods: Iterable[str] | None = None,
        path_prefix: str = "/",
    ) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if delay < 0:
            raise ValueError("delay must not be negative")
        if kinds is None:
            chosen = DEFAULT_KINDS + ((FaultKind.DELAY,) if delay > 0 else ())
        else:
            chosen = tuple(dict.fromkeys(FaultKind(kind) for kind in kinds))
        if not chosen:
            raise ValueError("kinds must name at least one fault")
        if FaultKind.DELAY in chosen and delay <= 0:
            raise ValueError("the delay fault needs delay > 0")
        object.__setattr__(self, "rate", rate)
        object.__setattr__(self, "seed", seed)
        object.__setattr__(self, "kinds", chosen)
        object.__setattr__(self, "delay", delay)
        object.__setattr__(self, "methods", frozenset(m.upper() for m in methods or ()))
        object.__setattr__(self, "path_prefix", path_prefix)

    def selects(self, method: str, path: str) -> bool:
        """Tell whether a request is subject to this plan."""
        return (not self.methods or method.upper() in self.methods) and path.startswith(
            self.path_prefix
        )


class FaultInjector:
    """A plan in action: its random generator and the counts of what it injected."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._random = random.Random(plan.seed)  # noqa: S311 - reproducible, not secret
        self._counts = dict.fromkeys(["requests", "injected", *plan.kinds], 0)
        # Decisions happen on the server's loop, reads of the counters on the test's thread.
        self._lock = threading.Lock()

    def decide(self, method: str, path: str) -> FaultKind | None:
        """Return the fault for the next request, or None to let it through."""
        if not self.plan.selects(method, path):
            return None
        with self._lock:
            self._counts["requests"] += 1
            if self._random.random() >= self.plan.rate:
                return None
            kind = self._random.choice(self.plan.kinds)
            self._counts["injected"] += 1
            self._counts[kind.value] += 1
        return kind

    def stats(self) -> dict[str, int]:
        """Return the counters: requests selected, faults injected, and one per kind."""
        with self._lock:
            return dict(self._counts)


Dropper = Callable[[Scope, bool], Awaitable[None]]
"""Closes the connection of a request without an answer; True asks for a TCP reset."""


class FaultHolder:
    """The injector in force, which the server may swap while it runs.

    ``closing`` is set when the server stops, to cut delays short: uvicorn would otherwise
    cancel a delayed request mid-sleep and log the cancellation as an application error.
    """

    def __init__(self, plan: FaultPlan | None = None) -> None:
        self.injector = None if plan is None else FaultInjector(plan)
        self.closing = threading.Event()

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``, or less if the server is stopping."""
        # A thread waits on the threading.Event, which stop() sets from outside the loop.
        await asyncio.to_thread(self.closing.wait, seconds)


def _fault_response(kind: FaultKind, path: str) -> Response:
    retry = {"Retry-After": "0"}
    if kind is FaultKind.UNAVAILABLE:
        return error_response(503, "Service temporarily unavailable", path, headers=retry)
    if kind is FaultKind.RATE_LIMITED:
        return error_response(429, "Too many requests", path, headers=retry)
    if kind is FaultKind.BAD_GATEWAY:
        page = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1>"
        return Response(page + "</body></html>", status_code=502, media_type="text/html")
    return PlainTextResponse("error code: 520", status_code=520)


class FaultMiddleware:
    """Raw ASGI middleware that injects the faults an injector decides on.

    ASGI has no message for "close without answering", and uvicorn answers 500 to an
    exception raised before the response starts; so dropping a connection is delegated to
    ``drop``, which the server implements on the connection's transport.
    """

    def __init__(self, app: ASGIApp, holder: FaultHolder, drop: Dropper) -> None:
        self.app = app
        self.holder = holder
        self.drop = drop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        injector = self.holder.injector
        if scope["type"] != "http" or injector is None:
            await self.app(scope, receive, send)
            return
        kind = injector.decide(scope["method"], scope["path"])
        if kind is None:
            await self.app(scope, receive, send)
        elif kind is FaultKind.RESET:
            await self.drop(scope, True)
        elif kind is FaultKind.DELAY:
            # Read the request first: a client that gives up during the wait must still see
            # its write happen, as on a slow server.
            messages = await _read_request(receive)
            await self.holder.sleep(injector.plan.delay)
            await self.app(scope, _replay(messages, receive), send)
        elif kind is FaultKind.COMMIT_THEN_DROP:
            await self.app(scope, receive, _discard)
            await self.drop(scope, False)
        elif kind is FaultKind.TRUNCATE:
            await self._truncate(scope, receive, send)
        else:
            await _fault_response(kind, scope["path"])(scope, receive, send)

    async def _truncate(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def half(message: Message) -> None:
            if message["type"] == "http.response.body":
                body = message.get("body", b"")
                message = {**message, "body": body[: len(body) // 2], "more_body": True}
            await send(message)

        await self.app(scope, receive, half)
        await self.drop(scope, False)


async def _discard(message: Message) -> None:
    del message


async def _read_request(receive: Receive) -> list[Message]:
    messages = [await receive()]
    while messages[-1]["type"] == "http.request" and messages[-1].get("more_body", False):
        messages.append(await receive())
    return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed
