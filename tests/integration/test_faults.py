"""The short version of `make faults`: the client survives a sandbox that fails on purpose."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from kodexa_platform import _transport

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "faults.py"


@pytest.fixture(scope="module")
def faults() -> ModuleType:
    spec = importlib.util.spec_from_file_location("faults_script", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


def test_faulty_network_leaves_no_untyped_errors_duplicates_or_lost_updates(
    faults: ModuleType,
) -> None:
    report = faults.run(ops=300, seed=11, rate=0.25)
    assert report.faults["injected"] > 30  # the plan really did fail requests
    assert report.retries > 0
    assert report.untyped == []
    assert report.duplicate_creates == 0
    assert report.lost_updates == 0
    assert report.ok


def test_the_check_catches_a_client_that_retries_creates_blindly(
    faults: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    original: Callable[[bool, httpx.Request], Callable[[Exception], bool | float]] = (
        _transport._backoff_hook
    )

    def reckless(idempotent: bool, request: httpx.Request) -> Callable[[Exception], bool | float]:
        hook = original(True, request)  # treat every call, POST included, as safe to repeat

        def decide(error: Exception) -> bool | float:
            return isinstance(error, httpx.TransportError) or hook(error)

        return decide

    monkeypatch.setattr(_transport, "_backoff_hook", reckless)
    report = faults.run(ops=300, seed=11, rate=0.25)
    assert report.duplicate_creates > 0
    assert not report.ok
