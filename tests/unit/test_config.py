"""Configuration: where the key, the URL, the timeout and the retry budget come from."""

from __future__ import annotations

import asyncio
import math
import ssl
from typing import Any

import httpx
import pytest
import respx
from kodexa_platform_client.api.memberships import get_membership
from kodexa_platform_client.models import Membership

from kodexa_platform import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    USER_AGENT,
    AsyncKodexa,
    ConfigurationError,
    InternalServerError,
    Kodexa,
)

from .conftest import BASE_URL, KEY, FakeServer, Flavour, membership, reply

ENV_ONLY: dict[str, str] = {"KODEXA_URL": BASE_URL}


def _get(client: Any) -> Any:
    return client.memberships.get("m-1")


# --- the API key ----------------------------------------------------------------------------


def test_api_key_argument_is_sent_as_x_api_key(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    flavour.call(server, _get)
    assert server.last.headers["x-api-key"] == KEY


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"KODEXA_API_KEY": "from-api-key"}, "from-api-key"),
        ({"KODEXA_ACCESS_TOKEN": "from-access-token"}, "from-access-token"),
        ({"KODEXA_API_KEY": "wins", "KODEXA_ACCESS_TOKEN": "loses"}, "wins"),
        ({"KODEXA_API_KEY": "   ", "KODEXA_ACCESS_TOKEN": "fallback"}, "fallback"),
        ({"KODEXA_API_KEY": "  padded\n"}, "padded"),
    ],
)
def test_api_key_comes_from_the_environment_in_order(
    flavour: Flavour, environ: dict[str, str], expected: str
) -> None:
    server = FakeServer(reply(200, membership()))
    flavour.call(server, _get, api_key=None, environ={**ENV_ONLY, **environ})
    assert server.last.headers["x-api-key"] == expected


