"""Fixtures that run Prism, the pinned Node.js tool, as a mock server of openapi.yaml.

Prism comes from ``npm ci`` (``node_modules/``). Without it the tests skip, so that a Python-
only checkout still runs the rest of the suite; under CI (the ``CI`` variable set) a missing
Prism is an error instead, so that CI can never pass by skipping them.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi.yaml"
PAGE_SCHEMAS = ("PageMembership", "PageOrganization")


def _load_prism_server() -> ModuleType:
    # The Prism launcher lives in scripts/ (scripts/contract.py uses it too); load it by path
    # rather than putting scripts/ on sys.path for the whole test session.
    location = ROOT / "scripts" / "prism_server.py"
    spec = importlib.util.spec_from_file_location("_kodexa_prism_server", location)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


prism_server = _load_prism_server()

#: Fixed so that a failure found with dynamic examples happens again on the next run. (With
#: a seed Prism gives the same answer to every call of an operation; this one yields pages
#: and arrays with several items rather than empty ones.)
DYNAMIC_SEED = "3"


def _require_prism() -> None:
    if prism_server.prism_installed():
        return
    message = "node_modules/.bin/prism is missing: run `npm ci` (the Makefile does) first"
    if "CI" in os.environ:
        pytest.fail(f"{message}; CI must run the Prism contract tests", pytrace=False)
    pytest.skip(message)


def narrowed_spec() -> dict[str, Any]:
    """openapi.yaml, with the two page schemas allowing only the answer to ``page=1``.

    A mock keeps no state, so its pages carry any ``number`` (statically the int32 minimum)
    and any ``last``; the client rightly refuses a page whose ``number`` is not the one it
    asked for, as a guard against a server that ignores ``page``. Narrowing ``number`` to 0
    and ``last`` to true only removes values: every answer of the narrowed spec is still an
    answer the real spec allows, and the client still checks each one against the real spec.
    Nothing else is touched, so requests are validated exactly as the real spec says.
    """
    document: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    for name in PAGE_SCHEMAS:
        properties = document["components"]["schemas"][name]["properties"]
        properties["number"] = {**properties["number"], "enum": [0]}
        properties["last"] = {**properties["last"], "enum": [True]}
    return document


@pytest.fixture(scope="session")
def mock_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("prism") / "openapi.narrowed.yaml"
    path.write_text(yaml.safe_dump(narrowed_spec(), sort_keys=False), encoding="utf-8")
    return path


def _mock(spec: Path, *arguments: str) -> Iterator[str]:
    _require_prism()
    # --errors: a request the client sends that the spec does not allow gets an error answer
    # (which the client raises) instead of a mocked body, so the client's requests are
    # checked too.
    with prism_server.Prism("mock", "--errors", *arguments, spec=spec) as prism:
        yield prism.base_url


@pytest.fixture(scope="session")
def prism_static(mock_spec: Path) -> Iterator[str]:
    """Prism answering with examples built from the schemas' first choices."""
    yield from _mock(mock_spec)


@pytest.fixture(scope="session")
def prism_dynamic(mock_spec: Path) -> Iterator[str]:
    """Prism answering with random (seeded) data generated from the schemas."""
    yield from _mock(mock_spec, "--dynamic", "--seed", DYNAMIC_SEED)


@pytest.fixture(params=["static", "dynamic"])
def prism_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"prism_{request.param}")
    return url
