"""One client shared by threads, by concurrent tasks, and by successive event loops."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import respx

from kodexa_platform import AsyncKodexa, InternalServerError, Kodexa

from .conftest import BASE_URL, KEY, FakeServer, Flavour, membership, reply


def _echo_id(request: httpx.Request) -> httpx.Response:
    """A server that answers with the membership the path names."""
    return httpx.Response(200, json=membership() | {"id": request.url.path.rsplit("/", 1)[1]})


def test_one_async_client_serves_successive_asyncio_runs() -> None:
    server = FakeServer(_echo_id)
    client = Flavour("async").make(server)

    async def one(name: str) -> str:
        result = await client.memberships.get(name)
        return str(result.id)

    assert asyncio.run(one("first")) == "first"
    assert asyncio.run(one("second")) == "second"
    assert server.count == 2


def test_own_connections_are_kept_per_event_loop() -> None:
    client = AsyncKodexa(api_key=KEY, base_url=BASE_URL)
    pools: list[httpx.AsyncClient] = []

    async def one(name: str, close: bool) -> str:
        result = await client.memberships.get(name)
        pools.append(client._http())
        if close:
            await client.close()
        return str(result.id)

    with respx.mock(base_url=BASE_URL, assert_all_called=True) as router:
        route = router.get(path__regex=r"/api/memberships/\w+").mock(side_effect=_echo_id)
        # The first loop ends without closing: its pool must not be reused by the next loop.
        assert asyncio.run(one("first", close=False)) == "first"
        assert asyncio.run(one("second", close=True)) == "second"
        assert asyncio.run(one("third", close=True)) == "third"
    assert route.call_count == 3
    assert len({id(pool) for pool in pools}) == 3
    assert pools[1].is_closed
    assert pools[2].is_closed


@pytest.mark.asyncio
async def test_many_concurrent_calls_on_one_async_client() -> None:
    server = FakeServer(_echo_id)
    client = Flavour("async").make(server)
    names = [f"m{i}" for i in range(100)]
    results = await asyncio.gather(*(client.memberships.get(name) for name in names))
    assert [r.id for r in results] == names
    assert server.count == len(names)


@pytest.mark.asyncio
async def test_concurrent_calls_retry_independently() -> None:
    # Every other request fails once; each call must still get its own answer.
    seen: set[str] = set()
    lock = threading.Lock()

    def flaky(request: httpx.Request) -> httpx.Response:
        with lock:
            first_time = request.url.path not in seen
            seen.add(request.url.path)
        if first_time and request.url.path.endswith(("0", "2", "4", "6", "8")):
            return httpx.Response(503)
        return _echo_id(request)

    server = FakeServer(flaky)
    client = Flavour("async").make(server)
    names = [f"m{i}" for i in range(50)]
    results = await asyncio.gather(*(client.memberships.get(name) for name in names))
    assert [r.id for r in results] == names
    assert server.count == 75


def test_one_sync_client_shared_by_many_threads() -> None:
    server = FakeServer(_echo_id)
    client = Flavour("sync").make(server)
    names = [f"m{i}" for i in range(200)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda name: client.memberships.get(name).id, names))
    assert results == names
    assert server.count == len(names)


def test_threads_with_their_own_options_do_not_disturb_each_other() -> None:
    server = FakeServer(reply(503))
    client = Flavour("sync").make(server, max_retries=2)

    def call(max_retries: int) -> int:
        with pytest.raises(InternalServerError) as caught:
            client.with_options(max_retries=max_retries).memberships.get("m")
        return caught.value.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(call, [0, 1, 3] * 10)) == {503}
    assert server.count == (1 + 2 + 4) * 10


def test_real_connections_shared_by_threads() -> None:
    with respx.mock(base_url=BASE_URL) as router:
        router.get(path__regex=r"/api/memberships/\w+").mock(side_effect=_echo_id)
        with Kodexa(api_key=KEY, base_url=BASE_URL) as client:
            names = [f"m{i}" for i in range(100)]
            with ThreadPoolExecutor(max_workers=8) as pool:
                results = list(pool.map(lambda n: client.memberships.get(n).id, names))
    assert results == names