def test_api_key_argument_wins_over_the_environment(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    environ = {**ENV_ONLY, "KODEXA_API_KEY": "env", "KODEXA_ACCESS_TOKEN": "env2"}
    flavour.call(server, _get, api_key="argument", environ=environ)
    assert server.last.headers["x-api-key"] == "argument"


@pytest.mark.parametrize(
    "environ", [{}, {"KODEXA_API_KEY": "", "KODEXA_ACCESS_TOKEN": " \t"}], ids=["unset", "blank"]
)
def test_missing_api_key_is_a_configuration_error_naming_both_variables(
    flavour: Flavour, environ: dict[str, str]
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        flavour.construct(base_url=BASE_URL, environ=environ)
    assert "KODEXA_API_KEY" in str(caught.value)
    assert "KODEXA_ACCESS_TOKEN" in str(caught.value)
    assert "api_key" in str(caught.value)


@pytest.mark.parametrize("bad", ["", "   ", 123, b"bytes"])
def test_blank_or_non_string_api_key_argument_is_refused(flavour: Flavour, bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="api_key"):
        flavour.construct(api_key=bad, base_url=BASE_URL, environ={"KODEXA_API_KEY": "ok"})


def test_configuration_error_is_a_kodexa_error_and_a_value_error() -> None:
    with pytest.raises(ValueError, match="KODEXA_API_KEY"):
        Kodexa(base_url=BASE_URL, environ={})


# --- the base URL ---------------------------------------------------------------------------


def test_base_url_argument_is_where_requests_go(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    flavour.call(server, _get, base_url="http://127.0.0.1:8123/")
    assert str(server.last.url) == "http://127.0.0.1:8123/api/memberships/m-1"


def test_base_url_from_kodexa_url(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    environ = {"KODEXA_URL": "http://localhost:7000", "KODEXA_API_KEY": KEY}
    client = flavour.make(server, api_key=None, base_url=None, environ=environ)
    assert client.base_url == "http://localhost:7000"
    flavour.run(client, _get)
    assert str(server.last.url) == "http://localhost:7000/api/memberships/m-1"


def test_base_url_argument_wins_over_kodexa_url(flavour: Flavour) -> None:
    environ = {"KODEXA_URL": "http://127.0.0.1:1"}
    client = flavour.construct(api_key=KEY, base_url="http://127.0.0.1:2", environ=environ)
    assert client.base_url == "http://127.0.0.1:2"


@pytest.mark.parametrize("environ", [{}, {"KODEXA_URL": ""}], ids=["unset", "empty"])
def test_base_url_defaults_to_the_kodexa_platform(
    flavour: Flavour, environ: dict[str, str]
) -> None:
    # Only the setting is inspected: no request is made, so the real platform is untouched.
    client = flavour.construct(api_key=KEY, environ=environ)
    assert client.base_url == DEFAULT_BASE_URL == "https://platform.kodexa.ai"


def test_base_url_keeps_a_path_prefix(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    flavour.call(server, _get, base_url="http://127.0.0.1:9/kodexa/")
    assert str(server.last.url) == "http://127.0.0.1:9/kodexa/api/memberships/m-1"


@pytest.mark.parametrize(
    "bad",
    [
        "ftp://127.0.0.1",
        "127.0.0.1:8080",
        "http://",
        "https://user:password@example.com",
        "https://example.com/?x=1",
        "https://example.com/#top",
        "https://host:abc",
        42,
    ],
)
def test_unusable_base_url_is_refused(flavour: Flavour, bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        flavour.construct(api_key=KEY, base_url=bad)


@pytest.mark.parametrize("host", ["example.com", "10.0.0.1", "[2001:db8::1]", "localhost.com"])
def test_plain_http_to_a_remote_host_is_refused(flavour: Flavour, host: str) -> None:
    with pytest.raises(ConfigurationError, match="allow_insecure_http"):
        flavour.construct(api_key=KEY, base_url=f"http://{host}")
    with pytest.raises(ConfigurationError, match="clear text"):
        flavour.construct(api_key=KEY, environ={"KODEXA_URL": f"http://{host}:8080"})


def test_plain_http_to_a_remote_host_is_allowed_on_request(flavour: Flavour) -> None:
    client = flavour.construct(
        api_key=KEY, base_url="http://sandbox.internal:8080", allow_insecure_http=True
    )
    assert client.base_url == "http://sandbox.internal:8080"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.9.9.9",
        "http://localhost:1",
        "http://api.localhost",
        "http://[::1]:8080",
        "https://example.com",
    ],
)
def test_loopback_http_and_any_https_are_accepted(flavour: Flavour, url: str) -> None:
    assert flavour.construct(api_key=KEY, base_url=url).base_url == url


# --- timeout and retries --------------------------------------------------------------------


def test_default_timeout_is_finite_with_a_short_connect_phase() -> None:
    parts = (DEFAULT_TIMEOUT.connect, DEFAULT_TIMEOUT.read, DEFAULT_TIMEOUT.write)
    assert all(isinstance(part, float) and math.isfinite(part) for part in parts)
    assert DEFAULT_TIMEOUT.connect is not None
    assert DEFAULT_TIMEOUT.read is not None
    assert DEFAULT_TIMEOUT.connect < DEFAULT_TIMEOUT.read
    client = Kodexa(api_key=KEY, base_url=BASE_URL)
    assert client.timeout == DEFAULT_TIMEOUT
    assert client.max_retries == DEFAULT_MAX_RETRIES


def test_default_timeout_is_sent_with_each_request(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    flavour.call(server, _get)
    assert server.last.extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()


def test_timeout_in_seconds_applies_to_every_phase(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    flavour.call(server, _get, timeout=7)
    assert server.last.extensions["timeout"] == httpx.Timeout(7.0).as_dict()


BAD_TIMEOUTS = [
    None,
    0,
    -1,
    math.inf,
    math.nan,
    True,
    "5",
    httpx.Timeout(None),
    httpx.Timeout(5.0, read=None),
    httpx.Timeout(5.0, connect=0),
    httpx.Timeout(5.0, pool=math.inf),
]


@pytest.mark.parametrize("bad", BAD_TIMEOUTS)
def test_unbounded_or_nonsense_timeout_is_refused(flavour: Flavour, bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        flavour.construct(api_key=KEY, base_url=BASE_URL, timeout=bad)
    client = flavour.construct(api_key=KEY, base_url=BASE_URL)
    with pytest.raises(ConfigurationError, match="timeout"):
        client.with_options(timeout=bad)


@pytest.mark.parametrize("bad", [-1, 1.5, True, "2", None])
def test_bad_max_retries_is_refused(flavour: Flavour, bad: Any) -> None:
    with pytest.raises(ConfigurationError, match="max_retries"):
        flavour.construct(api_key=KEY, base_url=BASE_URL, max_retries=bad)
    client = flavour.construct(api_key=KEY, base_url=BASE_URL)
    with pytest.raises(ConfigurationError, match="max_retries"):
        client.with_options(max_retries=bad)


# --- headers --------------------------------------------------------------------------------


def test_user_agent_and_accept_are_sent_through_a_given_http_client(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    flavour.call(server, _get)
    assert server.last.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("kodexa-platform-python/")
    assert server.last.headers["accept"] == "application/json"


def test_user_agent_and_key_are_sent_by_the_clients_own_connections() -> None:
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as router:
        route = router.get("/api/memberships/m-1").respond(200, json=membership())
        with Kodexa(api_key=KEY, base_url=BASE_URL) as client:
            client.memberships.get("m-1")

        async def main() -> None:
            async with AsyncKodexa(api_key=KEY, base_url=BASE_URL) as aclient:
                await aclient.memberships.get("m-1")

        asyncio.run(main())
    assert route.call_count == 2
    for call in route.calls:
        assert call.request.headers["user-agent"] == USER_AGENT
        assert call.request.headers["x-api-key"] == KEY


def test_content_type_is_json_on_bodies(flavour: Flavour) -> None:
    server = FakeServer(reply(201, membership()))
    flavour.call(server, lambda c: c.memberships.create({"role": "OWNER"}))
    assert server.last.headers["content-type"] == "application/json"
    assert server.last.headers["user-agent"] == USER_AGENT


# --- context managers and close -------------------------------------------------------------


def test_sync_context_manager_closes_its_own_connections() -> None:
    with Kodexa(api_key=KEY, base_url=BASE_URL) as client:
        pool = client._http
        assert not pool.is_closed
    assert pool.is_closed


def test_sync_close_leaves_a_given_http_client_open() -> None:
    given = httpx.Client(transport=httpx.MockTransport(FakeServer(reply(200, membership()))))
    with Kodexa(api_key=KEY, base_url=BASE_URL, http_client=given) as client:
        client.memberships.get("m-1")
    assert not given.is_closed
    given.close()


@pytest.mark.asyncio
async def test_async_context_manager_closes_this_loops_connections() -> None:
    with respx.mock(base_url=BASE_URL) as router:
        router.get("/api/memberships/m-1").respond(200, json=membership())
        async with AsyncKodexa(api_key=KEY, base_url=BASE_URL) as client:
            await client.memberships.get("m-1")
            pool = client._http()
            assert not pool.is_closed
        assert pool.is_closed
        # The client is still usable afterwards: the next call opens a new pool.
        await client.memberships.get("m-1")
        assert client._http() is not pool
        # A pool closed behind the client's back is replaced, not used.
        closed = client._http()
        await closed.aclose()
        await client.memberships.get("m-1")
        assert client._http() is not closed
        await client.close()
        await client.close()  # closing twice is harmless


@pytest.mark.asyncio
async def test_async_close_leaves_a_given_http_client_open() -> None:
    given = httpx.AsyncClient(transport=httpx.MockTransport(FakeServer(reply(200, membership()))))
    async with AsyncKodexa(api_key=KEY, base_url=BASE_URL, http_client=given) as client:
        await client.memberships.get("m-1")
    assert not given.is_closed
    await given.aclose()


# --- with_options ---------------------------------------------------------------------------


def test_with_options_overrides_timeout_and_retries_for_one_call(flavour: Flavour) -> None:
    server = FakeServer(reply(503))
    client = flavour.make(server, max_retries=3)
    clone = client.with_options(timeout=2.5, max_retries=0)
    assert (clone.max_retries, clone.timeout) == (0, httpx.Timeout(2.5))
    with pytest.raises(InternalServerError, match="503"):
        flavour.run(clone, _get)
    assert server.count == 1
    assert server.last.extensions["timeout"] == httpx.Timeout(2.5).as_dict()
    # The original keeps its own settings.
    assert (client.max_retries, client.timeout) == (3, DEFAULT_TIMEOUT)
    with pytest.raises(InternalServerError, match="503"):
        flavour.run(client, _get)
    assert server.count == 1 + 4
    assert server.last.extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()


def test_with_options_keeps_what_is_not_overridden(flavour: Flavour) -> None:
    client = flavour.construct(api_key=KEY, base_url=BASE_URL, timeout=9, max_retries=4)
    assert client.with_options(max_retries=1).timeout == httpx.Timeout(9)
    assert client.with_options(timeout=1).max_retries == 4
    assert client.with_options().base_url == BASE_URL


def test_closing_a_with_options_clone_keeps_the_original_usable() -> None:
    with respx.mock(base_url=BASE_URL) as router:
        route = router.get("/api/memberships/m-1").respond(200, json=membership())
        with Kodexa(api_key=KEY, base_url=BASE_URL) as client:
            with client.with_options(max_retries=0) as clone:
                clone.memberships.get("m-1")
            client.memberships.get("m-1")

            async def main() -> None:
                async with AsyncKodexa(api_key=KEY, base_url=BASE_URL) as aclient:
                    async with aclient.with_options(max_retries=0) as aclone:
                        await aclone.memberships.get("m-1")
                    await aclient.memberships.get("m-1")

            asyncio.run(main())
    assert route.call_count == 4


def test_repr_names_the_platform_and_settings(flavour: Flavour) -> None:
    client = flavour.construct(api_key=KEY, base_url=BASE_URL, max_retries=1)
    text = repr(client)
    assert text.startswith(("Kodexa(", "AsyncKodexa("))
    assert BASE_URL in text
    assert "max_retries=1" in text


# --- the generated escape hatch -------------------------------------------------------------


def test_generated_shares_the_sync_clients_connections_and_settings() -> None:
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as router:
        route = router.get("/api/memberships/m-1").respond(200, json=membership())
        with Kodexa(api_key=KEY, base_url=BASE_URL, timeout=33) as client:
            generated = client.generated
            assert generated.get_httpx_client() is client._http
            # Calls made through it honour the client's timeout, not httpx's 5 s default.
            assert generated.get_httpx_client().timeout == httpx.Timeout(33)
            response = get_membership.sync_detailed("m-1", client=generated)
    assert response.status_code == 200
    assert isinstance(response.parsed, Membership)
    assert response.parsed.id == membership()["id"]
    sent = route.calls.last.request
    assert sent.headers["x-api-key"] == KEY
    assert sent.headers["user-agent"] == USER_AGENT


def test_generated_of_a_client_with_a_given_http_client_has_its_own_connections() -> None:
    given = httpx.Client(transport=httpx.MockTransport(FakeServer(reply(200, membership()))))
    client = Kodexa(api_key=KEY, base_url=BASE_URL, http_client=given)
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as router:
        route = router.get("/api/memberships/m-1").respond(200, json=membership())
        generated = client.generated
        assert generated.get_httpx_client() is not given
        response = get_membership.sync_detailed("m-1", client=generated)
        generated.get_httpx_client().close()
    assert isinstance(response.parsed, Membership)
    assert route.calls.last.request.headers["x-api-key"] == KEY


def test_generated_of_the_async_client_works_with_the_async_functions() -> None:
    async def main() -> Any:
        client = AsyncKodexa(api_key=KEY, base_url=BASE_URL, timeout=12)
        generated = client.generated
        assert generated.get_async_httpx_client().timeout == httpx.Timeout(12)
        async with generated:
            return await get_membership.asyncio_detailed("m-1", client=generated)

    with respx.mock(base_url=BASE_URL, assert_all_called=True) as router:
        route = router.get("/api/memberships/m-1").respond(200, json=membership())
        response = asyncio.run(main())
    assert isinstance(response.parsed, Membership)
    assert route.calls.last.request.headers["x-api-key"] == KEY
    assert route.calls.last.request.headers["user-agent"] == USER_AGENT


# --- TLS ------------------------------------------------------------------------------------


def test_tls_verification_is_on_by_default() -> None:
    # Reads httpx's transport internals: there is no public way to ask a client about them.
    with Kodexa(api_key=KEY, base_url="https://example.com") as client:
        context = client._http._transport._pool._ssl_context
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname

    async def main() -> None:
        async with AsyncKodexa(api_key=KEY, base_url="https://example.com") as aclient:
            context = aclient._http()._transport._pool._ssl_context
            assert context.verify_mode == ssl.CERT_REQUIRED
            assert context.check_hostname

    asyncio.run(main())
