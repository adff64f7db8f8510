"""SandboxServer's life cycle: start, stop, ports, storage, reset, loopback only."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import httpx
import pytest

from kodexa_platform.testing import SandboxServer

KEY = "life-cycle-key"


def _sandbox_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "kodexa-sandbox"]


def test_context_manager_serves_then_releases_thread_and_port() -> None:
    before = _sandbox_threads()
    with SandboxServer(KEY) as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.base_url)
        assert server.base_url.endswith(f":{server.port}")
        port = server.port
        assert len(_sandbox_threads()) == len(before) + 1
        with httpx.Client(base_url=server.base_url, headers={"x-api-key": KEY}) as http:
            assert http.get("/api/organizations").status_code == 200

    assert _sandbox_threads() == before
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/api/organizations", timeout=2)


def test_start_and_stop_are_explicit_and_stop_is_idempotent() -> None:
    server = SandboxServer(KEY)
    assert repr(server) == "<SandboxServer stopped>"
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.base_url
    assert server.start() is server
    with pytest.raises(RuntimeError, match="already running"):
        server.start()
    assert repr(server) == f"<SandboxServer {server.base_url}>"
    server.stop()
    server.stop()
    with pytest.raises(RuntimeError, match="not running"):
        server.reset()


def test_repr_does_not_show_the_key() -> None:
    with SandboxServer("secret-value") as server:
        assert "secret-value" not in repr(server)
        assert server.api_key == "secret-value"


def test_explicit_port_is_used() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with SandboxServer(KEY, port=port) as server:
        assert server.port == port


def test_busy_port_fails_at_start() -> None:
    with SandboxServer(KEY) as first, pytest.raises(OSError, match="in use"):
        SandboxServer(KEY, port=first.port).start()


def test_file_database_survives_a_restart(tmp_path: Path) -> None:
    database = str(tmp_path / "sandbox.db")
    with (
        SandboxServer(KEY, db_path=database) as server,
        httpx.Client(base_url=server.base_url, headers={"x-api-key": KEY}) as http,
    ):
        created = http.post("/api/organizations", json={"name": "Kept", "slug": "kept"}).json()

    with (
        SandboxServer(KEY, db_path=database) as server,
        httpx.Client(base_url=server.base_url, headers={"x-api-key": KEY}) as http,
    ):
        assert http.get(f"/api/organizations/{created['id']}").json() == created
        server.reset()
        assert http.get("/api/organizations").json()["totalElements"] == 0


def test_in_memory_data_does_not_survive_a_restart() -> None:
    server = SandboxServer(KEY)
    with server, httpx.Client(base_url=server.base_url, headers={"x-api-key": KEY}) as http:
        http.post("/api/organizations", json={"name": "Gone", "slug": "gone"})
    with server, httpx.Client(base_url=server.base_url, headers={"x-api-key": KEY}) as http:
        assert http.get("/api/organizations").json()["totalElements"] == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "example.com", "::"])  # noqa: S104
def test_non_loopback_hosts_are_refused(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        SandboxServer(KEY, host=host)


def test_localhost_names_are_accepted() -> None:
    with SandboxServer(KEY, host="localhost") as server:
        assert server.base_url.startswith("http://127.0.0.1:")


def test_concurrent_writers_are_serialised_by_change_sequence() -> None:
    with SandboxServer(KEY) as server:
        with httpx.Client(base_url=server.base_url, headers={"x-api-key": KEY}) as http:
            org = http.post("/api/organizations", json={"name": "A", "slug": "a"}).json()
        statuses: list[int] = []

        def write(n: int) -> None:
            with httpx.Client(base_url=server.base_url, headers={"x-api-key": KEY}) as http:
                body = {**org, "name": f"writer {n}"}
                statuses.append(http.put(f"/api/organizations/{org['id']}", json=body).status_code)

        writers = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()

    assert sorted(statuses) == [200] + [409] * 7
