"""Fixtures: one sandbox per module, wiped before each test, and clients pointed at it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from kodexa_platform import AsyncKodexa, Kodexa
from kodexa_platform.testing import SandboxServer

API_KEY = "integration-test-key"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(api_key=API_KEY) as server:
        yield server


@pytest.fixture
def server(sandbox: SandboxServer) -> SandboxServer:
    sandbox.reset()
    return sandbox


@pytest.fixture
def client(server: SandboxServer) -> Iterator[Kodexa]:
    with Kodexa(api_key=API_KEY, base_url=server.base_url, max_retries=0) as kodexa:
        yield kodexa


@pytest_asyncio.fixture
async def aclient(server: SandboxServer) -> AsyncIterator[AsyncKodexa]:
    async with AsyncKodexa(api_key=API_KEY, base_url=server.base_url, max_retries=0) as kodexa:
        yield kodexa


@pytest.fixture
def docs_example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "create-membership.json").read_text())
    return data
