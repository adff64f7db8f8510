"""``make bench``: every figure against its baseline, as a table and as ``bench/results.json``.

    python -m bench.run            # the full run (a few minutes), writes bench/results.json
    python -m bench.run --smoke    # tiny sizes, seconds; writes only where --out says

Figures are ratios to a baseline timed in the same process and run, because absolute times
differ from machine to machine. A missed target prints MISSED; the run still exits 0, since
a benchmark is a measurement, not a gate (``make test`` runs only the smoke mode, which checks
that every figure comes out, not how good it is).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bench import figures
from bench.canned_server import CannedServer
from bench.figures import Figure

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results.json"
RUNTIME_PYTHON = BENCH / ".venv-runtime" / "bin" / "python"
KODEXA_PYTHON = BENCH / ".venv-kodexa" / "bin" / "python"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """What the figures came from; no host names or paths."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        # Other work on the machine skews absolute times more than ratios; this says how busy.
        "load_average_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "packages": {
            name: _version(name)
            for name in ("kodexa-platform", "httpx", "attrs", "jsonschema", "stamina", "pydantic")
        },
    }


def _existing(path: Path, given: str | None) -> str | None:
    if given:
        return given
    return str(path) if path.exists() else None


def collect(
    sizes: figures.Sizes,
    runtime_python: str | None,
    kodexa_python: str | None,
    only: set[str] | None = None,
) -> list[Figure]:
    results: list[Figure] = []

    def step(name: str, produce: Any) -> None:
        if only is not None and name.split(maxsplit=1)[0] not in only:
            return
        started = time.perf_counter()
        print(f"  {name} ...", end="", flush=True, file=sys.stderr)
        results.extend(produce())
        print(f" {time.perf_counter() - started:.1f} s", file=sys.stderr)

    with CannedServer() as server:
        step("1 get (canned)", lambda: figures.get_canned(server, sizes))
        step("1 get (sandbox)", lambda: figures.get_sandbox(sizes))
        step("2 cpu (mock)", lambda: figures.cpu_mock(sizes))
        step("3 parse", lambda: figures.parse_page(sizes))
        step("4 async", lambda: figures.async_throughput(server, sizes))
        step("5 import", lambda: figures.import_time(sizes, runtime_python))
        step("6 list", lambda: figures.listing(server, sizes))
        step("7 kodexa SDK", lambda: figures.official_sdk(server, sizes, kodexa_python))
    return results


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 100:  # noqa: PLR2004 - past this, decimals are noise
        return f"{value:,.0f}"
    return f"{value:.3g}"


def table(results: list[Figure]) -> str:
    header = ("#", "figure", "unit", "ours", "baseline", "ratio", "target", "status")
    rows = [header]
    for figure in results:
        if figure.skipped:
            status = "skipped"
        elif figure.met is None:
            status = "report"
        else:
            status = "met" if figure.met else "MISSED"
        rows.append(
            (
                figure.id,
                figure.title,
                figure.unit,
                _number(figure.ours),
                _number(figure.baseline),
                "-" if figure.ratio is None else f"{figure.ratio:.2f}x",
                figure.target,
                status,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"  {f.id}: skipped, {f.skipped}" for f in results if f.skipped]
    return "\n".join(lines + notes)


def _clean(value: Any) -> Any:
    """Round floats so the committed file diffs readably; NaN and inf become null."""
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, 1-2 repeats")
    parser.add_argument("--out", help="where to write the JSON (full runs: bench/results.json)")
    parser.add_argument("--runtime-python", help="interpreter of a venv with runtime deps only")
    parser.add_argument("--kodexa-python", help="interpreter of the official SDK's venv")
    parser.add_argument(
        "--only", help="comma-separated figure numbers, such as 1,3 (for profiling)"
    )
    args = parser.parse_args(argv)

    sizes = figures.SMOKE if args.smoke else figures.FULL
    runtime_python = _existing(RUNTIME_PYTHON, args.runtime_python)
    kodexa_python = _existing(KODEXA_PYTHON, args.kodexa_python)
    print(f"bench ({'smoke' if args.smoke else 'full'} run):", file=sys.stderr)
    before = machine()
    only = set(args.only.split(",")) if args.only else None
    results = collect(sizes, runtime_python, kodexa_python, only)
    print(table(results), flush=True)

    out = args.out or (None if args.smoke else str(RESULTS))
    if out:
        document = {
            "format": 1,
            "mode": "smoke" if args.smoke else "full",
            "date": dt.date.today().isoformat(),
            "machine": {**before, "load_average_1m_after": machine()["load_average_1m"]},
            "sizes": vars(sizes),
            "figures": [figure.record() for figure in results],
        }
        Path(out).write_text(json.dumps(_clean(document), indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {Path(out).name}", file=sys.stderr)
    missed = [f.id for f in results if f.met is False]
    if missed:
        print(f"MISSED targets: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
