"""Report what changed in the API since a release, and whether the version says so.

    python scripts/diff.py                    # openapi.yaml against the last release tag
    python scripts/diff.py --base HEAD~3      # ... against any git ref
    python scripts/diff.py --old a.yaml --new b.yaml

It prints, in one list, (1) the spec-level changes: endpoints, parameters, request and
response fields, types, formats, required-ness, enum values and status codes, each marked
BREAKING, COMPATIBLE or DOC from a client's point of view (rules in ``scripts/_specdiff.py``);
(2) the Python API breakages that griffe finds between the clients generated from the two
specs, and between the wrapper packages on top of them; (3) the version bump that calls for
and a CHANGELOG entry ready to paste.

The default base is the newest ``v*`` tag reachable from HEAD (the last release), or HEAD
when nothing is tagged yet. The wrapper is taken from the base ref too, so its own API
changes show up; with ``--old FILE`` the working tree's wrapper stands on both sides.

Exit status: 0 when ``info.version`` moved at least as far as the changes ask (major for a
breaking change, minor for any other change a client can see, patch for wording only) and
the packages' versions agree with it; 1 otherwise; 2 on bad arguments or a broken input.

Why the spec differ is written here (``_specdiff.py``) rather than installed: the Python
candidates on PyPI were checked. ``swagger-spec-compatibility`` (Yelp) handles Swagger 2.0
only and was last released in 2021; ``openapispecdiff`` (2022) and ``impoasdiff`` (2023) are
abandoned; the newer ones (``api-schema-diff``, ``schemawatch``, ``breakwatch``,
``contractor-cli``, ``api-governor`` and others) are single-author projects months old.
``api-schema-diff``, the most complete, resolves only ``components/schemas`` and
``components/parameters`` references (this spec puts every response behind
``components/responses``), does not read OpenAPI 3.1's ``type: [string, 'null']`` and does
not tell request fields from response fields, so it would misjudge most changes here. The
maintained diff tools (oasdiff, openapi-diff) are Go and Java programs. Griffe, which the
project already pins, covers the Python side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import griffe
import yaml
from _specdiff import Change, Level, diff

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
WRAPPER = "kodexa_platform"
GENERATED = "kodexa_platform_client"
GENERATED_DIST = "kodexa-platform-client"
BUMPS = ("none", "patch", "minor", "major")


class UsageError(Exception):
    """An input could not be read; exit 2."""


# -- inputs -----------------------------------------------------------------------------------


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise UsageError("git is not installed; pass --old FILE instead of a git ref")
    return subprocess.run([git, *args], cwd=ROOT, capture_output=True, check=False)


def default_base() -> str:
    """The newest release tag reachable from HEAD, or HEAD before the first release."""
    found = _git("describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", "HEAD")
    return found.stdout.decode().strip() if found.returncode == 0 else "HEAD"


def spec_at(ref: str) -> str:
    shown = _git("show", f"{ref}:openapi.yaml")
    if shown.returncode != 0:
        raise UsageError(f"no openapi.yaml at {ref}: {shown.stderr.decode().strip()}")
    return shown.stdout.decode("utf-8")


def wrapper_at(ref: str, into: Path) -> Path | None:
    """Extract the wrapper's sources at ``ref`` under ``into``; None if it had none."""
    archived = _git("archive", "--format=tar", ref, "--", f"src/{WRAPPER}")
    if archived.returncode != 0:
        return None
    with tarfile.open(fileobj=io.BytesIO(archived.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:  # Python < 3.11.4; the archive is git's own output for this repository
            tar.extractall(into)  # noqa: S202
    return into / "src"


def load_spec(text: str, label: str) -> dict[str, Any]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise UsageError(f"{label} is not YAML: {error}") from error
    if not isinstance(document, dict) or "paths" not in document:
        raise UsageError(f"{label} is not an OpenAPI document")
    return document


# -- versions ---------------------------------------------------------------------------------


def parse_version(text: object) -> tuple[int, int, int]:
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", str(text))
    if match is None:
        raise UsageError(f"info.version {text!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def bump_between(old: tuple[int, int, int], new: tuple[int, int, int]) -> str:
    """The bump from ``old`` to ``new``: none, patch, minor, major, or backwards."""
    if new < old:
        return "backwards"
    if new[0] > old[0]:
        return "major"
    if new[1] > old[1]:
        return "minor"
    return "patch" if new[2] > old[2] else "none"


def next_version(old: tuple[int, int, int], bump: str) -> str:
    major, minor, patch = old
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor}.{patch}"


def version_mismatches(spec_version: str) -> list[str]:
    """Where the packages' versions disagree with ``info.version`` (the one source)."""
    problems = []
    config = yaml.safe_load((ROOT / "generator-config.yaml").read_text(encoding="utf-8"))
    override = str(config.get("package_version_override"))
    if override != spec_version:
        problems.append(f"generator-config.yaml package_version_override is {override}")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    if project["version"] != spec_version:
        problems.append(f"pyproject.toml [project].version is {project['version']}")
    pins = [d for d in project["dependencies"] if re.match(rf"{GENERATED_DIST}\b", d)]
    if pins != [f"{GENERATED_DIST}=={spec_version}"]:
        problems.append(f"pyproject.toml pins {pins or 'no'} {GENERATED_DIST}")
    return problems


# -- the Python API ---------------------------------------------------------------------------


@dataclass
class ApiReport:
    package: str
    breakages: list[str] = field(default_factory=list)  # what griffe found
    dangling: list[str] = field(default_factory=list)  # imports the new client cannot serve
    skipped: str | None = None

    def lines(self) -> list[str]:
        return [f"BREAKING   {line}" for line in self.breakages + self.dangling]


def _generate(spec_text: str, into: Path) -> Path:
    import generate  # noqa: PLC0415 - only this step needs the generator

    spec = into.with_suffix(".yaml")
    spec.write_text(spec_text, encoding="utf-8")
    target = into / "kodexa-platform-client"
    try:
        generate.generate_into(target, spec)
    except SystemExit as failure:  # generate.py reports failure that way
        raise UsageError(f"openapi-python-client failed on {spec.name}: {failure}") from failure
    return target


def _describe(breakage: griffe.Breakage) -> str:
    detail = ""
    name = getattr(breakage.old_value, "name", None)
    if isinstance(name, str) and breakage.kind.name.startswith("PARAMETER"):
        detail = f" ({name})"
    return f"{breakage.obj.path}: {breakage.kind.value.lower()}{detail}"


def _load(search: list[Path], package: str) -> Any:
    # One loader per side, so the two versions of a package never share a module cache.
    loader = griffe.GriffeLoader(search_paths=[str(p) for p in search], allow_inspection=False)
    loader.load(GENERATED)
    loaded = loader.load(package)
    loader.resolve_aliases(implicit=False, external=None)
    return loaded


def _dangling(module: Any) -> list[str]:
    """Imports from the generated package that it no longer provides.

    griffe compares public names only, so a wrapper module importing a generated function
    that is gone (which fails at import time) would otherwise pass unnoticed.
    """
    found = []
    pending = [module]
    while pending:
        obj = pending.pop()
        for member in obj.members.values():
            if member.is_alias:
                if member.target_path.split(".")[0] != GENERATED:
                    continue
                try:
                    member.final_target  # noqa: B018 - resolving is the check
                except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                    found.append(
                        f"{member.path}: imports {member.target_path}, which the new client "
                        "lacks (the wrapper must change)"
                    )
            elif member.is_module or member.is_class:
                pending.append(member)
    return found


def api_breakages(old: list[Path], new: list[Path], package: str) -> ApiReport:
    report = ApiReport(package)
    try:
        before, after = _load(old, package), _load(new, package)
        report.breakages = sorted(
            {_describe(b) for b in griffe.find_breaking_changes(before, after)}
        )
        if package != GENERATED:
            report.dangling = sorted(_dangling(after))
    except (ImportError, griffe.GriffeError) as error:
        report.skipped = f"griffe could not load it: {error}"
    return report


# -- the report -------------------------------------------------------------------------------


def changelog_entry(version: str, changes: list[Change], apis: Iterable[ApiReport]) -> str:
    """A Keep a Changelog section for ``version``, grouped the way readers look for things."""
    sections: dict[str, list[str]] = {"Added": [], "Changed": [], "Removed": []}
    docs = 0
    for change in changes:
        if change.level is Level.DOC:
            docs += 1
            continue
        section = {"added": "Added", "removed": "Removed"}.get(change.kind, "Changed")
        mark = "**Breaking:** " if change.level is Level.BREAKING else ""
        sections[section].append(f"- {mark}`{change.where}`: {change.what}.")
    for api in apis:
        # The wrapper's own API; what it re-exports from the client is listed above already,
        # and dangling imports are work to do before the release, not news for its users.
        own = [b for b in api.breakages if api.package == WRAPPER and b.startswith(WRAPPER + ".")]
        sections["Changed"] += [f"- **Breaking:** `{b}`." for b in own]
    if docs:
        plural = "s" if docs != 1 else ""
        sections["Changed"].append(f"- Documentation: {docs} wording change{plural} in the spec.")
    lines = [f"## [{version}] - {dt.date.today().isoformat()}"]
    for title, items in sections.items():
        if items:
            lines += ["", f"### {title}", "", *items]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--base", metavar="REF", help="git ref to compare with (default: last v* tag, else HEAD)"
    )
    source.add_argument("--old", metavar="FILE", type=Path, help="old spec file instead of a ref")
    parser.add_argument("--new", metavar="FILE", type=Path, help="new spec (default: openapi.yaml)")
    parser.add_argument(
        "--no-api", action="store_true", help="skip regenerating both clients and griffe"
    )
    args = parser.parse_args(argv)
    try:
        return run(args)
    except UsageError as error:
        print(f"diff.py: {error}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    ref = None
    if args.old is not None:
        old_text, old_label = _read(args.old), str(args.old)
    else:
        ref = args.base or default_base()
        old_text, old_label = spec_at(ref), f"openapi.yaml at {ref}"
    new_path = args.new or SPEC
    new_text = _read(new_path)
    new_label = str(args.new) if args.new else "openapi.yaml (working tree)"
    old_doc, new_doc = load_spec(old_text, old_label), load_spec(new_text, new_label)
    old_version = parse_version((old_doc.get("info") or {}).get("version"))
    new_version = parse_version((new_doc.get("info") or {}).get("version"))

    changes = diff(old_doc, new_doc)
    print(f"old: {old_label} (info.version {_v(old_version)})")
    print(f"new: {new_label} (info.version {_v(new_version)})")
    print()
    _section("Spec changes", [c.line() for c in changes], _counts(changes))

    apis: list[ApiReport] = []
    if not args.no_api:
        apis = _api_reports(old_text, new_text, ref)
        for api in apis:
            lines = api.lines()
            note = api.skipped or (f"{len(lines)} breaking" if lines else None)
            _section(f"Python API of {api.package} (griffe)", lines, note)

    api_breaking = any(api.lines() for api in apis)
    level = max(
        [c.level for c in changes] + ([Level.BREAKING] if api_breaking else []), default=None
    )
    needed = level.bump if level is not None else "none"
    bumped = bump_between(old_version, new_version)
    problems = []
    if bumped == "backwards":
        problems.append(f"info.version went backwards ({_v(old_version)} -> {_v(new_version)})")
    elif BUMPS.index(bumped) < BUMPS.index(needed):
        problems.append(
            f"the changes need a {needed} bump but info.version {_v(old_version)} -> "
            f"{_v(new_version)} is {'no bump' if bumped == 'none' else 'a ' + bumped + ' bump'}"
        )
    if args.new is None:
        problems += version_mismatches(_v(new_version))

    print(
        f"Verdict: the changes call for a {needed} bump"
        if needed != "none"
        else "Verdict: no change"
    )
    if problems:
        suggested = next_version(old_version, needed) if needed != "none" else _v(new_version)
        for problem in problems:
            print(f"  FAIL: {problem}")
        print(
            f"  Fix: set info.version in openapi.yaml to {suggested}, the same version as "
            "package_version_override in generator-config.yaml and as [project].version and "
            f"the {GENERATED_DIST}== pin in pyproject.toml, then `make generate`."
        )
    else:
        print(f"  OK: info.version {_v(old_version)} -> {_v(new_version)} ({bumped})")
    if changes or api_breaking:
        version = _v(new_version) if not problems else next_version(old_version, needed)
        print()
        print("CHANGELOG.md entry (paste below `## [Unreleased]` and reword it for people):")
        print()
        print(changelog_entry(version, changes, apis))
    return 1 if problems else 0


def _api_reports(old_text: str, new_text: str, ref: str | None) -> list[ApiReport]:
    with tempfile.TemporaryDirectory(prefix="kodexa-diff-") as scratch:
        tmp = Path(scratch)
        new_gen = _generate(new_text, tmp / "new")  # failing here is a broken spec: exit 2
        try:
            old_gen = _generate(old_text, tmp / "old")
        except UsageError as error:
            # An old spec today's generator settings cannot handle: the spec diff still stands.
            return [ApiReport(name, skipped=str(error)) for name in (GENERATED, WRAPPER)]
        reports = [api_breakages([old_gen], [new_gen], GENERATED)]
        new_wrapper = ROOT / "src"
        old_wrapper = new_wrapper if ref is None else wrapper_at(ref, tmp / "base")
        if old_wrapper is None:
            reports.append(ApiReport(WRAPPER, skipped=f"{ref} has no src/{WRAPPER}"))
        else:
            reports.append(api_breakages([old_wrapper, old_gen], [new_wrapper, new_gen], WRAPPER))
        return reports


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from error


def _v(version: tuple[int, int, int]) -> str:
    return ".".join(map(str, version))


def _counts(changes: list[Change]) -> str | None:
    if not changes:
        return None
    counts = {level: sum(c.level is level for c in changes) for level in Level}
    return ", ".join(
        f"{n} {level.name.lower()}" for level, n in sorted(counts.items(), reverse=True) if n
    )


def _section(title: str, lines: list[str], note: str | None) -> None:
    print(f"{title}: {note or 'none'}")
    for line in lines:
        print(f"  {line}")
    print()


if __name__ == "__main__":
    sys.exit(main())
