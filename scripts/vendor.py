"""Copy the generated client (and optionally the wrapper) into another project, renamed.

    python scripts/vendor.py --into ../other-sdk/src --package other_sdk._kodexa
    python scripts/vendor.py --into ../other-sdk/src --package other_sdk._kodexa --with-wrapper

The generated package lands at ``DIR/NAME`` (a dotted NAME makes subdirectories) and the
wrapper, with ``--with-wrapper``, at ``DIR/NAME/wrapper``: one directory, one stamp, and the
wrapper's ``models`` module cannot collide with the generated ``models`` package. Every
import of ``kodexa_platform_client`` becomes ``NAME`` and every import of ``kodexa_platform``
becomes ``NAME.wrapper``; so do strings naming those modules (``resources.files(...)``,
logger names), docstrings and comments. Nothing else changes, so the copy neither imports
nor shares state (loggers, caches, classes) with an installed original.

Beside the code go ``GENERATED_FROM.txt`` (the generator's stamp) and ``VENDORED.txt``: the
source commit, the spec hash, the generator version, the packages the copy needs and a hash
of every file. It holds no date and no machine path, so vendoring the same sources twice
gives the same bytes.

Running it again over an earlier copy updates it in place and reports which files changed
(``--diff`` prints the lines). It refuses a directory that is not an earlier vendoring, and
one whose files were edited since, unless ``--force``; ``--check`` only reports, exiting 1
when the copy is out of date.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import io
import keyword
import re
import shutil
import subprocess
import sys
import tempfile
import tokenize
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = "kodexa_platform_client"
WRAPPER = "kodexa_platform"
GENERATED_DIR = Path("generated/kodexa-platform-client")
WRAPPER_DIR = Path("src") / WRAPPER
STAMP = "GENERATED_FROM.txt"
VENDORED = "VENDORED.txt"
WRAPPER_SUBPACKAGE = "wrapper"


class VendorError(Exception):
    """Vendoring cannot go ahead; the message says why."""


# -- rewriting --------------------------------------------------------------------------------


def _module_pattern(old: str) -> re.Pattern[str]:
    # `kodexa_platform` must not match inside `kodexa_platform_client` or `kodexa-platform`.
    return re.compile(rf"(?<![\w.-]){re.escape(old)}(?=\.\w|(?![\w-]))")


def _renamed(module: str, mapping: dict[str, str]) -> str | None:
    for old, new in mapping.items():
        if module == old or module.startswith(old + "."):
            return new + module[len(old) :]
    return None


def _docstring_nodes(tree: ast.Module) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                yield body[0].value


class _Rewriter:
    """Collects byte-range edits for one module, then applies them all at once."""

    def __init__(self, text: str, mapping: dict[str, str]) -> None:
        self.source = text.encode("utf-8")
        self.tree = ast.parse(self.source)
        self.mapping = mapping
        self.patterns = {old: _module_pattern(old) for old in mapping}
        self.starts = [0]
        for line in self.source.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.edits: dict[tuple[int, int], str] = {}
        self.bound: dict[str, str] = {}  # names `import old` binds -> what to write instead

    def span(self, node: ast.AST) -> tuple[int, int]:
        # ast columns count UTF-8 bytes, so the edits work on bytes too.
        start = self.starts[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
        end = self.starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]
        return start, end

    def segment(self, start: int, end: int) -> str:
        return self.source[start:end].decode("utf-8")

    def prose(self, raw: str) -> str:
        for old, pattern in self.patterns.items():
            raw = pattern.sub(self.mapping[old], raw)
        return raw

    def imports(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    new = _renamed(alias.name, self.mapping)
                    if new is None:
                        continue
                    if alias.asname:
                        self.edits[self.span(alias)] = f"{new} as {alias.asname}"
                        continue
                    # `import a.b` binds `a`; the new dotted path reads the same in code.
                    old_top = alias.name.split(".")[0]
                    self.bound[old_top] = self.mapping[old_top]
                    self.edits[self.span(alias)] = new
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                new = _renamed(node.module, self.mapping)
                if new is None:
                    continue
                start, end = self.span(node)
                found = re.match(r"from\s+([\w.]+)\s", self.segment(start, end))
                if found is None or found.group(1) != node.module:
                    line = self.segment(start, end).splitlines()[0]
                    raise VendorError(f"cannot rewrite `{line}`")
                self.edits[(start + found.start(1), start + found.end(1))] = new

    def names(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Name) and node.id in self.bound:
                self.edits[self.span(node)] = self.bound[node.id]

    def strings(self) -> None:
        docstrings = {id(node) for node in _docstring_nodes(self.tree)}
        in_fstrings = {
            id(part)
            for node in ast.walk(self.tree)
            if isinstance(node, ast.JoinedStr)
            for part in ast.walk(node)
        }
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                continue
            if id(node) in in_fstrings:
                continue
            start, end = self.span(node)
            segment = self.segment(start, end)
            if id(node) in docstrings:
                rewritten = self.prose(segment)
                if rewritten != segment:
                    self.edits[(start, end)] = rewritten
                continue
            # Only a string that is exactly a module path: other text may mean anything.
            new = _renamed(node.value, self.mapping)
            if new is None:
                continue
            if node.value not in segment:
                raise VendorError(f"cannot rewrite the string {segment}")
            self.edits[(start, end)] = segment.replace(node.value, new, 1)

    def comments(self) -> None:
        for token in tokenize.tokenize(io.BytesIO(self.source).readline):
            if token.type != tokenize.COMMENT:
                continue
            rewritten = self.prose(token.string)
            if rewritten == token.string:
                continue
            # tokenize counts characters, not bytes: measure the line's prefix in bytes.
            row, col = token.start
            line = self.source[self.starts[row - 1] : self.starts[row]].decode("utf-8")
            start = self.starts[row - 1] + len(line[:col].encode("utf-8"))
            self.edits[(start, start + len(token.string.encode("utf-8")))] = rewritten

    def result(self) -> str:
        out = bytearray(self.source)
        for (start, end), replacement in sorted(self.edits.items(), reverse=True):
            out[start:end] = replacement.encode("utf-8")
        return out.decode("utf-8")


def rewrite_source(text: str, mapping: dict[str, str]) -> str:
    """Point every reference to a key of ``mapping`` (a top-level module) at its value."""
    rewriter = _Rewriter(text, mapping)
    rewriter.imports()
    rewriter.names()  # after imports(): it needs the names they bind
    rewriter.strings()
    rewriter.comments()
    result = rewriter.result()
    leftover = stale_imports(result, set(mapping))
    if leftover:
        raise VendorError(f"imports left unrewritten: {', '.join(leftover)}")
    return result


def stale_imports(text: str, modules: set[str]) -> list[str]:
    """Imports in ``text`` of any of ``modules`` (or their submodules)."""
    found = []
    for node in ast.walk(ast.parse(text)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found += [n for n in names if n.split(".")[0] in modules]
    return found


# -- building a copy --------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _source_files(package: Path) -> Iterator[Path]:
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path


def _tree_files(tree: Path) -> dict[str, bytes]:
    return {
        p.relative_to(tree).as_posix(): p.read_bytes()
        for p in _source_files(tree)
        if p.relative_to(tree).as_posix() != VENDORED
    }


def _git(source: Path, *args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    result = subprocess.run([git, *args], cwd=source, capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def _source_commit(source: Path) -> str:
    commit = _git(source, "rev-parse", "HEAD")
    if commit is None:
        return "unknown (not a git checkout)"
    dirty = _git(
        source, "status", "--porcelain", "--", GENERATED_DIR.as_posix(), WRAPPER_DIR.as_posix()
    )
    return f"{commit} plus uncommitted changes" if dirty else commit


def _requirements(source: Path, with_wrapper: bool) -> tuple[str, list[str], list[str]]:
    """The version, what the copy needs, and what only ``wrapper.testing`` needs."""
    generated = tomllib.loads((source / GENERATED_DIR / "pyproject.toml").read_text("utf-8"))
    version = generated["project"]["version"]
    needs = list(generated["project"].get("dependencies", []))
    sandbox: list[str] = []
    if with_wrapper:
        wrapper = tomllib.loads((source / "pyproject.toml").read_text("utf-8"))["project"]
        needs += [
            d
            for d in wrapper.get("dependencies", [])
            if not re.match(r"kodexa-platform-client\b", d)
        ]
        sandbox = wrapper.get("optional-dependencies", {}).get("sandbox", [])
    return version, needs, sandbox


@dataclass(frozen=True)
class Plan:
    package: str
    with_wrapper: bool
    files: dict[str, bytes]  # relative path -> content, VENDORED.txt included


def build(source: Path, package: str, with_wrapper: bool) -> Plan:
    """Everything the vendored copy holds, in memory."""
    generated_pkg = source / GENERATED_DIR / GENERATED
    if not generated_pkg.is_dir():
        raise VendorError(f"no generated client under {GENERATED_DIR}: run `make generate`")
    mapping = {GENERATED: package}
    if with_wrapper:
        mapping[WRAPPER] = f"{package}.{WRAPPER_SUBPACKAGE}"
    trees = [(generated_pkg, "")]
    if with_wrapper:
        trees.append((source / WRAPPER_DIR, WRAPPER_SUBPACKAGE + "/"))
    files: dict[str, bytes] = {}
    for tree, prefix in trees:
        for path in _source_files(tree):
            data = path.read_bytes()
            if path.suffix == ".py":
                rel = path.relative_to(source)
                try:
                    data = rewrite_source(data.decode("utf-8"), mapping).encode("utf-8")
                except (SyntaxError, VendorError) as error:
                    raise VendorError(f"{rel}: {error}") from error
            files[prefix + path.relative_to(tree).as_posix()] = data
    stamp = (source / GENERATED_DIR / STAMP).read_bytes()
    files[STAMP] = stamp
    files[VENDORED] = _record(source, package, with_wrapper, stamp, files).encode("utf-8")
    return Plan(package, with_wrapper, files)


def _record(
    source: Path, package: str, with_wrapper: bool, stamp: bytes, files: dict[str, bytes]
) -> str:
    version, needs, sandbox = _requirements(source, with_wrapper)
    stamp_lines = [
        line for line in stamp.decode("utf-8").splitlines() if line and not line.startswith("#")
    ]
    command = f"python scripts/vendor.py --into DIR --package {package}"
    lines = [
        "# Written by scripts/vendor.py of kodexa-platform; do not edit these files by hand.",
        f"# Update from a checkout of kodexa-platform: {command}"
        + (" --with-wrapper" if with_wrapper else ""),
        f"package: {package}",
        f"source: {GENERATED} {version}",
        f"wrapper: {WRAPPER} {version} as {package}.{WRAPPER_SUBPACKAGE}"
        if with_wrapper
        else "wrapper: not included",
        f"source commit: {_source_commit(source)}",
        f"{STAMP} sha256: {_sha256(stamp)}",
        *stamp_lines,
        f"requires: {'; '.join(needs)}",
        *(
            [f"{package}.{WRAPPER_SUBPACKAGE}.testing also requires: {'; '.join(sandbox)}"]
            if sandbox
            else []
        ),
        "files (sha256):",
        *(f"  {_sha256(data)}  {name}" for name, data in sorted(files.items())),
    ]
    return "\n".join(lines) + "\n"


def recorded_hashes(vendored: Path) -> dict[str, str]:
    """The file hashes an earlier VENDORED.txt recorded."""
    hashes = {}
    in_files = False
    for line in vendored.read_text("utf-8").splitlines():
        if line.startswith("files"):
            in_files = True
        elif in_files and line.startswith("  "):
            digest, name = line.strip().split("  ", 1)
            hashes[name] = digest
    return hashes


def local_edits(target: Path) -> list[str]:
    """Files of an earlier vendoring changed, added or deleted since it was written."""
    recorded = recorded_hashes(target / VENDORED)
    present = {name: _sha256(data) for name, data in _tree_files(target).items()}
    problems = [
        f"edited: {n}"
        for n in sorted(recorded.keys() & present.keys())
        if recorded[n] != present[n]
    ]
    problems += [f"deleted: {n}" for n in sorted(recorded.keys() - present.keys())]
    problems += [f"added: {n}" for n in sorted(present.keys() - recorded.keys())]
    return problems


# -- the report -------------------------------------------------------------------------------


def changes(old: dict[str, bytes], new: dict[str, bytes]) -> list[tuple[str, list[str]]]:
    """Each file that differs (VENDORED.txt aside): a summary line and its unified diff."""
    found: list[tuple[str, list[str]]] = []
    for name in sorted(old.keys() | new.keys()):
        if name == VENDORED or old.get(name) == new.get(name):
            continue
        before, after = old.get(name), new.get(name)
        status = "added" if before is None else "removed" if after is None else "changed"
        try:
            a = (before or b"").decode("utf-8").splitlines(keepends=True)
            b = (after or b"").decode("utf-8").splitlines(keepends=True)
        except UnicodeDecodeError:
            found.append((f"{status:<8} {name} (binary)", []))
            continue
        lines = [d.rstrip("\n") for d in difflib.unified_diff(a, b, f"a/{name}", f"b/{name}")]
        plus = sum(1 for d in lines if d.startswith("+") and not d.startswith("+++"))
        minus = sum(1 for d in lines if d.startswith("-") and not d.startswith("---"))
        found.append((f"{status:<8} {name} (+{plus} -{minus})", lines))
    return found


def _check_name(package: str) -> None:
    parts = package.split(".")
    if not all(p.isidentifier() and not keyword.iskeyword(p) for p in parts):
        raise VendorError(f"--package {package!r} is not a Python import name")
    if parts[0] in (GENERATED, WRAPPER):
        raise VendorError(f"--package {package!r} would shadow the original package")


def _previous(target: Path, *, force: bool, check: bool) -> dict[str, bytes]:
    """The files of the copy already at ``target``, after checking it may be replaced."""
    if not target.exists():
        return {}
    if not (target / VENDORED).is_file():
        if check or not force:
            raise VendorError(
                f"{target} exists and holds no {VENDORED}: it is not an earlier vendoring "
                "(pass --force to replace it)"
            )
        return _tree_files(target)
    edited = local_edits(target)
    if edited and not check and not force:
        raise VendorError(
            f"{target} was changed since it was vendored (pass --force to overwrite):\n  "
            + "\n  ".join(edited)
        )
    return {**_tree_files(target), VENDORED: (target / VENDORED).read_bytes()}


def vendor(
    into: Path,
    package: str,
    *,
    with_wrapper: bool = False,
    force: bool = False,
    check: bool = False,
    show_diff: bool = False,
    source: Path = ROOT,
) -> int:
    """Vendor (or, with ``check``, compare); the exit status for the command line."""
    _check_name(package)
    target = into.joinpath(*package.split("."))
    plan = build(source, package, with_wrapper)
    previous = _previous(target, force=force, check=check)
    report = changes(previous, plan.files)
    stamp_changed = previous.get(VENDORED) != plan.files[VENDORED]
    where = f"{package} in {into}"
    if not previous:
        print(f"{where}: new copy of {len(plan.files)} files")
    elif report:
        print(f"{where}: {len(report)} file(s) differ from the sources")
    else:
        print(f"{where}: up to date" + (f" ({VENDORED} updated)" if stamp_changed else ""))
    for summary, lines in report if previous else []:
        print(f"  {summary}")
        for line in lines if show_diff else []:
            print(f"    {line}")
    if check:
        return 1 if (report or stamp_changed or not previous) else 0
    if report or stamp_changed:
        _write(target, plan.files)
    return 0


def _write(target: Path, files: dict[str, bytes]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and swap it in, so a failure leaves the old copy whole.
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        fresh = scratch / "new"
        for name, data in files.items():
            path = fresh / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if target.exists():
            target.rename(scratch / "old")
        fresh.rename(target)
    finally:
        shutil.rmtree(scratch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--into", required=True, type=Path, metavar="DIR", help="import root")
    parser.add_argument("--package", required=True, metavar="NAME", help="new import name")
    parser.add_argument("--with-wrapper", action="store_true", help="add it as NAME.wrapper")
    parser.add_argument("--force", action="store_true", help="overwrite whatever is there")
    parser.add_argument("--check", action="store_true", help="report only; 1 if out of date")
    parser.add_argument("--diff", action="store_true", help="print the changed lines too")
    parser.add_argument(
        "--source", type=Path, default=ROOT, help="checkout to copy from (default: this one)"
    )
    args = parser.parse_args(argv)
    try:
        return vendor(
            args.into,
            args.package,
            with_wrapper=args.with_wrapper,
            force=args.force,
            check=args.check,
            show_diff=args.diff,
            source=args.source,
        )
    except VendorError as error:
        print(f"vendor.py: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
