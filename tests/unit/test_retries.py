"""Retries: what is repeated, how often, and how long the client waits in between."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import stamina

from kodexa_platform import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ConflictError,
    InternalServerError,
    KodexaError,
    RateLimitError,
)
from kodexa_platform._constants import MAX_RETRY_AFTER, MAX_RETRY_DELAY
from kodexa_platform._responses import retry_after
from kodexa_platform._transport import _backoff_hook, _RetryableResponse

from .conftest import BASE_URL, FakeServer, Flavour, membership, organization, page, reply

#: The request a backoff hook is told about when it is tested on its own.
REQUEST = httpx.Request("GET", f"{BASE_URL}/api/memberships/m-1")


def fail(kind: type[Exception], message: str = "simulated") -> Callable[[httpx.Request], Any]:
    """An answer that raises a fresh ``kind`` for each request, as a broken network would."""

    def answer(request: httpx.Request) -> httpx.Response:
        raise kind(message)

    return answer


def ok_for(action: str) -> Callable[[httpx.Request], httpx.Response]:
    if action == "delete":
        return reply(204)
    if action in ("org_update", "suspend", "org_create"):
        return reply(200, organization())
    if action == "list_page":
        return reply(200, page([membership()], last=True))
    if action == "users":
        return reply(200, [membership()])
    return reply(200, membership())


ACTIONS: dict[str, Callable[[Any], Any]] = {
    "get": lambda c: c.memberships.get("m-1"),
    "update": lambda c: c.memberships.update("m-1", {"changeSequence": 1, "role": "READ"}),
    "delete": lambda c: c.memberships.delete("m-1"),
    "list_page": lambda c: c.memberships.list_page(),
    "org_update": lambda c: c.organizations.update(
        "o-1", {"name": "n", "slug": "s", "changeSequence": 0}
    ),
    "suspend": lambda c: c.organizations.suspend("o-1"),
    "users": lambda c: c.users.memberships("u-1"),
    "create": lambda c: c.memberships.create({"role": "OWNER"}),
    "org_create": lambda c: c.organizations.create({"name": "n", "slug": "s"}),
}
IDEMPOTENT = ["get", "update", "delete", "list_page", "org_update", "suspend", "users"]
CREATES = ["create", "org_create"]

SENT_OR_MAYBE_SENT = [
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
]
NEVER_SENT = [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout]


# --- what is retried ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", NEVER_SENT + SENT_OR_MAYBE_SENT)
def test_transport_errors_on_get_are_retried(flavour: Flavour, kind: type[Exception]) -> None:
    server = FakeServer(fail(kind), reply(200, membership()))
    result = flavour.call(server, ACTIONS["get"])
    assert result.id == membership()["id"]
    assert server.count == 2


@pytest.mark.parametrize("action", IDEMPOTENT)
def test_idempotent_calls_retry_a_read_timeout(flavour: Flavour, action: str) -> None:
    server = FakeServer(fail(httpx.ReadTimeout), ok_for(action))
    flavour.call(server, ACTIONS[action])
    assert server.count == 2


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
@pytest.mark.parametrize("action", IDEMPOTENT)
def test_retryable_statuses_are_retried_for_idempotent_calls(
    flavour: Flavour, status: int, action: str
) -> None:
    server = FakeServer(reply(status, {"message": "busy"}), ok_for(action))
    flavour.call(server, ACTIONS[action])
    assert server.count == 2
    assert server.requests[0].method == server.requests[1].method


@pytest.mark.parametrize("kind", NEVER_SENT)
@pytest.mark.parametrize("action", CREATES)
def test_create_is_retried_when_the_connection_never_opened(
    flavour: Flavour, kind: type[Exception], action: str
) -> None:
    server = FakeServer(fail(kind), ok_for(action))
    flavour.call(server, ACTIONS[action])
    assert server.count == 2
    assert server.json(0) == server.json(1)


@pytest.mark.parametrize("kind", SENT_OR_MAYBE_SENT)
@pytest.mark.parametrize("action", CREATES)
def test_create_is_not_retried_once_the_request_may_have_arrived(
    flavour: Flavour, kind: type[Exception], action: str
) -> None:
    server = FakeServer(fail(kind), ok_for(action))
    with pytest.raises(APIConnectionError) as caught:
        flavour.call(server, ACTIONS[action])
    assert server.count == 1
    assert isinstance(caught.value.__cause__, kind)
    timed_out = issubclass(kind, httpx.TimeoutException)
    assert isinstance(caught.value, APITimeoutError) is timed_out


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 520])
@pytest.mark.parametrize("action", CREATES)
def test_create_is_never_retried_on_a_status(flavour: Flavour, status: int, action: str) -> None:
    # A gateway's 502 or 504 does not prove the platform did nothing: a second POST could
    # create a second membership.
    server = FakeServer(reply(status, headers={"Retry-After": "1"}), ok_for(action))
    with pytest.raises(APIStatusError) as caught:
        flavour.call(server, ACTIONS[action])
    assert caught.value.status_code == status
    assert server.count == 1


@pytest.mark.parametrize("action", IDEMPOTENT + CREATES)
def test_conflict_is_never_retried(flavour: Flavour, action: str) -> None:
    server = FakeServer(reply(409, {"message": "stale changeSequence"}), ok_for(action))
    with pytest.raises(ConflictError, match="stale"):
        flavour.call(server, ACTIONS[action])
    assert server.count == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 418, 422])
def test_client_errors_are_not_retried(flavour: Flavour, status: int) -> None:
    server = FakeServer(reply(status), reply(200, membership()))
    with pytest.raises(APIStatusError):
        flavour.call(server, ACTIONS["get"])
    assert server.count == 1


def test_a_corrupt_body_encoding_is_a_connection_error(flavour: Flavour) -> None:
    answer = reply(200, content=b"not gzip at all", headers={"content-encoding": "gzip"})
    with pytest.raises(APIConnectionError, match="DecodingError") as caught:
        flavour.call(FakeServer(answer), ACTIONS["get"])
    assert isinstance(caught.value.__cause__, httpx.DecodingError)


# --- how often ------------------------------------------------------------------------------


def test_default_budget_is_three_attempts_then_the_last_error(flavour: Flavour) -> None:
    server = FakeServer(
        reply(502, {"message": "one"}),
        reply(503, {"message": "two"}),
        reply(504, {"message": "three"}),
        reply(200, membership()),
    )
    with pytest.raises(InternalServerError, match="three") as caught:
        flavour.call(server, ACTIONS["get"])
    assert caught.value.status_code == 504
    assert server.count == 3


@pytest.mark.parametrize("max_retries", [0, 1, 4])
def test_max_retries_per_client_is_respected(flavour: Flavour, max_retries: int) -> None:
    server = FakeServer(reply(503))
    with pytest.raises(InternalServerError):
        flavour.call(server, ACTIONS["get"], max_retries=max_retries)
    assert server.count == max_retries + 1


@pytest.mark.parametrize("max_retries", [0, 1, 5])
def test_max_retries_per_call_is_respected(flavour: Flavour, max_retries: int) -> None:
    server = FakeServer(fail(httpx.ConnectError))
    client = flavour.make(server, max_retries=2)
    with pytest.raises(APIConnectionError):
        flavour.run(client.with_options(max_retries=max_retries), ACTIONS["get"])
    assert server.count == max_retries + 1
    with pytest.raises(APIConnectionError):
        flavour.run(client, ACTIONS["get"])
    assert server.count == max_retries + 1 + 3


def test_a_retry_that_succeeds_returns_the_result(flavour: Flavour) -> None:
    server = FakeServer(fail(httpx.ConnectError), reply(503), reply(200, membership()))
    assert flavour.call(server, ACTIONS["get"]).role == "OWNER"
    assert server.count == 3


# --- timeouts and connection errors ---------------------------------------------------------


@pytest.mark.parametrize(
    "kind", [httpx.ConnectTimeout, httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout]
)
def test_timeouts_raise_api_timeout_error_with_the_cause(
    flavour: Flavour, kind: type[Exception]
) -> None:
    server = FakeServer(fail(kind, "timed out"))
    with pytest.raises(APITimeoutError) as caught:
        flavour.call(server, ACTIONS["get"])
    error = caught.value
    assert isinstance(error, APIConnectionError)
    assert isinstance(error.__cause__, kind)
    assert str(error) == f"GET {BASE_URL}/api/memberships/m-1 failed: {kind.__name__}: timed out"
    assert error.request.url.path == "/api/memberships/m-1"
    assert server.count == 3


@pytest.mark.parametrize("kind", [httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError])
def test_connection_errors_raise_api_connection_error_with_the_cause(
    flavour: Flavour, kind: type[Exception]
) -> None:
    server = FakeServer(fail(kind, ""))
    with pytest.raises(APIConnectionError) as caught:
        flavour.call(server, ACTIONS["list_page"])
    assert not isinstance(caught.value, APITimeoutError)
    assert type(caught.value.__cause__) is kind
    assert str(caught.value).endswith(f"{kind.__name__}: no detail")


# --- Retry-After and backoff values ---------------------------------------------------------


def _response(headers: dict[str, str] | None = None, status: int = 503) -> httpx.Response:
    request = httpx.Request("GET", f"{BASE_URL}/api/memberships/m-1")
    return httpx.Response(status, headers=headers, request=request)


def _http_date(when: float) -> str:
    return email.utils.formatdate(when, usegmt=True)


@pytest.mark.parametrize(
    ("header", "expected"),
    [("3", 3.0), ("0", 0.0), (" 7 ", 7.0), ("60", MAX_RETRY_AFTER)],
)
def test_backoff_hook_waits_as_long_as_retry_after_says(header: str, expected: float) -> None:
    hook = _backoff_hook(idempotent=True, request=REQUEST)
    assert hook(_RetryableResponse(_response({"Retry-After": header}))) == expected


def test_backoff_hook_honours_an_http_date() -> None:
    hook = _backoff_hook(idempotent=True, request=REQUEST)
    wait = hook(_RetryableResponse(_response({"Retry-After": _http_date(time.time() + 30)})))
    assert isinstance(wait, float)
    assert 28 <= wait <= 30


@pytest.mark.parametrize("header", ["61", "3600", _http_date(time.time() + 7200)])
def test_backoff_hook_gives_up_when_retry_after_is_beyond_the_cap(header: str) -> None:
    # Waiting minutes would hang the caller; retrying sooner would ignore the server.
    hook = _backoff_hook(idempotent=True, request=REQUEST)
    assert hook(_RetryableResponse(_response({"Retry-After": header}))) is False


@pytest.mark.parametrize(
    "headers",
    # RFC 9110 allows only digits or an HTTP date; float() would also read 1_0, 1e1 and -5.
    [None, *({"Retry-After": v} for v in ("soon", "", "2.5", "-5", "1_0", "1e1", "+3"))],
)
def test_backoff_hook_uses_its_own_backoff_without_a_usable_retry_after(
    headers: dict[str, str] | None,
) -> None:
    assert (
        _backoff_hook(idempotent=True, request=REQUEST)(_RetryableResponse(_response(headers)))
        is True
    )


@pytest.mark.parametrize(
    ("error", "idempotent", "expected"),
    [
        (httpx.ConnectError("x"), False, True),
        (httpx.ConnectTimeout("x"), False, True),
        (httpx.PoolTimeout("x"), False, True),
        (httpx.ReadTimeout("x"), False, False),
        (httpx.RemoteProtocolError("x"), False, False),
        (httpx.ReadTimeout("x"), True, True),
        (httpx.RemoteProtocolError("x"), True, True),
        (httpx.DecodingError("x"), True, False),
        (ValueError("not ours"), True, False),
    ],
)
def test_backoff_hook_decides_on_transport_errors(
    error: Exception, idempotent: bool, expected: bool
) -> None:
    assert _backoff_hook(idempotent, REQUEST)(error) is expected


NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("12", 12.0),
        (_http_date(NOW + 45), 45.0),
        (_http_date(NOW - 45), 0.0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 0.0),
        ("nan", None),
        ("inf", None),
        ("1e400", None),
        ("Wed, 99 Foo 2015 07:28:00 GMT", None),
        ("", None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(header: str, expected: float | None) -> None:
    assert retry_after(_response({"Retry-After": header}), now=lambda: NOW) == expected


def test_retry_after_reads_an_asctime_date_as_gmt(monkeypatch: pytest.MonkeyPatch) -> None:
    # RFC 9110's asctime form carries no zone and means GMT, whatever the local zone is.
    when = dt.datetime.fromtimestamp(NOW + 30, dt.UTC).strftime("%a %b %d %H:%M:%S %Y")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert retry_after(_response({"Retry-After": when}), now=lambda: NOW) == 30.0
    finally:
        monkeypatch.undo()
        time.tzset()


def test_retry_after_beyond_the_cap_raises_at_once(flavour: Flavour) -> None:
    server = FakeServer(reply(503, headers={"Retry-After": "3600"}), reply(200, membership()))
    with pytest.raises(InternalServerError) as caught:
        flavour.call(server, ACTIONS["get"])
    assert caught.value.status_code == 503
    assert server.count == 1


def test_rate_limit_with_retry_after_is_retried_then_raised(flavour: Flavour) -> None:
    server = FakeServer(reply(429, {"message": "slow"}, headers={"Retry-After": "1"}))
    with pytest.raises(RateLimitError) as caught:
        flavour.call(server, ACTIONS["get"], max_retries=1)
    assert caught.value.retry_after == 1.0
    assert server.count == 2


@pytest.fixture
def real_backoff(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Retries with stamina's real backoff, recording each wait instead of sleeping."""
    waits: list[float] = []
    real_async_sleep, real_sleep = asyncio.sleep, time.sleep
    # Only this test's thread is recorded: a server left running by another test (uvicorn
    # ticks with asyncio.sleep(0.1) in its own thread) must neither count nor stop sleeping.
    ours = threading.get_ident()

    async def fake_async_sleep(delay: float, *args: Any) -> Any:
        if threading.get_ident() != ours:
            return await real_async_sleep(delay, *args)
        waits.append(delay)
        return await real_async_sleep(0)

    def fake_sleep(delay: float) -> None:
        if threading.get_ident() != ours:
            real_sleep(delay)
        else:
            waits.append(delay)

    monkeypatch.setattr(time, "sleep", fake_sleep)
    monkeypatch.setattr(asyncio, "sleep", fake_async_sleep)
    with stamina.set_testing(False):
        yield waits


