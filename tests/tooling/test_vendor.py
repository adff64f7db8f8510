"""scripts/vendor.py: a renamed copy that lives beside the original, and its updates."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import vendor

from tests.tooling.helpers import ROOT

ORIGINALS = {"kodexa_platform_client", "kodexa_platform"}
MAPPING = {"kodexa_platform_client": "acme._k", "kodexa_platform": "acme._k.wrapper"}


def _vendor(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = vendor.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


# -- rewriting --------------------------------------------------------------------------------


def test_every_form_of_import_is_rewritten() -> None:
    source = textwrap.dedent(
        '''\
        """Use :mod:`kodexa_platform` (héllo kodexa_platform_client)."""
        import kodexa_platform_client
        import kodexa_platform_client.models as m
        import kodexa_platform_client.api.users
        from kodexa_platform_client.models import (
            Membership,  # kodexa_platform_client's model
        )
        from kodexa_platform import Kodexa
        from kodexa_platform.testing import SandboxServer
        from . import sibling
        import kodexa_platform_clientele  # not ours
        x = kodexa_platform_client.Client
        é = "ü"  # ünïcode before kodexa_platform
        logger = "kodexa_platform"
        package = 'kodexa_platform.testing'
        prose = "see kodexa_platform docs"
        f = f"{kodexa_platform_client.Client} kodexa_platform"
        dist = "kodexa-platform"
        '''
    )
    assert vendor.rewrite_source(source, MAPPING) == textwrap.dedent(
        '''\
        """Use :mod:`acme._k.wrapper` (héllo acme._k)."""
        import acme._k
        import acme._k.models as m
        import acme._k.api.users
        from acme._k.models import (
            Membership,  # acme._k's model
        )
        from acme._k.wrapper import Kodexa
        from acme._k.wrapper.testing import SandboxServer
        from . import sibling
        import kodexa_platform_clientele  # not ours
        x = acme._k.Client
        é = "ü"  # ünïcode before acme._k.wrapper
        logger = "acme._k.wrapper"
        package = 'acme._k.wrapper.testing'
        prose = "see kodexa_platform docs"
        f = f"{acme._k.Client} kodexa_platform"
        dist = "kodexa-platform"
        '''
    )


def test_code_without_references_is_left_byte_for_byte() -> None:
    source = "from .client import Client\n\n\ndef f(x):  # a comment\n    return x\n"
    assert vendor.rewrite_source(source, MAPPING) == source


# -- a vendored copy beside the original ------------------------------------------------------

SIDE_BY_SIDE = """
import importlib.resources
import logging
import sys

import httpx

sys.path.insert(0, sys.argv[1])

import acme_sdk._kodexa as vgen
from acme_sdk._kodexa import models as vmodels
from acme_sdk._kodexa.api.organizations import get_organization as vget
import acme_sdk._kodexa.wrapper as vwrap
from acme_sdk._kodexa.wrapper.testing import SandboxServer as VendoredSandbox

# The copy stands alone: importing it pulled in nothing of the original.
ORIGINALS = ("kodexa_platform", "kodexa_platform_client")
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ORIGINALS)
assert not leaked, leaked

import kodexa_platform as owrap
import kodexa_platform_client as ogen
from kodexa_platform_client import models as omodels
from kodexa_platform.testing import SandboxServer

assert vgen.__file__.startswith(sys.argv[1]) and not ogen.__file__.startswith(sys.argv[1])
for vendored, original in [
    (vgen.Client, ogen.Client),
    (vmodels.Organization, omodels.Organization),
    (vmodels.Membership, omodels.Membership),
    (vwrap.Kodexa, owrap.Kodexa),
    (vwrap.NotFoundError, owrap.NotFoundError),
]:
    assert vendored is not original, vendored
    assert vendored.__module__.startswith("acme_sdk._kodexa"), vendored.__module__
assert importlib.resources.files("acme_sdk._kodexa").joinpath("openapi.json").is_file()
assert logging.getLogger("acme_sdk._kodexa.wrapper") is not logging.getLogger("kodexa_platform")

ORG = {"id": "o-1", "name": "Acme", "slug": "acme"}


def answer(request):
    if request.url.path == "/api/organizations/o-1":
        return httpx.Response(200, json=ORG)
    return httpx.Response(404, json={"message": "not here"})


