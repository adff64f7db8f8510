"""The kodexa-sandbox command, run as a real process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import kodexa_platform_client
import pytest

import kodexa_platform.testing


def _environment() -> dict[str, str]:
    # The child must import what this process imports, installed or not.
    roots = [
        Path(kodexa_platform.testing.__file__).resolve().parents[2],
        Path(kodexa_platform_client.__file__).resolve().parents[1],
    ]
    inherited = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([*map(str, roots), inherited])}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def _sandbox(*arguments: str) -> Iterator[subprocess.Popen[str]]:
    command = [sys.executable, "-m", "kodexa_platform.testing", *arguments]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
    ) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def _first_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    with ThreadPoolExecutor(max_workers=1) as reader:
        return reader.submit(process.stdout.readline).result(timeout=20).strip()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_cli_serves_on_the_port_asked_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    port = _free_port()
    with _sandbox("--port", str(port), "--api-key", "cli-key") as process:
        base_url = _first_line(process)

        assert base_url == f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base_url, headers={"x-api-key": "cli-key"}) as http:
            created = http.post("/api/organizations", json={"name": "C", "slug": "c"})
            assert created.status_code == 201
            assert http.get("/api/organizations").json()["totalElements"] == 1
            assert http.get("/api/organizations", headers={"x-api-key": "x"}).status_code == 401

        process.send_signal(stop_signal)
        assert process.wait(timeout=10) == 0
        assert process.stderr is not None
        log = process.stderr.read()
    assert "cli-key" not in log
    assert "POST /api/organizations" in log


def test_cli_applies_legacy_statuses_and_faults() -> None:
    arguments = ["--port", "0", "--create-status", "200", "--faults", "1", "--fault-kinds", "429"]
    with _sandbox(*arguments) as process:
        base_url = _first_line(process)
        with httpx.Client(base_url=base_url, headers={"x-api-key": "any"}) as http:
            assert http.get("/api/organizations").status_code == 429
        process.terminate()
        assert process.wait(timeout=10) == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--host", "0.0.0.0"], "loopback"),  # noqa: S104
        (["--faults", "0.5", "--fault-kinds", "delay"], "delay"),
        (["--faults", "2"], "rate"),
    ],
)
def test_cli_refuses_bad_options(arguments: list[str], message: str) -> None:
    with _sandbox("--port", "0", *arguments) as process:
        _, errors = process.communicate(timeout=20)
    assert process.returncode == 2
    assert message in errors


def test_cli_reports_a_busy_port() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with _sandbox("--port", str(busy.getsockname()[1])) as process:
            _, errors = process.communicate(timeout=20)
    assert process.returncode == 1
    assert "cannot listen" in errors