def test_retry_after_is_what_the_client_waits(flavour: Flavour, real_backoff: list[float]) -> None:
    server = FakeServer(
        reply(503, headers={"Retry-After": "3"}),
        reply(429, headers={"Retry-After": _http_date(time.time() + 20)}),
        reply(200, membership()),
    )
    flavour.call(server, ACTIONS["get"])
    assert server.count == 3
    assert real_backoff[0] == 3.0
    assert 18 <= real_backoff[1] <= 20


def test_backoff_grows_with_jitter_and_is_capped(
    flavour: Flavour, real_backoff: list[float]
) -> None:
    server = FakeServer(fail(httpx.ConnectError))
    with pytest.raises(APIConnectionError):
        flavour.call(server, ACTIONS["get"], max_retries=7)
    assert server.count == 8
    assert len(real_backoff) == 7
    assert 0.5 <= real_backoff[0] <= 1.0
    assert 1.0 <= real_backoff[1] <= 1.5
    assert 2.0 <= real_backoff[2] <= 2.5
    assert real_backoff[-1] == MAX_RETRY_DELAY
    assert max(real_backoff) <= MAX_RETRY_DELAY


def test_no_wait_when_retries_are_off(flavour: Flavour, real_backoff: list[float]) -> None:
    server = FakeServer(reply(503, headers={"Retry-After": "1"}))
    with pytest.raises(InternalServerError):
        flavour.call(server, ACTIONS["get"], max_retries=0)
    assert real_backoff == []