mock = httpx.MockTransport(answer)
base = "http://127.0.0.1:9"  # never dialled: the mock transport answers

# The generated layer of the copy, on a mock transport.
client = vgen.Client(base_url=base, httpx_args={"transport": mock})
org = vget.sync("o-1", client=client)
assert type(org) is vmodels.Organization and org.slug == "acme", org
assert not isinstance(org, omodels.Organization)

# The wrapper of the copy, on the same mock: its models and its exceptions.
mocked = httpx.Client(transport=mock)
with vwrap.Kodexa(api_key="k", base_url=base, http_client=mocked, environ={}) as k:
    assert type(k.organizations.get("o-1")) is vmodels.Organization
    try:
        k.organizations.get("o-2")
    except owrap.NotFoundError:
        raise AssertionError("the copy raised the original's exception")
    except vwrap.NotFoundError:
        pass
    else:
        raise AssertionError("no error for a 404")

# Both clients against the original's sandbox, and both against the copy's sandbox.
for Sandbox in (SandboxServer, VendoredSandbox):
    with Sandbox() as server:
        settings = dict(api_key=server.api_key, base_url=server.base_url, environ={})
        with owrap.Kodexa(**settings) as original, vwrap.Kodexa(**settings) as copy:
            made = original.organizations.create({"name": "Acme", "slug": "acme"})
            seen = copy.organizations.get(made.id)
            assert type(seen) is vmodels.Organization and seen.slug == "acme"
            member = copy.memberships.create(
                {"organizationId": made.id, "userId": "u-1", "role": "OWNER"}
            )
            assert type(member) is vmodels.Membership
            (listed,) = original.users.memberships("u-1")
            assert type(listed) is omodels.Membership and listed.id == member.id
print("side by side: ok")
"""


@pytest.fixture(scope="module")
def vendored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real generated client and wrapper, vendored as ``acme_sdk._kodexa``."""
    into = tmp_path_factory.mktemp("site")
    assert (
        vendor.main(["--into", str(into), "--package", "acme_sdk._kodexa", "--with-wrapper"]) == 0
    )
    return into


def test_the_copy_works_beside_the_original(vendored: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SIDE_BY_SIDE, str(vendored)],
        capture_output=True,
        text=True,
        check=False,
        cwd=vendored,
        timeout=60,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "side by side: ok" in result.stdout


def test_no_reference_to_the_originals_remains(vendored: Path) -> None:
    package = vendored / "acme_sdk" / "_kodexa"
    files = sorted(package.rglob("*.py"))
    assert len(files) > 30
    assert (package / "wrapper" / "_client.py") in files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert vendor.stale_imports(text, ORIGINALS) == [], path
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Name):
                assert node.id not in ORIGINALS, (path, node.lineno)
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert node.value.split(".")[0] not in ORIGINALS, (path, node.lineno)


def test_the_record_names_its_sources_and_no_machine(vendored: Path) -> None:
    package = vendored / "acme_sdk" / "_kodexa"
    record = (package / "VENDORED.txt").read_text(encoding="utf-8")
    stamp = (ROOT / "generated" / "kodexa-platform-client" / "GENERATED_FROM.txt").read_text(
        encoding="utf-8"
    )
    assert (package / "GENERATED_FROM.txt").read_text(encoding="utf-8") == stamp
    for line in stamp.splitlines():
        if not line.startswith("#"):
            assert line in record  # spec hash, generator version
    assert "package: acme_sdk._kodexa\n" in record
    assert "wrapper: kodexa_platform " in record
    assert "source commit: " in record
    assert "requires: httpx" in record
    assert "stamina" in record
    assert str(vendored) not in record
    assert str(ROOT) not in record
    hashes = vendor.recorded_hashes(package / "VENDORED.txt")
    assert set(hashes) == set(_tree(package)) - {"VENDORED.txt"}


