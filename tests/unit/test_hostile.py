"""What a hostile or broken server, network or caller can do, and the typed error each gets."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kodexa_platform import (
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncKodexa,
    ConfigurationError,
    ConflictError,
    Kodexa,
    NotFoundError,
    RequestValidationError,
)
from kodexa_platform._constants import MAX_RESPONSE_BYTES

from .conftest import KEY, FakeServer, Flavour, membership, page, reply


class _Drip(httpx.SyncByteStream):
    """A body that arrives one small piece at a time, each well within the read timeout."""

    def __iter__(self) -> Iterator[bytes]:
        for piece in (b'{"id": ', b'"m-1"', b", ", b'"role": "READ"', b"}"):
            time.sleep(0.08)
            yield piece


def test_a_body_dripping_in_slower_than_the_read_timeout_times_out() -> None:
    calls: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, stream=_Drip())

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = Kodexa(
        api_key=KEY,
        base_url="http://127.0.0.1:9",
        http_client=http,
        timeout=httpx.Timeout(5.0, read=0.2),
        max_retries=0,
    )
    with pytest.raises(APITimeoutError, match="body took longer"):
        client.memberships.get("m-1")
    assert len(calls) == 1


def test_a_compression_bomb_is_refused_without_being_held_in_memory(flavour: Flavour) -> None:
    bomb = gzip.compress(b"0" * (MAX_RESPONSE_BYTES + 1))
    server = FakeServer(reply(200, content=bomb, headers={"Content-Encoding": "gzip"}))
    client = flavour.make(server, max_retries=0)
    with pytest.raises(APIResponseValidationError, match="over"):
        flavour.run(client, lambda c: c.memberships.get("m-1"))


def test_redirects_are_not_followed_so_the_key_never_reaches_another_host() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(302, headers={"Location": "http://elsewhere.invalid/steal"})

    http = httpx.Client(transport=httpx.MockTransport(answer), follow_redirects=True)
    client = Kodexa(api_key=KEY, base_url="http://127.0.0.1:9", http_client=http)
    with pytest.raises(APIStatusError) as caught:
        client.memberships.get("m-1")
    assert caught.value.status_code == 302
    assert [r.url.host for r in seen] == ["127.0.0.1"]


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A loopback socket that records whatever connects to it (a would-be proxy)."""
    server = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def accept() -> None:
        server.settimeout(5)
        try:
            connection, _ = server.accept()
        except OSError:
            return
        with connection:
            received.append(connection.recv(65536))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", received
    server.close()
    thread.join(timeout=5)


