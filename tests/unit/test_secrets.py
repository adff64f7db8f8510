"""The API key never shows: not in reprs, messages, logs or URLs."""

from __future__ import annotations

import asyncio
import http.server
import json
import logging
import pickle
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import httpx
import pytest

from kodexa_platform import (
    APIConnectionError,
    ApiKeyAuth,
    APIResponseValidationError,
    AsyncKodexa,
    AuthenticationError,
    ConfigurationError,
    Kodexa,
    KodexaError,
    NotFoundError,
)
from kodexa_platform._redaction import REDACTED, Secret

from .conftest import BASE_URL, KEY, FakeServer, Flavour, membership, page, reply

ECHO = f"invalid api key {KEY} for x-api-key"


def _leaks(text: str) -> bool:
    return KEY in text


def test_client_repr_and_str_hide_the_key(flavour: Flavour) -> None:
    client = flavour.make(FakeServer(reply(200, membership())))
    clone = client.with_options(max_retries=0)
    for text in (repr(client), str(client), repr(clone), repr(vars(client)), repr(vars(clone))):
        assert not _leaks(text)
    assert not _leaks(repr(client.generated))
    assert not _leaks(repr(client.memberships.__dict__))


def test_auth_and_secret_hide_the_key() -> None:
    secret = Secret(KEY)
    auth = ApiKeyAuth(KEY)
    rendered = [
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret:>40}",
        format(secret, ""),
        repr(auth),
        str(auth),
        repr(ApiKeyAuth(secret)),
    ]
    for text in rendered:
        assert not _leaks(text)
        assert REDACTED in text
    assert secret.reveal() == KEY


def test_secret_masks_every_echo_and_an_empty_secret_masks_nothing() -> None:
    assert Secret(KEY).mask(f"{KEY} and {KEY}") == f"{REDACTED} and {REDACTED}"
    assert Secret("").mask("unchanged") == "unchanged"


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_secret_refuses_pickling(protocol: int) -> None:
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Secret(KEY), protocol=protocol)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(ApiKeyAuth(KEY), protocol=protocol)


def _error_text(error: BaseException) -> str:
    return " ".join([str(error), repr(error), repr(error.args), getattr(error, "message", "")])


@pytest.mark.parametrize(
    "answer",
    [
        reply(401, {"message": ECHO, "incidentId": KEY}),
        reply(401, {"message": "bad", "errors": {"x-api-key": ECHO}}),
        reply(401, {"title": "Unauthorized", "detail": ECHO}),
        reply(401, content=f"<html><body>{ECHO}</body></html>"),
        reply(401, content=ECHO),
    ],
    ids=["legacy-message", "legacy-field-errors", "problem-details", "html", "text"],
)
def test_an_echoed_key_is_masked_in_status_error_messages(flavour: Flavour, answer: Any) -> None:
    with pytest.raises(AuthenticationError) as caught:
        flavour.call(FakeServer(answer), lambda c: c.memberships.get("m-1"))
    assert not _leaks(_error_text(caught.value))
    assert REDACTED in str(caught.value)


@pytest.mark.parametrize(
    "body",
    [{"role": {"echo": KEY}}, {"changeSequence": KEY}, {"createdOn": KEY}],
    ids=["object", "wrong-type", "bad-timestamp"],
)
def test_an_echoed_key_is_masked_in_response_validation_errors(
    flavour: Flavour, body: dict[str, Any]
) -> None:
    # A schema message quotes the value it rejects: masking must reach it too.
    with pytest.raises(APIResponseValidationError) as caught:
        flavour.call(FakeServer(reply(200, body)), lambda c: c.memberships.get("m-1"))
    assert not _leaks(_error_text(caught.value))
    assert json.loads(caught.value.body) == body  # the raw body itself is kept


def test_an_echoed_key_is_masked_in_connection_error_messages(flavour: Flavour) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"proxy refused {KEY}")

    with pytest.raises(APIConnectionError) as caught:
        flavour.call(FakeServer(refuse), lambda c: c.memberships.get("m-1"), max_retries=0)
    assert not _leaks(_error_text(caught.value))


def test_configuration_errors_do_not_show_the_key(flavour: Flavour) -> None:
    for options in (
        {"api_key": KEY, "base_url": "http://example.com"},
        {"api_key": KEY, "base_url": BASE_URL, "timeout": 0},
        {"api_key": KEY, "base_url": BASE_URL, "max_retries": -1},
        {"environ": {"KODEXA_ACCESS_TOKEN": KEY, "KODEXA_URL": "ftp://x"}},
    ):
        with pytest.raises(ConfigurationError) as caught:
            flavour.construct(**options)
        assert not _leaks(_error_text(caught.value))


def test_the_key_is_never_in_a_url(flavour: Flavour) -> None:
    server = FakeServer(
        reply(200, membership()),
        reply(200, page([membership()], last=True)),
        reply(201, membership()),
        reply(204),
    )
    client = flavour.make(server)
    flavour.run(client, lambda c: c.memberships.get("m-1"))
    flavour.run(client, lambda c: c.memberships.list_page(query="q", filter="role: 'OWNER'"))
    flavour.run(client, lambda c: c.memberships.create({"role": "OWNER"}))
    flavour.run(client, lambda c: c.memberships.delete("m-1", force=True))
    for request in server.requests:
        assert not _leaks(str(request.url))
        assert request.headers["x-api-key"] == KEY  # it travels in the header only


