"""One auto-paginated walk in a fresh process, for figure 6: its time and its peak memory.

The peak is the process's resident high-water mark during the walk, less its resident size
when the walk starts: on Linux the mark is reset just before (``/proc/self/clear_refs``), so
it belongs to the walk alone; elsewhere ``ru_maxrss`` stands in, which also counts what the
start-up touched. tracemalloc would see the same thing more finely, but it slows every
allocation about tenfold here, which turns the 100,000-item walk into minutes.

Usage: ``python -m bench.list_child BASE_URL TOTAL PAGE_SIZE``; prints one JSON object.
"""

from __future__ import annotations

import gc
import json
import re
import resource
import sys
import time
from pathlib import Path

from bench.figures import API_KEY
from kodexa_platform import Kodexa

_STATUS = Path("/proc/self/status")


def _status_kib(field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    assert found is not None, field
    return int(found.group(1))


def _reset_peak() -> int:
    """Start measuring the peak from here; returns the resident KiB now."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # 5: reset the peak RSS (VmHWM)
        return _status_kib("VmRSS")
    except OSError:
        return _max_rss_kib()


def _peak_kib() -> int:
    try:
        return _status_kib("VmHWM")
    except OSError:
        return _max_rss_kib()


def _max_rss_kib() -> int:
    # Linux reports kilobytes; macOS reports bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def main() -> None:
    base_url, total, page_size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with Kodexa(api_key=API_KEY, base_url=base_url) as client:
        # One small call first: imports, the connection and the schema validators are then
        # in place, so what follows is the walk's own cost.
        client.memberships.list_page(page_size=1)
        gc.collect()
        start_kib = _reset_peak()
        started = time.perf_counter()
        count = 0
        for _ in client.memberships.list(page_size=page_size):
            count += 1
        seconds = time.perf_counter() - started
        peak_kib = _peak_kib()
    if count != total:
        raise SystemExit(f"walked {count} items, expected {total}")
    json.dump(
        {"seconds": seconds, "items": count, "start_kib": start_kib, "peak_kib": peak_kib},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
