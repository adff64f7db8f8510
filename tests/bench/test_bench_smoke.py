"""The benchmark's smoke mode runs end to end and reports every figure with sane values.

Only that the figures come out is checked, never how good they are: timings on a shared CI
machine are no basis for pass or fail (``make bench`` prints MISSED for a missed target).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EVERY_FIGURE = {
    "1_get_sync",
    "1_get_async",
    "1s_get_sync",
    "1s_get_async",
    "2_cpu_mock",
    "3_parse_page",
    "4_async_throughput",
    "5_import",
    "6_list_time",
    "6_list_memory",
    "7_sdk_get",
    "7_sdk_list_1000",
}
#: Figures that need something `make test` does not install (the official SDK's own
#: environment) or that another part of the project provides (the sandbox); they may be
#: skipped, with a reason.
MAY_SKIP = ("1s_", "7_")


def _finite_numbers(value: object) -> list[float]:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _finite_numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _finite_numbers(item)]
    raise AssertionError(f"unexpected value {value!r}")


def test_smoke_run_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "ratio" in run.stdout  # the table's header

    results = json.loads(out.read_text())
    assert results["mode"] == "smoke"
    assert results["machine"]["cores"] >= 1
    figures = {figure["id"]: figure for figure in results["figures"]}
    assert set(figures) == EVERY_FIGURE

    for name, figure in figures.items():
        if figure["skipped"] is not None:
            assert name.startswith(MAY_SKIP), f"{name} skipped: {figure['skipped']}"
            assert figure["skipped"].strip()
            continue
        for key in ("ours", "baseline", "ratio"):
            value = figure[key]
            assert isinstance(value, int | float), (name, key, value)
            assert math.isfinite(value), (name, key, value)
            assert value > 0, (name, key, value)
        assert all(math.isfinite(n) for n in _finite_numbers(figure["details"])), name
        if figure["target"] == "report":
            assert figure["met"] is None, name
        else:
            assert isinstance(figure["met"], bool), name
            assert figure["target"].split(" ")[0] in {"<=", ">=", "<"}, name
