"""Fault injection: each kind as a client sees it, seeded determinism, selection, counters."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from kodexa_platform.testing import FaultKind, FaultPlan, SandboxServer

ORG = {"name": "Acme", "slug": "acme"}
Faulty = Callable[[FaultPlan], SandboxServer]


@pytest.fixture
def no_server_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail if uvicorn logged an error: a fault must look deliberate, not like a crash."""
    with caplog.at_level(logging.WARNING):
        yield
    errors = [
        r for r in caplog.records if r.name.startswith("uvicorn") and r.levelno >= logging.ERROR
    ]
    assert errors == []


@pytest.fixture
def faulty(server: SandboxServer) -> Iterator[Faulty]:
    """Put a plan in force on the shared sandbox; no plan outlives the test."""

    def apply(plan: FaultPlan) -> SandboxServer:
        server.set_faults(plan)
        return server

    yield apply
    server.set_faults(None)


def _client(server: SandboxServer, read_timeout: float = 5.0) -> httpx.Client:
    timeout = httpx.Timeout(5.0, read=read_timeout)
    headers = {"x-api-key": server.api_key}
    return httpx.Client(base_url=server.base_url, headers=headers, timeout=timeout)


def _stored(server: SandboxServer) -> int:
    server.set_faults(None)
    with _client(server) as http:
        total: int = http.get("/api/organizations").json()["totalElements"]
    return total


def _outcome(http: httpx.Client, method: str, path: str, **kwargs: Any) -> str:
    try:
        return str(http.request(method, path, **kwargs).status_code)
    except httpx.TransportError:
        # Whether a reset POST fails on writing its body or on reading depends on timing.
        return "dropped"


@pytest.mark.usefixtures("no_server_errors")
@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        (FaultKind.UNAVAILABLE, 503, "application/json"),
        (FaultKind.RATE_LIMITED, 429, "application/json"),
        (FaultKind.BAD_GATEWAY, 502, "text/html"),
        (FaultKind.ORIGIN_ERROR, 520, "text/plain"),
    ],
)
def test_status_faults_answer_without_handling(
    faulty: Faulty, kind: FaultKind, status: int, content_type: str
) -> None:
    server = faulty(FaultPlan(1.0, 0, [kind]))
    with _client(server) as http:
        response = http.post("/api/organizations", json=ORG)

    assert response.status_code == status
    assert response.headers["content-type"].startswith(content_type)
    if status in (429, 503):
        assert response.headers["retry-after"] == "0"
        assert response.json()["contextPath"] == "/api/organizations"
    if status == 502:
        assert "<html>" in response.text
    assert server.fault_stats == {"requests": 1, "injected": 1, kind.value: 1}
    assert _stored(server) == 0


@pytest.mark.usefixtures("no_server_errors")
@pytest.mark.parametrize(
    ("kind", "stored"),
    [(FaultKind.RESET, 0), (FaultKind.COMMIT_THEN_DROP, 1), (FaultKind.TRUNCATE, 1)],
)
def test_dropped_connections(faulty: Faulty, kind: FaultKind, stored: int) -> None:
    server = faulty(FaultPlan(1.0, 0, [kind]))
    with _client(server) as http, pytest.raises(httpx.TransportError):
        http.post("/api/organizations", json=ORG)

    # commit-then-drop is what makes a blindly retried POST create a duplicate.
    assert _stored(server) == stored


def test_reset_is_a_tcp_reset_on_a_plain_get(faulty: Faulty) -> None:
    server = faulty(FaultPlan(1.0, 0, [FaultKind.RESET]))
    with _client(server) as http, pytest.raises(httpx.ReadError, match="reset"):
        http.get("/api/organizations")


def test_truncated_body_announces_more_than_it_sends(faulty: Faulty) -> None:
    server = faulty(FaultPlan(1.0, 0, [FaultKind.TRUNCATE]))
    with (
        _client(server) as http,
        pytest.raises(httpx.RemoteProtocolError, match="without sending complete message body"),
    ):
        http.get("/api/organizations")


