"""API keys, unknown routes and methods, malformed bodies: each answers the legacy error body."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kodexa_platform.testing import SandboxServer


@pytest.mark.parametrize(
    "headers",
    [{}, {"x-api-key": ""}, {"x-api-key": "wrong"}, {"x-api-key": "SANDBOX-TEST-KEY"}],
)
def test_missing_empty_or_wrong_key_is_401(
    raw: httpx.Client, check_spec: Any, load: Any, headers: dict[str, str]
) -> None:
    response = raw.get("/api/organizations", headers=headers)

    assert response.status_code == 401
    assert list(response.json()) == list(load("error.legacy.json"))
    assert response.json()["contextPath"] == "/api/organizations"
    assert check_spec(response) == []


def test_key_is_checked_before_routing(raw: httpx.Client) -> None:
    assert raw.get("/api/nowhere").status_code == 401


def test_legacy_access_token_header_works_and_loses_to_x_api_key(
    raw: httpx.Client, api_key: str
) -> None:
    legacy = raw.get("/api/organizations", headers={"x-access-token": api_key})
    both = raw.get("/api/organizations", headers={"x-access-token": api_key, "x-api-key": "bad"})

    assert legacy.status_code == 200
    assert both.status_code == 401


def test_without_a_configured_key_any_non_empty_key_works() -> None:
    with SandboxServer() as server, httpx.Client(base_url=server.base_url) as http:
        assert http.get("/api/organizations", headers={"x-api-key": "anything"}).status_code == 200
        assert (
            http.get("/api/organizations", headers={"x-api-key": server.api_key}).status_code == 200
        )
        assert http.get("/api/organizations", headers={"x-api-key": ""}).status_code == 401


def test_empty_api_key_is_refused() -> None:
    with pytest.raises(ValueError, match="api_key"):
        SandboxServer("")


@pytest.mark.parametrize("path", ["/api/nowhere", "/api/organizations/", "/api/organizations/a/b"])
def test_unknown_route_is_404_with_legacy_body(raw: httpx.Client, api_key: str, path: str) -> None:
    response = raw.get(path, headers={"x-api-key": api_key})

    assert response.status_code == 404
    assert response.json()["contextPath"] == path


def test_wrong_method_is_405_listing_the_allowed_ones(raw: httpx.Client, api_key: str) -> None:
    response = raw.delete("/api/organizations", headers={"x-api-key": api_key})

    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert response.json()["message"] == "Method Not Allowed"


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"", b'{"name": "a", "slug": NaN}', b"\xff\xfe\x00", b"[" * 100_000],
)
def test_malformed_json_is_400(client: httpx.Client, content: bytes) -> None:
    response = client.post(
        "/api/organizations", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("Malformed JSON")


def test_body_that_is_not_an_object_is_400(client: httpx.Client) -> None:
    response = client.post("/api/memberships", json=["role"])
    assert response.status_code == 400
    assert response.json()["errors"] == {"body": "['role'] is not of type 'object'"}
