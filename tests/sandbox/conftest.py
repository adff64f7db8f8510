"""Fixtures: one sandbox for the directory, wiped before each test, and raw httpx clients.

The ``client`` fixture checks every answer it gets against the response schemas of the spec,
so each test also proves that what it saw is a documented answer.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kodexa_platform.testing import SandboxServer
from kodexa_platform.testing._schema import operation_for, response_errors

API_KEY = "sandbox-test-key"
# The sandbox speaks plain HTTP; one context shared by every client spares each test the
# cost of loading the CA bundle that httpx would otherwise load per client.
_UNUSED_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def spec_problems(response: httpx.Response) -> list[str]:
    """What is wrong with ``response`` for the spec, for the operation its request names."""
    request = response.request
    operation = operation_for(request.method, request.url.path)
    if operation is None:
        return [f"no operation serves {request.method} {request.url.path}"]
    return response_errors(
        operation, response.status_code, response.headers.get("content-type"), response.read()
    )


def _check_against_spec(response: httpx.Response) -> None:
    problems = spec_problems(response)
    assert not problems, problems


@pytest.fixture
def api_key() -> str:
    return API_KEY


@pytest.fixture
def load() -> Any:
    """Read a JSON file of tests/sandbox/data (copies of the reference examples)."""
    return _load


@pytest.fixture
def check_spec() -> Any:
    """The spec check of the ``client`` fixture, for clients a test builds itself."""
    return spec_problems


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(API_KEY) as server:
        yield server


@pytest.fixture
def server(sandbox: SandboxServer) -> SandboxServer:
    sandbox.reset()
    return sandbox


@pytest.fixture
def client(server: SandboxServer) -> Iterator[httpx.Client]:
    """A client with the key, whose every answer must match the spec."""
    with httpx.Client(
        base_url=server.base_url,
        headers={"x-api-key": API_KEY},
        event_hooks={"response": [_check_against_spec]},
        timeout=10,
        verify=_UNUSED_TLS,
    ) as http:
        yield http


@pytest.fixture
def raw(server: SandboxServer) -> Iterator[httpx.Client]:
    """A client without a key and without spec checks, for answers the spec cannot list."""
    with httpx.Client(base_url=server.base_url, timeout=10, verify=_UNUSED_TLS) as http:
        yield http


@pytest.fixture
def make_org(client: httpx.Client) -> Any:
    def make(slug: str, **fields: Any) -> dict[str, Any]:
        response = client.post(
            "/api/organizations", json={"name": slug.title(), "slug": slug, **fields}
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    return make