def test_an_environment_proxy_never_carries_the_key_of_a_plain_http_client(
    listener: tuple[str, list[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, received = listener
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("ALL_PROXY", proxy)
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    client = Kodexa(api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with client, pytest.raises(Exception, match="ConnectError"):
        client.memberships.get("m-1")
    assert not any(KEY.encode() in data for data in received)


@pytest.mark.parametrize("key", ["sk-line-one\nsk-line-two", "sk with space", "sk-é-accent"])
def test_a_key_that_cannot_be_a_header_is_refused_without_echoing_it(key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Kodexa(api_key=key, base_url="http://127.0.0.1:9")
    assert key.split(maxsplit=1)[0] not in str(caught.value)


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999", "http://127.0.0.1:0"])
def test_a_port_outside_the_tcp_range_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError, match="port"):
        Kodexa(api_key=KEY, base_url=url)


@pytest.mark.parametrize("timeout", [1e12, httpx.Timeout(5.0, read=10**7)])
def test_a_timeout_past_a_day_is_refused(timeout: Any) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        Kodexa(api_key=KEY, base_url="http://127.0.0.1:9", timeout=timeout)


def test_a_wrong_charset_label_does_not_break_parsing(flavour: Flavour) -> None:
    headers = {"Content-Type": "application/json; charset=utf-16"}
    ok = FakeServer(reply(200, content=b'{"id": "m-1"}', headers=headers))
    assert flavour.call(ok, lambda c: c.memberships.get("m-1")).id == "m-1"
    missing = FakeServer(reply(404, content=b'{"message": "gone"}', headers=headers))
    with pytest.raises(NotFoundError, match="gone"):
        flavour.call(missing, lambda c: c.memberships.get("m-1"))


@pytest.mark.parametrize(
    "content",
    [b'{"id": "\xff\xfe"}', b'{"id": "m-1", "x": NaN}', b'{"id": "m-1", "x": 1e400}'],
    ids=["invalid-utf8", "nan", "overflowing-float"],
)
def test_json_only_python_would_read_is_a_validation_error(
    flavour: Flavour, content: bytes
) -> None:
    server = FakeServer(reply(200, content=content))
    with pytest.raises(APIResponseValidationError, match="not JSON") as caught:
        flavour.call(server, lambda c: c.memberships.get("m-1"))
    assert caught.value.body  # the raw text is kept


def test_problem_details_field_errors_are_extracted(flavour: Flavour) -> None:
    body = {
        "title": "Conflict",
        "detail": "slug taken",
        "errors": [{"pointer": "#/slug", "detail": "must be unique"}, "noise"],
    }
    server = FakeServer(reply(409, body, headers={"Content-Type": "application/problem+json"}))
    with pytest.raises(ConflictError) as caught:
        flavour.call(server, lambda c: c.organizations.create({"name": "a", "slug": "a"}))
    assert caught.value.errors == {"#/slug": "must be unique"}


def test_an_echoed_key_is_masked_even_where_a_long_body_is_cut(flavour: Flavour) -> None:
    server = FakeServer(reply(500, content="x" * 190 + KEY + " and more"))
    with pytest.raises(APIStatusError) as caught:
        flavour.call(server, lambda c: c.memberships.get("m-1"))
    assert KEY[:6] not in str(caught.value)


def test_totals_end_the_walk_even_when_last_says_otherwise(flavour: Flavour) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        body = page(
            [membership() | {"id": f"m-{number}"}],
            number=number - 1,
            size=1,
            last=False,
            total_pages=2,
        )
        return httpx.Response(200, json=body)

    server = FakeServer(answer)
    items = flavour.call(server, lambda c: c.memberships.list(page_size=1).to_list())
    assert [m.id for m in items] == ["m-1", "m-2"]
    assert server.count == 2


def _deep() -> dict[str, Any]:
    root: dict[str, Any] = {"role": "READ"}
    node = root
    for _ in range(5000):
        node["x"] = {}
        node = node["x"]
    return root


@pytest.mark.parametrize(
    "action",
    [
        lambda c: c.memberships.get("\udc80"),
        lambda c: c.memberships.get("x" * 70_000),
        lambda c: c.memberships.create({"role": "\udc80"}),
        lambda c: c.memberships.create(_deep()),
        lambda c: c.memberships.list_page(query=object()),
        lambda c: c.memberships.list_page(sort=5),
        lambda c: c.memberships.list_page(page=2**40),
        lambda c: c.memberships.delete("m-1", force="yes"),
        lambda c: c.memberships.update("m-1", {"role": "READ"}),
    ],
    ids=[
        "surrogate-id",
        "huge-id",
        "surrogate-body",
        "deep-body",
        "query-type",
        "sort-type",
        "page-range",
        "force-type",
        "update-without-change-sequence",
    ],
)
def test_bad_caller_input_is_a_request_validation_error_and_sends_nothing(
    flavour: Flavour, action: Any
) -> None:
    server = FakeServer(reply(200, membership()))
    with pytest.raises(RequestValidationError):
        flavour.call(server, action)
    assert server.count == 0


def test_a_closed_client_says_so() -> None:
    client = Kodexa(api_key=KEY, base_url="http://127.0.0.1:9")
    client.close()
    with pytest.raises(ConfigurationError, match="closed"):
        client.memberships.get("m-1")


def test_pools_of_ended_event_loops_are_let_go() -> None:
    server = FakeServer(reply(200, membership()))
    client = AsyncKodexa(api_key=KEY, base_url="http://127.0.0.1:9")
    transport = httpx.MockTransport(server)

    async def one() -> None:
        pool = client._http()
        pool._transport = transport  # no sockets: only the bookkeeping is under test
        await client.memberships.get("m-1")

    for _ in range(5):
        asyncio.run(one())
    asyncio.run(one())
    assert len(client._pools) <= 2


# --- unpaired surrogate escapes: valid JSON grammar, but no Unicode text --------------------

LONE = "\\ud800"  # as it appears in a JSON body: a backslash escape, not a character


def _json_with(body: dict[str, Any], field: str, raw_value: str) -> str:
    """``body`` as JSON with ``field`` set to ``raw_value`` written verbatim (escapes kept)."""
    body[field] = "@@@"
    return json.dumps(body).replace('"@@@"', f'"{raw_value}"')


@pytest.mark.parametrize("field", ["createdOn", "role", "organizationId"])
def test_a_body_with_an_unpaired_surrogate_is_refused(flavour: Flavour, field: str) -> None:
    content = _json_with(membership(), field, f"2024-03-01T09:15:02{LONE}Z")
    with pytest.raises(APIResponseValidationError, match=r"unpaired surrogate '\\ud800'"):
        flavour.call(FakeServer(reply(200, content=content)), lambda c: c.memberships.get("m-1"))


def test_a_paired_surrogate_escape_is_just_a_character(flavour: Flavour) -> None:
    content = _json_with(membership(), "role", "\\ud83d\\ude00")
    result = flavour.call(FakeServer(reply(200, content=content)), lambda c: c.memberships.get("m"))
    assert result.role == "\U0001f600"


@pytest.mark.parametrize("field", ["createdOn", "role"])
def test_a_request_with_a_lone_surrogate_is_refused_before_sending(
    flavour: Flavour, field: str
) -> None:
    server = FakeServer(reply(201, membership()))
    value = {"role": "OWNER", field: "2024-03-01T09:15:02\ud800Z"}
    with pytest.raises(RequestValidationError, match="surrogates not allowed"):
        flavour.call(server, lambda c: c.memberships.create(value))
    assert server.count == 0