# -- re-running -------------------------------------------------------------------------------


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the files vendor.py reads, to change without touching the real ones."""
    root = tmp_path / "checkout"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "generated", root / "generated", ignore=ignore)
    shutil.copytree(
        ROOT / "src" / "kodexa_platform", root / "src" / "kodexa_platform", ignore=ignore
    )
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_rerunning_changes_nothing_and_is_reproducible(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["--package", "acme", "--with-wrapper"]
    assert _vendor(capsys, "--into", tmp_path / "a", *args)[0] == 0
    first = _tree(tmp_path / "a")
    code, out = _vendor(capsys, "--into", tmp_path / "a", *args)
    assert code == 0
    assert "acme in" in out
    assert "up to date" in out
    assert _tree(tmp_path / "a") == first
    assert _vendor(capsys, "--into", tmp_path / "b", *args)[0] == 0
    assert _tree(tmp_path / "b") == first  # no date, no path: the same bytes anywhere
    assert _vendor(capsys, "--into", tmp_path / "a", *args, "--check")[0] == 0


def test_an_update_reports_what_changed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, checkout: Path
) -> None:
    into = tmp_path / "site"
    args = ["--into", into, "--package", "acme", "--source", checkout]
    assert _vendor(capsys, *args)[0] == 0
    generated = checkout / "generated" / "kodexa-platform-client" / "kodexa_platform_client"
    with (generated / "models" / "organization.py").open("a", encoding="utf-8") as file:
        file.write("# a regenerated line\n")
    (generated / "extra.py").write_text("from kodexa_platform_client import types\n", "utf-8")
    (generated / "errors.py").unlink()

    code, out = _vendor(capsys, *args, "--check")
    assert code == 1
    assert not (into / "acme" / "extra.py").exists()  # --check writes nothing

    code, out = _vendor(capsys, *args, "--diff")
    assert code == 0, out
    assert "3 file(s) differ" in out
    assert "changed  models/organization.py (+1 -0)" in out
    assert "added    extra.py (+1 -0)" in out
    assert "removed  errors.py (+0 -" in out
    assert "+from acme import types" in out  # --diff shows the rewritten lines
    assert (into / "acme" / "extra.py").read_text("utf-8") == "from acme import types\n"
    assert not (into / "acme" / "errors.py").exists()
    assert _vendor(capsys, *args, "--check")[0] == 0


def test_adding_the_wrapper_later_is_an_update(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert _vendor(capsys, "--into", tmp_path, "--package", "acme")[0] == 0
    assert not (tmp_path / "acme" / "wrapper").exists()
    code, out = _vendor(capsys, "--into", tmp_path, "--package", "acme", "--with-wrapper")
    assert code == 0
    assert "added    wrapper/_client.py" in out
    assert (tmp_path / "acme" / "wrapper" / "__init__.py").is_file()


def test_a_directory_that_was_not_vendored_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "precious.py").write_text("x = 1\n", encoding="utf-8")
    code, out = _vendor(capsys, "--into", tmp_path, "--package", "acme")
    assert code == 1
    assert "not an earlier vendoring" in out
    assert (tmp_path / "acme" / "precious.py").exists()
    code, out = _vendor(capsys, "--into", tmp_path, "--package", "acme", "--force")
    assert code == 0
    assert "removed  precious.py" in out
    assert (tmp_path / "acme" / "VENDORED.txt").is_file()


def test_local_edits_are_refused_unless_forced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ["--into", tmp_path, "--package", "acme"]
    assert _vendor(capsys, *args)[0] == 0
    types = tmp_path / "acme" / "types.py"
    original = types.read_bytes()
    types.write_bytes(original + b"# patched by hand\n")
    (tmp_path / "acme" / "mine.py").write_text("", encoding="utf-8")
    (tmp_path / "acme" / "errors.py").unlink()
    code, out = _vendor(capsys, *args)
    assert code == 1
    assert "edited: types.py" in out
    assert "added: mine.py" in out
    assert "deleted: errors.py" in out
    code, out = _vendor(capsys, *args, "--force")
    assert code == 0
    assert types.read_bytes() == original
    assert not (tmp_path / "acme" / "mine.py").exists()


@pytest.mark.parametrize(
    "name", ["1acme", "acme-sdk", "class", "acme..x", "kodexa_platform_client", "kodexa_platform.x"]
)
def test_bad_package_names_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    code, out = _vendor(capsys, "--into", tmp_path, "--package", name)
    assert code == 1
    assert "--package" in out
    assert list(tmp_path.iterdir()) == []
