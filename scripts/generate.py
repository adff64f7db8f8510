"""Regenerate the client in ``generated/`` from ``openapi.yaml``, or check that it is current.

    python scripts/generate.py           # rewrite generated/kodexa-platform-client
    python scripts/generate.py --check   # exit 1, with a diff, if it has drifted from the spec

The generator writes into a scratch directory first, so a failed run never leaves a
half-written client behind. Besides the generator's own output, two files are added:

* ``kodexa_platform_client/openapi.json`` - the spec the client was made from, so the
  package (installed or vendored) can validate what the server sends;
* ``GENERATED_FROM.txt`` - a stamp naming the inputs by hash and the tools by version.

The generator's own templates are used, except for the few in ``templates/`` (passed with
``--custom-template-path``), which make ``from_dict`` parse without per-call closures and
imports; each says at its top what it changes.
"""

from __future__ import annotations

import argparse
import difflib
import filecmp
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "generator-config.yaml"
TEMPLATES = ROOT / "templates"
OUTPUT = ROOT / "generated" / "kodexa-platform-client"
PACKAGE = "kodexa_platform_client"
STAMP = "GENERATED_FROM.txt"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _templates_sha256() -> str:
    """One hash over the custom templates: their paths (relative, sorted) and their bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in TEMPLATES.rglob("*") if p.is_file()):
        digest.update(path.relative_to(TEMPLATES).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _stamp() -> str:
    return (
        "# Written by scripts/generate.py; do not edit. Regenerate with `make generate`.\n"
        f"openapi.yaml sha256: {_sha256(SPEC)}\n"
        f"generator-config.yaml sha256: {_sha256(CONFIG)}\n"
        f"templates/ sha256: {_templates_sha256()}\n"
        f"openapi-python-client: {version('openapi-python-client')}\n"
        f"ruff: {version('ruff')}\n"
    )


def generate_into(target: Path, spec: Path = SPEC, templates: Path | None = TEMPLATES) -> None:
    """Write a complete generated client for ``spec`` at ``target`` (which must not exist)."""
    env = dict(os.environ)
    # The generator's post-hooks call `ruff`; it must be the pinned one from this environment,
    # or formatting (and so the bytes of the output) would depend on the machine.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["RUFF_NO_CACHE"] = "true"  # a cache directory would land inside the output
    command = [
        sys.executable,
        "-m",
        "openapi_python_client",
        "generate",
        "--path",
        str(spec),
        "--config",
        str(CONFIG),
        "--output-path",
        str(target),
        "--meta",
        "uv",
        "--fail-on-warning",
    ]
    if templates is not None:
        command += ["--custom-template-path", str(templates)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not target.is_dir():
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"openapi-python-client failed (exit {result.returncode})")
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    (target / PACKAGE / "openapi.json").write_text(
        json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (target / STAMP).write_text(_stamp(), encoding="utf-8")


def _files(tree: Path) -> set[str]:
    return {
        p.relative_to(tree).as_posix()
        for p in tree.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def compare(expected: Path, actual: Path) -> list[str]:
    """Describe every difference between two trees; empty when they match byte for byte."""
    problems: list[str] = []
    want, have = _files(expected), _files(actual)
    problems += [f"missing from generated/: {name}" for name in sorted(want - have)]
    problems += [f"not produced by the generator: {name}" for name in sorted(have - want)]
    for name in sorted(want & have):
        if filecmp.cmp(expected / name, actual / name, shallow=False):
            continue
        diff = difflib.unified_diff(
            (actual / name).read_text(encoding="utf-8").splitlines(keepends=True),
            (expected / name).read_text(encoding="utf-8").splitlines(keepends=True),
            fromfile=f"generated/{name}",
            tofile=f"regenerated/{name}",
        )
        problems.append("".join(diff))
    return problems


def _sync(source: Path, target: Path) -> None:
    """Make ``target`` a copy of ``source``, touching only files whose bytes differ.

    Unchanged files keep their modification times, so `make` does not take a regeneration
    that changed nothing as a reason to reinstall the environment.
    """
    want, have = _files(source), _files(target) if target.is_dir() else set()
    for name in sorted(have - want):
        (target / name).unlink()
    for name in sorted(want):
        destination = target / name
        if name in have and filecmp.cmp(source / name, destination, shallow=False):
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, destination)
    for directory in sorted(target.rglob("*"), reverse=True):  # deepest first
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--check", action="store_true", help="compare instead of writing; exit 1 on drift"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / OUTPUT.name
        generate_into(fresh)
        if args.check:
            problems = compare(fresh, OUTPUT) if OUTPUT.is_dir() else ["generated/ is missing"]
            if problems:
                sys.stderr.write("\n".join(problems) + "\n")
                sys.stderr.write("generated/ does not match openapi.yaml: run `make generate`\n")
                return 1
            print("generated/ matches openapi.yaml")
            return 0
        _sync(fresh, OUTPUT)
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
