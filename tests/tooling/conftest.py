"""Fixtures for the tooling tests; the helpers live in ``helpers.py``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.tooling import helpers  # noqa: F401 - puts scripts/ on sys.path first


@pytest.fixture
def write_spec(tmp_path: Path) -> Any:
    """Write a document as YAML under tmp_path and return the path."""

    def write(doc: dict[str, Any], name: str) -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        return path

    return write