def test_a_call_that_succeeds_sets_up_no_retry_loop(
    flavour: Flavour, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The retry loop costs tens of microseconds a call; only a failure may pay for it.
    def no_loop(*args: Any) -> Any:
        raise AssertionError("the retry loop was entered")

    monkeypatch.setattr("kodexa_platform._transport._retrying", no_loop)
    server = FakeServer(reply(200, membership()))
    assert flavour.call(server, ACTIONS["get"]).id == membership()["id"]


def test_the_first_failure_is_not_sent_again_before_its_wait(
    flavour: Flavour, real_backoff: list[float]
) -> None:
    # The loop replays the first attempt's failure instead of making that attempt again.
    server = FakeServer(reply(503, headers={"Retry-After": "2"}), reply(200, membership()))
    flavour.call(server, ACTIONS["get"], max_retries=1)
    assert server.count == 2
    assert real_backoff == [2.0]


def test_a_later_failure_is_not_chained_to_the_first(flavour: Flavour) -> None:
    # The first failure is handled inside an except clause; chaining a retry's error to it
    # would print a private exception and the first error's text in every traceback.
    server = FakeServer(reply(503), fail(httpx.ReadTimeout))
    with pytest.raises(APITimeoutError) as caught:
        flavour.call(server, ACTIONS["get"], max_retries=1)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert caught.value.__cause__.__context__ is None
    assert server.count == 2


# --- logging of retry decisions -------------------------------------------------------------


def test_each_retry_is_logged_with_what_it_follows(
    flavour: Flavour, caplog: pytest.LogCaptureFixture
) -> None:
    server = FakeServer(reply(503), fail(httpx.ConnectError), reply(200, membership()))
    with caplog.at_level(logging.INFO, logger="kodexa_platform"):
        flavour.call(server, ACTIONS["get"])
    retries = [r.getMessage() for r in caplog.records if r.name == "kodexa_platform"]
    assert retries == [
        "retrying GET /api/memberships/m-1 after 503 (attempt 2 of 3)",
        "retrying GET /api/memberships/m-1 after ConnectError (attempt 3 of 3)",
    ]


@pytest.mark.parametrize(
    ("action", "answers", "expected"),
    [
        (
            "create",
            [reply(503)],
            "not retrying POST /api/memberships after 503: "
            "a create may already have been carried out",
        ),
        (
            "create",
            [fail(httpx.ReadTimeout)],
            "not retrying POST /api/memberships after ReadTimeout: "
            "the create may have reached the platform",
        ),
        (
            "get",
            [reply(429, headers={"Retry-After": "600"})],
            "not retrying GET /api/memberships/m-1 after 429: "
            "Retry-After asks for 600 s, more than the 60 s cap",
        ),
    ],
    ids=["create-503", "create-read-timeout", "retry-after-too-long"],
)
def test_each_decision_not_to_retry_is_logged_with_why(
    flavour: Flavour,
    caplog: pytest.LogCaptureFixture,
    action: str,
    answers: list[Callable[[httpx.Request], Any]],
    expected: str,
) -> None:
    server = FakeServer(*answers)
    with caplog.at_level(logging.INFO, logger="kodexa_platform"), pytest.raises(KodexaError):
        flavour.call(server, ACTIONS[action])
    assert server.count == 1
    ours = [r.getMessage() for r in caplog.records if r.name == "kodexa_platform"]
    assert ours == [expected]