def _record_texts(record: logging.LogRecord) -> list[str]:
    texts = [record.getMessage(), repr(record.args), repr(record.msg)]
    texts += [repr(value) for value in vars(record).values()]
    if record.exc_info:
        texts.append(logging.Formatter().formatException(record.exc_info))
    return texts


def test_logs_at_debug_never_show_the_key(
    flavour: Flavour, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    server = FakeServer(
        reply(200, membership()),
        reply(503, {"message": ECHO}),
        reply(200, membership()),
        reply(401, {"message": ECHO}),
        reply(200, {"changeSequence": KEY}),
    )
    environ = {"KODEXA_LOG": "debug", "KODEXA_API_KEY": KEY, "KODEXA_URL": BASE_URL}
    caplog.set_level(logging.DEBUG)
    client = flavour.make(server, api_key=None, base_url=None, environ=environ)
    assert logging.getLogger("kodexa_platform").level == logging.DEBUG
    flavour.run(client, lambda c: c.memberships.get("m-1"))
    flavour.run(client, lambda c: c.memberships.get("m-1"))  # one retry
    with pytest.raises(KodexaError):
        flavour.run(client, lambda c: c.memberships.get("m-1"))
    with pytest.raises(KodexaError):
        flavour.run(client, lambda c: c.memberships.get("m-1"))
    with pytest.raises(APIResponseValidationError):
        flavour.run(client, lambda c: c.memberships.get("m-1"))
    assert server.count == 6
    ours = [r.getMessage() for r in caplog.records if r.name == "kodexa_platform"]
    assert "GET /api/memberships/m-1 -> 200" in ours[0]
    assert any(m.startswith("retrying GET /api/memberships/m-1") for m in ours)
    assert any("-> 401" in m for m in ours)
    assert len(caplog.records) >= 5
    for record in caplog.records:
        for text in _record_texts(record):
            assert not _leaks(text), record
    # KODEXA_LOG also prints the log to stderr, through the package's own handler.
    printed = capsys.readouterr().err
    assert "kodexa_platform DEBUG GET /api/memberships/m-1 -> 200" in printed
    assert not _leaks(printed)


def test_kodexa_log_info_attaches_one_handler_however_many_clients(flavour: Flavour) -> None:
    environ = {"KODEXA_LOG": " INFO ", "KODEXA_API_KEY": KEY, "KODEXA_URL": BASE_URL}
    logger = logging.getLogger("kodexa_platform")
    before = len(logger.handlers)
    flavour.construct(environ=environ)
    flavour.construct(environ=environ)
    assert logger.level == logging.INFO
    assert len(logger.handlers) == before + 1


@pytest.mark.parametrize("value", ["", "off", "verbose"])
def test_logging_stays_off_without_a_known_kodexa_log_level(flavour: Flavour, value: str) -> None:
    logger = logging.getLogger("kodexa_platform")
    before = (logger.level, list(logger.handlers))
    flavour.construct(environ={"KODEXA_LOG": value, "KODEXA_API_KEY": KEY, "KODEXA_URL": BASE_URL})
    assert (logger.level, logger.handlers) == before


class _EchoHandler(http.server.BaseHTTPRequestHandler):
    """A loopback server that checks the key and echoes it back in an error body."""

    seen_keys: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        self.seen_keys.append(self.headers.get("x-api-key"))
        if self.path.endswith("/bad"):
            self._send(401, {"message": ECHO, "errors": {"x-api-key": ECHO}})
        else:
            self._send(200, membership())

    def _send(self, status: int, body: object) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EchoHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    _EchoHandler.seen_keys = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_real_http_logs_at_debug_never_show_the_key(
    loopback_server: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Over a real loopback socket, so httpx's and httpcore's own debug logs are included.
    environ = {"KODEXA_LOG": "debug", "KODEXA_API_KEY": KEY, "KODEXA_URL": loopback_server}
    caplog.set_level(logging.DEBUG)
    with Kodexa(environ=environ, max_retries=0) as client:
        assert client.memberships.get("good").role == "OWNER"
        with pytest.raises(AuthenticationError) as caught:
            client.memberships.get("bad")
        assert not _leaks(_error_text(caught.value))

    async def main() -> None:
        async with AsyncKodexa(environ=environ, max_retries=0) as aclient:
            await aclient.memberships.get("good")

    asyncio.run(main())
    assert _EchoHandler.seen_keys == [KEY, KEY, KEY]
    names = {record.name for record in caplog.records}
    assert {"kodexa_platform", "httpx"} <= names
    assert any(name.startswith("httpcore") for name in names)
    for record in caplog.records:
        for text in _record_texts(record):
            assert not _leaks(text), record


def test_the_request_kept_in_an_error_or_a_page_no_longer_holds_the_key(flavour: Flavour) -> None:
    server = FakeServer(reply(404, {"message": "gone"}))
    with pytest.raises(NotFoundError) as caught:
        flavour.call(server, lambda c: c.memberships.get("m-1"))
    assert KEY not in repr(caught.value.request.headers)
    assert KEY not in str(dict(caught.value.response.request.headers))
    ok = FakeServer(reply(200, {"content": [], "number": 0, "last": True}))
    page = flavour.call(ok, lambda c: c.memberships.list_page())
    assert KEY not in str(dict(page.response.request.headers))
