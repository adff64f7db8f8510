"""Both distributions build (wheel and sdist) and install from files alone into a fresh venv.

The builds are isolated (``python -m build`` without ``--no-isolation``): each gets a clean
environment holding exactly the backend its pyproject.toml declares (hatchling for the wrapper,
uv_build for the generated client), as on a user's machine or a release job. The backends come
from the package registry on the first run and from pip's cache after that; ``--no-isolation``
would need both backends in the dev environment, pinned nowhere, and would test whatever
version happened to be there.

The install is offline: the runtime dependencies are repacked as wheels from the distributions
already installed in the test's environment (same versions, same files), so the new venv sees
nothing but the two built packages and those wheels, with ``--no-index`` and no pip config.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.tooling.helpers import ROOT

pytestmark = pytest.mark.slow

WRAPPER_FILES = ("pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE", "src/kodexa_platform")


def _run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(c) for c in command],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _stage(tmp: Path) -> tuple[Path, Path]:
    """Copies of the two projects holding only what a release builds from.

    Building in place would also pack whatever untracked files lie in the working tree.
    """
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    client = tmp / "client"
    shutil.copytree(ROOT / "generated" / "kodexa-platform-client", client, ignore=ignore)
    wrapper = tmp / "wrapper"
    for name in WRAPPER_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, wrapper / name, ignore=ignore)
        elif source.is_file():
            (wrapper / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, wrapper / name)
    return client, wrapper


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def _repack(dist: metadata.Distribution, into: Path) -> Path:
    """A wheel of an installed distribution, made from its RECORD."""
    files = [f for f in dist.files or [] if not str(f).startswith("..")]
    info_dir = next(f.parts[0] for f in files if f.name == "METADATA")
    wheel_meta = dist.read_text("WHEEL") or ""
    tag = re.search(r"^Tag: (\S+)$", wheel_meta, re.MULTILINE)
    assert tag is not None, f"{dist.metadata['Name']} has no wheel tag"
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"]).lower()
    target = into / f"{name}-{dist.version}-{tag.group(1)}.whl"
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in files:
            path = str(file)
            skip = ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")
            if "__pycache__" in file.parts or (file.parts[0] == info_dir and file.name in skip):
                continue
            data = Path(str(dist.locate_file(file))).read_bytes()
            wheel.writestr(path, data)
            writer.writerow([path, _record_hash(data), len(data)])
        writer.writerow([f"{info_dir}/RECORD", "", ""])
        wheel.writestr(f"{info_dir}/RECORD", record.getvalue())
    return target


def _dependency_closure(requirements: list[str], exclude: set[str]) -> list[metadata.Distribution]:
    seen: dict[str, metadata.Distribution] = {}
    pending = [Requirement(r) for r in requirements]
    while pending:
        requirement = pending.pop()
        key = re.sub(r"[-_.]+", "-", requirement.name).lower()
        if key in exclude or key in seen:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        dist = metadata.distribution(requirement.name)
        assert requirement.specifier.contains(dist.version, prereleases=True), requirement
        seen[key] = dist
        pending += [Requirement(r) for r in dist.requires or []]
    return list(seen.values())


def _wheel_metadata(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return archive.read(name).decode("utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("build")
    dist = tmp / "dist"
    for project in _stage(tmp):
        _run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", dist, project)
    return dist


def test_both_distributions_build_with_typed_packages(built: Path) -> None:
    wheels = sorted(p.name for p in built.glob("*.whl"))
    sdists = sorted(p.name for p in built.glob("*.tar.gz"))
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert wheels == [
        f"kodexa_platform-{version}-py3-none-any.whl",
        f"kodexa_platform_client-{version}-py3-none-any.whl",
    ]
    assert len(sdists) == 2
    for wheel in built.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            package = wheel.name.split("-")[0]
            assert f"{package}/py.typed" in archive.namelist(), wheel.name
            if package == "kodexa_platform_client":
                # The wrapper validates bodies against the spec shipped in the client.
                assert f"{package}/openapi.json" in archive.namelist()
    for sdist in built.glob("*.tar.gz"):
        with tarfile.open(sdist) as archive:
            assert any(n.endswith("/py.typed") for n in archive.getnames()), sdist.name


def test_metadata_names_real_dependencies_and_python(built: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    client = _wheel_metadata(next(built.glob("kodexa_platform_client-*.whl")))
    wrapper = _wheel_metadata(next(built.glob("kodexa_platform-*.whl")))
    for text in (client, wrapper):
        assert re.search(r"^Requires-Python: >=3\.\d+$", text, re.MULTILINE)
    client_needs = re.findall(r"^Requires-Dist: ([\w-]+)", client, re.MULTILINE)
    assert sorted(client_needs) == ["attrs", "httpx"]
    assert f"Requires-Dist: kodexa-platform-client=={version}" in wrapper


def test_install_from_files_into_a_fresh_venv(built: Path, tmp_path: Path) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    needs: list[str] = []
    for wheel in built.glob("*.whl"):
        needs += re.findall(r"^Requires-Dist: (.+)$", _wheel_metadata(wheel), re.MULTILINE)
    for dist in _dependency_closure(needs, exclude={"kodexa-platform", "kodexa-platform-client"}):
        _repack(dist, wheelhouse)

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    # No index and no pip configuration of this machine: files are all pip may use.
    env = {
        **os.environ,
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    env.pop("PYTHONPATH", None)
    _run(
        python, "-m", "pip", "install", "--quiet", "--find-links", built,
        "--find-links", wheelhouse, "kodexa-platform", env=env,
    )  # fmt: skip
    _run(python, "-m", "pip", "check", env=env)
    probe = """
import importlib.metadata, importlib.resources, json, sys
import httpx
import kodexa_platform, kodexa_platform_client
from kodexa_platform import Kodexa

for module in (kodexa_platform, kodexa_platform_client):
    assert module.__file__.startswith(sys.prefix), module.__file__
typed = [importlib.resources.files(p).joinpath("py.typed").is_file()
         for p in ("kodexa_platform", "kodexa_platform_client")]

def answer(request):
    return httpx.Response(200, json={"id": "o-1", "name": "Acme", "slug": "acme"})

http = httpx.Client(transport=httpx.MockTransport(answer))
with Kodexa(api_key="k", base_url="http://127.0.0.1:9", http_client=http, environ={}) as k:
    slug = k.organizations.get("o-1").slug  # checked against the packaged openapi.json
print(json.dumps({"typed": typed, "slug": slug,
                  "version": importlib.metadata.version("kodexa-platform")}))
"""
    out = json.loads(_run(python, "-c", probe, cwd=tmp_path, env=env))
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert out == {"typed": [True, True], "slug": "acme", "version": version}
