"""scripts/diff.py end to end: the report, the version rule and the exit status."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import diff
import pytest
import yaml

from tests.tooling.helpers import ROOT, real_spec, variant_docs, with_version

GIT = shutil.which("git")


def _pair(write_spec: Any, name: str | None, old: str, new: str) -> tuple[Path, Path]:
    before, after = variant_docs(name) if name else (real_spec(), real_spec())
    return (
        write_spec(with_version(before, old), "old.yaml"),
        write_spec(with_version(after, new), "new.yaml"),
    )


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = diff.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize(
    ("variant", "new_version", "expected"),
    [
        (None, "1.0.0", 0),  # nothing changed, nothing to bump
        ("doc-only.yaml", "1.0.0", 1),  # any change needs a bump
        ("doc-only.yaml", "1.0.1", 0),
        ("add-optional-field.yaml", "1.0.0", 1),
        ("add-optional-field.yaml", "1.0.1", 1),  # an addition is minor, not patch
        ("add-optional-field.yaml", "1.1.0", 0),
        ("add-endpoint.yaml", "2.0.0", 0),  # more than needed is allowed
        ("remove-field.yaml", "1.0.0", 1),
        ("remove-field.yaml", "1.1.0", 1),  # breaking needs the major
        ("remove-field.yaml", "2.0.0", 0),
        ("param-required.yaml", "1.1.0", 1),
        ("type-change.yaml", "1.0.0", 1),
        ("type-change.yaml", "2.0.0", 0),
    ],
)
def test_exit_status_follows_the_version_rule(
    capsys: pytest.CaptureFixture[str],
    write_spec: Any,
    variant: str | None,
    new_version: str,
    expected: int,
) -> None:
    old, new = _pair(write_spec, variant, "1.0.0", new_version)
    code, out = _run(capsys, "--old", old, "--new", new, "--no-api")
    assert code == expected, out
    assert ("FAIL:" in out) is (expected == 1)


def test_breaking_change_without_a_major_bump_says_what_to_do(
    capsys: pytest.CaptureFixture[str], write_spec: Any
) -> None:
    old, new = _pair(write_spec, "remove-field.yaml", "1.4.2", "1.5.0")
    code, out = _run(capsys, "--old", old, "--new", new, "--no-api")
    assert code == 1
    assert "BREAKING   Membership.userId: field removed" in out
    assert (
        "FAIL: the changes need a major bump but info.version 1.4.2 -> 1.5.0 is a minor bump" in out
    )
    assert "Fix: set info.version in openapi.yaml to 2.0.0" in out


def test_the_report_ends_with_a_changelog_entry(
    capsys: pytest.CaptureFixture[str], write_spec: Any
) -> None:
    old, new = _pair(write_spec, "remove-field.yaml", "1.0.0", "2.0.0")
    code, out = _run(capsys, "--old", old, "--new", new, "--no-api")
    assert code == 0
    entry = out.split("CHANGELOG.md entry", 1)[1]
    assert "## [2.0.0] - " in entry
    assert "### Removed" in entry
    assert "- **Breaking:** `Membership.userId`: field removed" in entry


def test_a_version_going_backwards_fails(
    capsys: pytest.CaptureFixture[str], write_spec: Any
) -> None:
    old, new = _pair(write_spec, None, "1.2.0", "1.1.9")
    code, out = _run(capsys, "--old", old, "--new", new, "--no-api")
    assert code == 1
    assert "went backwards" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("info: {version: v1}\npaths: {}\n", "is not MAJOR.MINOR.PATCH"),
        ("- not\n- a spec\n", "is not an OpenAPI document"),
        ("key: [unclosed\n", "is not YAML"),
    ],
)
def test_broken_input_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(content, encoding="utf-8")
    code, out = _run(capsys, "--old", broken, "--new", broken, "--no-api")
    assert code == 2
    assert message in out


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out = _run(capsys, "--old", tmp_path / "nope.yaml", "--no-api")
    assert code == 2
    assert "cannot read" in out


def test_base_and_old_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        diff.main(["--base", "HEAD", "--old", "x.yaml"])
    assert exited.value.code == 2
    capsys.readouterr()


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ((1, 0, 0), (1, 0, 0), "none"),
        ((1, 0, 0), (1, 0, 1), "patch"),
        ((1, 0, 9), (1, 1, 0), "minor"),
        ((1, 9, 9), (2, 0, 0), "major"),
        ((2, 0, 0), (1, 9, 9), "backwards"),
    ],
)
def test_bump_between(old: Any, new: Any, bump: str) -> None:
    assert diff.bump_between(old, new) == bump


def test_next_version() -> None:
    assert diff.next_version((1, 2, 3), "major") == "2.0.0"
    assert diff.next_version((1, 2, 3), "minor") == "1.3.0"
    assert diff.next_version((1, 2, 3), "patch") == "1.2.4"


def _project(tmp: Path, spec: dict[str, Any], config_version: str, pin: str) -> Path:
    (tmp / "openapi.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    (tmp / "generator-config.yaml").write_text(
        f"package_version_override: {config_version}\n", encoding="utf-8"
    )
    (tmp / "pyproject.toml").write_text(
        f'[project]\nname = "kodexa-platform"\nversion = "{spec["info"]["version"]}"\n'
        f'dependencies = ["kodexa-platform-client=={pin}", "httpx"]\n',
        encoding="utf-8",
    )
    return tmp / "openapi.yaml"


def test_package_versions_must_follow_info_version(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    write_spec: Any,
) -> None:
    before, after = variant_docs("add-optional-field.yaml")
    old = write_spec(with_version(before, "1.0.0"), "old.yaml")
    project = tmp_path / "project"
    project.mkdir()
    spec = _project(project, with_version(after, "1.1.0"), "1.0.0", "1.0.0")
    monkeypatch.setattr(diff, "ROOT", project)
    monkeypatch.setattr(diff, "SPEC", spec)

    code, out = _run(capsys, "--old", old, "--no-api")
    assert code == 1
    assert "FAIL: generator-config.yaml package_version_override is 1.0.0" in out
    assert "FAIL: pyproject.toml pins ['kodexa-platform-client==1.0.0']" in out

    _project(project, with_version(after, "1.1.0"), "1.1.0", "1.1.0")
    code, out = _run(capsys, "--old", old, "--no-api")
    assert code == 0, out


def test_runs_as_a_script(tmp_path: Path, write_spec: Any) -> None:
    old, new = _pair(write_spec, "add-optional-field.yaml", "1.0.0", "1.1.0")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "diff.py"), "--old", old, "--new", new, "--no-api"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "COMPATIBLE Membership.nickname: optional field added" in result.stdout


@pytest.mark.slow
def test_griffe_reports_the_python_api_breakages(
    capsys: pytest.CaptureFixture[str], write_spec: Any
) -> None:
    old, new = _pair(write_spec, "remove-endpoint.yaml", "1.0.0", "1.1.0")
    code, out = _run(capsys, "--old", old, "--new", new)
    assert code == 1
    assert "Python API of kodexa_platform_client (griffe): 1 breaking" in out
    assert (
        "kodexa_platform_client.api.organizations.suspend_organization: public object was removed"
        in out
    )
    # The wrapper imports the removed function: griffe's public-API check alone misses that.
    assert "kodexa_platform._calls.suspend_organization: imports" in out


@pytest.mark.slow
def test_griffe_sees_a_parameter_made_required(
    capsys: pytest.CaptureFixture[str], write_spec: Any
) -> None:
    old, new = _pair(write_spec, "param-required.yaml", "1.0.0", "2.0.0")
    code, out = _run(capsys, "--old", old, "--new", new)
    assert code == 0, out
    assert "delete_membership.sync: parameter is now required (force)" in out


@pytest.mark.slow
def test_an_added_optional_field_breaks_no_python_api(
    capsys: pytest.CaptureFixture[str], write_spec: Any
) -> None:
    old, new = _pair(write_spec, "add-optional-field.yaml", "1.0.0", "1.1.0")
    code, out = _run(capsys, "--old", old, "--new", new)
    assert code == 0, out
    assert "Python API of kodexa_platform_client (griffe): none" in out
    assert "Python API of kodexa_platform (griffe): none" in out


def _git(cwd: Path, *args: str) -> str:
    assert GIT is not None
    result = subprocess.run(
        [
            GIT,
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.skipif(GIT is None, reason="needs git")
def test_the_default_base_is_the_last_release_tag(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "openapi.yaml").write_text("one\n", encoding="utf-8")
    _git(tmp_path, "add", "openapi.yaml")
    _git(tmp_path, "commit", "-q", "-m", "one")
    monkeypatch.setattr(diff, "ROOT", tmp_path)
    assert diff.default_base() == "HEAD"  # nothing released yet
    _git(tmp_path, "tag", "v1.0.0")
    (tmp_path / "openapi.yaml").write_text("two\n", encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "two")
    _git(tmp_path, "tag", "not-a-release")
    assert diff.default_base() == "v1.0.0"
    assert diff.spec_at(diff.default_base()) == "one\n"
    with pytest.raises(diff.UsageError, match=r"no openapi\.yaml at nope"):
        diff.spec_at("nope")


@pytest.mark.slow
@pytest.mark.skipif(GIT is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_compares_with_a_git_ref_and_its_wrapper(
    capsys: pytest.CaptureFixture[str], write_spec: Any
) -> None:
    committed = yaml.safe_load(_git(ROOT, "show", "HEAD:openapi.yaml"))
    version = diff.parse_version(committed["info"]["version"])
    committed["components"]["schemas"]["Membership"]["properties"]["nickname"] = {"type": "string"}
    new = write_spec(with_version(committed, diff.next_version(version, "minor")), "new.yaml")
    code, out = _run(capsys, "--base", "HEAD", "--new", new)
    assert out.startswith("old: openapi.yaml at HEAD")
    assert "COMPATIBLE Membership.nickname: optional field added" in out
    assert "Python API of kodexa_platform (griffe):" in out
    assert "has no src/kodexa_platform" not in out
    # The wrapper may have changed since HEAD in the working tree; only the spec is pinned.
    assert code in (0, 1)


def _wrapper(root: Path, source: str) -> Path:
    package = root / "kodexa_platform"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return root


def test_wrapper_breakages_and_dangling_imports_are_found(tmp_path: Path) -> None:
    generated = ROOT / "generated" / "kodexa-platform-client"
    old = _wrapper(
        tmp_path / "old",
        """
        from kodexa_platform_client import Client

        def hello(name, greeting="hi"):
            return Client
        """,
    )
    new = _wrapper(
        tmp_path / "new",
        """
        from kodexa_platform_client import Client
        from kodexa_platform_client.api.gone import nothing

        def hello(name):
            return Client
        """,
    )
    report = diff.api_breakages([old, generated], [new, generated], "kodexa_platform")
    assert report.skipped is None
    assert report.breakages == ["kodexa_platform.hello: parameter was removed (greeting)"]
    assert report.dangling == [
        "kodexa_platform.nothing: imports kodexa_platform_client.api.gone.nothing, which the "
        "new client lacks (the wrapper must change)"
    ]
    entry = diff.changelog_entry("2.0.0", [], [report])
    assert "- **Breaking:** `kodexa_platform.hello: parameter was removed (greeting)`." in entry
    assert "api.gone" not in entry  # work to do before the release, not news for users
