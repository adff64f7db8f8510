"""Helpers for the tests of scripts/diff.py and scripts/vendor.py.

Spec variants are not copies of the 700-line spec: each file under ``specs/`` lists a few
edits (JSON pointers into ``openapi.yaml``) that the tests apply to the real spec at run time,
so the variants follow the spec as it evolves.
"""

from __future__ import annotations

import copy
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts"
SPECS = Path(__file__).resolve().parent / "specs"

# The scripts import their siblings by plain name, as they do when run as `python scripts/x.py`.
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))


@cache
def _real_spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    return loaded


def real_spec() -> dict[str, Any]:
    """A fresh copy of the working tree's openapi.yaml, parsed."""
    return copy.deepcopy(_real_spec())


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


def apply_edits(doc: dict[str, Any], edits: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply ``{set: POINTER, value: V}`` and ``{remove: POINTER}`` edits to ``doc`` in place."""
    for edit in edits:
        pointer = edit.get("set", edit.get("remove"))
        assert isinstance(pointer, str), f"bad edit {edit}"
        *parents, last = _parts(pointer)
        node: Any = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if "remove" in edit:
            del node[int(last) if isinstance(node, list) else last]
        elif isinstance(node, list):
            if last == "-":
                node.append(copy.deepcopy(edit["value"]))
            else:
                node[int(last)] = copy.deepcopy(edit["value"])
        else:
            node[last] = copy.deepcopy(edit["value"])
    return doc


def load_variant(name: str) -> dict[str, Any]:
    variant: dict[str, Any] = yaml.safe_load((SPECS / name).read_text(encoding="utf-8"))
    return variant


def variant_docs(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (old, new) documents a variant describes: ``base`` edits go into both."""
    variant = load_variant(name)
    old = apply_edits(real_spec(), variant.get("base", []))
    new = apply_edits(copy.deepcopy(old), variant["edits"])
    return old, new


def with_version(doc: dict[str, Any], version: str) -> dict[str, Any]:
    doc["info"]["version"] = version
    return doc