@pytest.mark.usefixtures("no_server_errors")
def test_delay_outlasts_the_read_timeout_and_still_writes(faulty: Faulty) -> None:
    server = faulty(FaultPlan(1.0, 0, [FaultKind.DELAY], delay=0.3))
    with _client(server, read_timeout=0.05) as http, pytest.raises(httpx.ReadTimeout):
        http.post("/api/organizations", json=ORG)
    deadline = time.monotonic() + 5
    while _stored(server) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _stored(server) == 1


@pytest.mark.usefixtures("no_server_errors")
def test_delay_is_cut_short_by_stop() -> None:
    plan = FaultPlan(1.0, 0, [FaultKind.DELAY], delay=60)
    server = SandboxServer(faults=plan).start()
    with _client(server, read_timeout=0.05) as http, pytest.raises(httpx.ReadTimeout):
        http.get("/api/organizations")
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 5


def _run_mix(server: SandboxServer) -> list[str]:
    outcomes = []
    with _client(server) as http:
        for n in range(40):
            if n % 3 == 0:
                body = {"name": "n", "slug": f"s{n}"}
                outcomes.append(_outcome(http, "POST", "/api/organizations", json=body))
            else:
                outcomes.append(_outcome(http, "GET", "/api/organizations"))
    return outcomes


def test_same_seed_gives_the_same_faults_and_another_seed_does_not(faulty: Faulty) -> None:
    runs = []
    for seed in (7, 7, 8):
        server = faulty(FaultPlan(0.5, seed))
        server.reset()
        runs.append((_run_mix(server), server.fault_stats))

    (first, first_stats), (second, second_stats), (other, _) = runs
    assert first == second
    assert first_stats == second_stats
    assert first != other
    assert first_stats["requests"] == 40
    assert 5 < first_stats["injected"] < 35
    assert first_stats["injected"] == sum(
        count for name, count in first_stats.items() if name not in ("requests", "injected")
    )
    assert sum(outcome not in ("200", "201") for outcome in first) == first_stats["injected"]


def test_reset_restarts_the_plan_from_its_seed(faulty: Faulty) -> None:
    server = faulty(FaultPlan(0.5, 3))
    before = _run_mix(server)
    server.reset()
    assert server.fault_stats["requests"] == 0
    assert _run_mix(server) == before


def test_plan_selects_by_method_and_path(faulty: Faulty) -> None:
    plan = FaultPlan(1.0, 0, ["503"], methods=["post"], path_prefix="/api/memberships")
    server = faulty(plan)
    with _client(server) as http:
        assert http.post("/api/organizations", json=ORG).status_code == 201
        assert http.get("/api/memberships").status_code == 200
        assert http.post("/api/memberships", json={}).status_code == 503
    assert server.fault_stats["requests"] == 1


def test_faults_can_be_switched_on_and_off_while_running(server: SandboxServer) -> None:
    with _client(server) as http:
        assert server.fault_stats == {}
        server.set_faults(FaultPlan(1.0, 0, ["429"]))
        assert http.get("/api/organizations").status_code == 429
        server.set_faults(None)
        assert http.get("/api/organizations").status_code == 200


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"rate": 1.5}, "rate"),
        ({"rate": -0.1}, "rate"),
        ({"kinds": []}, "at least one"),
        ({"kinds": ["delay"]}, "delay"),
        ({"kinds": ["teapot"]}, "teapot"),
        ({"delay": -1}, "negative"),
    ],
)
def test_invalid_plans_are_refused(arguments: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FaultPlan(**{"rate": 0.5, "seed": 1, **arguments})


def test_default_kinds() -> None:
    assert FaultKind.DELAY not in FaultPlan(0.1, 1).kinds
    assert FaultKind.TRUNCATE not in FaultPlan(0.1, 1).kinds
    assert FaultKind.DELAY in FaultPlan(0.1, 1, delay=2).kinds
    assert FaultPlan(0.1, 1, ["503", FaultKind.RESET, "503"]).kinds == (
        FaultKind.UNAVAILABLE,
        FaultKind.RESET,
    )
