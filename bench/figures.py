"""Each figure of ``make bench``: what it times, against what, and the target it answers to.

Every function returns :class:`Figure` records. A figure compares "ours" (this project's
client) with a baseline measured in the same run; ``ratio`` is ours / baseline, except for
throughput, where higher is better and the ratio is still ours / baseline.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import payloads
from bench.canned_server import CannedServer
from bench.timing import Samples, median, paired, run_async

API_KEY = "bench-key"
MEMBERSHIP_ID = "9b2f0d3e-5a61-4c2b-0000-000000000000"
GET_PATH = f"/api/memberships/{MEMBERSHIP_ID}"
ROOT = Path(__file__).resolve().parent.parent

#: "Peak memory stays flat, within a few pages' worth" (figure 6): a few, read as three.
MAX_PAGES_WORTH = 3


@dataclass
class Figure:
    """One line of the table and one record of ``results.json``."""

    id: str
    title: str
    unit: str
    ours: float | None = None
    baseline: float | None = None
    baseline_name: str = ""
    #: "<= 1.15", ">= 0.9", "< 1" or "report" (no target, figures only)
    target: str = "report"
    details: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline

    @property
    def met(self) -> bool | None:
        """Whether the target is met; ``None`` for report-only or skipped figures."""
        ratio = self.ratio
        if ratio is None or self.target == "report":
            return None
        op, _, bound = self.target.partition(" ")
        limit = float(bound)
        met = {"<=": ratio <= limit, ">=": ratio >= limit, "<": ratio < limit}[op]
        extra = self.details.get("also_required")
        if extra is not None:
            met = met and bool(extra["met"])
        return met

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "unit": self.unit,
            "ours": self.ours,
            "baseline": self.baseline,
            "baseline_name": self.baseline_name,
            "ratio": self.ratio,
            "target": self.target,
            "met": self.met,
            "skipped": self.skipped,
            "details": self.details,
        }


@dataclass(frozen=True)
class Sizes:
    """How much work each figure does; ``--smoke`` shrinks all of it."""

    repeats: int
    async_repeats: int
    get_calls: int
    mock_calls: int
    parse_items: int
    async_total: int
    async_concurrency: int
    import_runs: int
    list_sizes: tuple[int, int]
    list_page_size: int
    list_repeats: int
    sdk_calls: int


FULL = Sizes(
    repeats=9,
    async_repeats=7,
    get_calls=300,
    mock_calls=500,
    parse_items=1000,
    async_total=2000,
    async_concurrency=50,
    import_runs=15,
    list_sizes=(10_000, 100_000),
    list_page_size=1000,
    list_repeats=3,
    sdk_calls=200,
)
SMOKE = Sizes(
    repeats=2,
    async_repeats=1,
    get_calls=20,
    mock_calls=50,
    parse_items=100,
    async_total=100,
    async_concurrency=10,
    import_runs=2,
    list_sizes=(200, 2000),
    list_page_size=100,
    list_repeats=1,
    sdk_calls=5,
)


def _clients(base_url: str, transport: httpx.BaseTransport | None = None) -> Any:
    from kodexa_platform import Kodexa  # noqa: PLC0415 - figure 5 times this import apart

    if transport is None:
        return Kodexa(api_key=API_KEY, base_url=base_url)
    return Kodexa(api_key=API_KEY, base_url=base_url, http_client=httpx.Client(transport=transport))


def _raw_headers() -> dict[str, str]:
    return {"x-api-key": API_KEY, "Accept": "application/json"}


def _get_pair(
    label: str, title: str, base_url: str, sizes: Sizes, *, target: str, membership_id: str
) -> list[Figure]:
    """Sequential gets over keep-alive, sync then async: the wrapper vs raw httpx."""
    from kodexa_platform import AsyncKodexa  # noqa: PLC0415

    path = f"/api/memberships/{membership_id}"
    calls = sizes.get_calls
    figures = []
    with _clients(base_url) as ours, httpx.Client(base_url=base_url) as raw:

        def ours_batch() -> int:
            for _ in range(calls):
                ours.memberships.get(membership_id)
            return calls

        def raw_batch() -> int:
            for _ in range(calls):
                answer = raw.get(path, headers=_raw_headers())
                answer.raise_for_status()
                json.loads(answer.content)
            return calls

        mine, theirs = paired(ours_batch, raw_batch, sizes.repeats)
        figures.append(_per_call(f"{label}_sync", f"{title}, sync", mine, theirs, target))

    loop = asyncio.new_event_loop()
    try:
        aours = AsyncKodexa(api_key=API_KEY, base_url=base_url)
        araw = httpx.AsyncClient(base_url=base_url)

        async def ours_async() -> int:
            for _ in range(calls):
                await aours.memberships.get(membership_id)
            return calls

        async def raw_async() -> int:
            for _ in range(calls):
                answer = await araw.get(path, headers=_raw_headers())
                answer.raise_for_status()
                json.loads(answer.content)
            return calls

        mine, theirs = paired(
            run_async(loop, ours_async), run_async(loop, raw_async), sizes.repeats
        )
        figures.append(_per_call(f"{label}_async", f"{title}, async", mine, theirs, target))
        loop.run_until_complete(aours.close())
        loop.run_until_complete(araw.aclose())
    finally:
        loop.close()
    return figures


def _per_call(id_: str, title: str, mine: Samples, theirs: Samples, target: str) -> Figure:
    return Figure(
        id_,
        title,
        "µs/call",
        mine.wall_median * 1e6,
        theirs.wall_median * 1e6,
        "raw httpx + json.loads",
        target,
        {
            "cpu_us_ours": mine.cpu_median * 1e6,
            "cpu_us_baseline": theirs.cpu_median * 1e6,
            "cpu_ratio": mine.cpu_median / theirs.cpu_median,
            "spread_ours": mine.spread,
            "spread_baseline": theirs.spread,
            "batches": len(mine.wall),
        },
    )


def get_canned(server: CannedServer, sizes: Sizes) -> list[Figure]:
    """Figure 1: ``memberships.get`` against the canned loopback server."""
    return _get_pair(
        "1_get",
        "get one membership (canned server)",
        server.base_url,
        sizes,
        target="<= 1.15",
        membership_id=MEMBERSHIP_ID,
    )


def get_sandbox(sizes: Sizes) -> list[Figure]:
    """Figure 1, again against the project's sandbox: server time included, report only."""
    ids = ("1s_get_sync", "1s_get_async")
    try:
        from kodexa_platform.testing import SandboxServer  # noqa: PLC0415
    except ImportError as error:
        reason = f"the sandbox is not importable: {error}"
        return [Figure(i, "get one membership (sandbox)", "µs/call", skipped=reason) for i in ids]
    try:
        with SandboxServer() as sandbox:
            base_url = str(sandbox.base_url).rstrip("/")
            with _clients(base_url) as client:
                org = client.organizations.create({"name": "Bench", "slug": "bench"})
                member = client.memberships.create(
                    {
                        "organization": {"id": org.id, "name": "Bench", "slug": "bench"},
                        "role": "OWNER",
                    }
                )
            return _get_pair(
                "1s_get",
                "get one membership (sandbox)",
                base_url,
                sizes,
                target="report",
                membership_id=str(member.id),
            )
    except Exception as error:  # noqa: BLE001 - a sandbox still being built must not sink the run
        reason = f"the sandbox run failed: {type(error).__name__}: {error}"
        return [Figure(i, "get one membership (sandbox)", "µs/call", skipped=reason) for i in ids]


def cpu_mock(sizes: Sizes) -> list[Figure]:
    """Figure 2: CPU per get with the network removed (``httpx.MockTransport``)."""
    import kodexa_platform_client  # noqa: PLC0415
    from kodexa_platform_client.api.memberships import get_membership  # noqa: PLC0415

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=payloads.MEMBERSHIP, headers={"content-type": "application/json"}
        )

    base_url = "http://127.0.0.1:9"  # never dialled: the mock transport answers
    transport = httpx.MockTransport(answer)
    calls = sizes.mock_calls
    raw = httpx.Client(base_url=base_url, transport=transport)
    generated = kodexa_platform_client.Client(base_url=base_url)
    generated.set_httpx_client(httpx.Client(base_url=base_url, transport=transport))

    def raw_batch() -> int:
        for _ in range(calls):
            json.loads(raw.get(GET_PATH, headers=_raw_headers()).content)
        return calls

    def generated_batch() -> int:
        for _ in range(calls):
            parsed = get_membership.sync_detailed(MEMBERSHIP_ID, client=generated).parsed
            assert parsed is not None
        return calls

    with _clients(base_url, transport) as ours:

        def ours_batch() -> int:
            for _ in range(calls):
                ours.memberships.get(MEMBERSHIP_ID)
            return calls

        mine, theirs = paired(ours_batch, raw_batch, sizes.repeats)
        gen, theirs_again = paired(generated_batch, raw_batch, sizes.repeats)
    raw_cpu = median(theirs.cpu + theirs_again.cpu)
    return [
        Figure(
            "2_cpu_mock",
            "CPU per get, no network (MockTransport)",
            "µs CPU/call",
            mine.cpu_median * 1e6,
            raw_cpu * 1e6,
            "raw httpx + json.loads",
            "report",
            {
                "generated_us": gen.cpu_median * 1e6,
                "generated_ratio": gen.cpu_median / raw_cpu,
                "wrapper_over_generated_us": (mine.cpu_median - gen.cpu_median) * 1e6,
            },
        )
    ]


def _page_body(items: int) -> bytes:
    return payloads.page(1, items, items)


def parse_page(sizes: Sizes) -> list[Figure]:
    """Figure 3: decode and parse one page of memberships with nested organizations."""
    from kodexa_platform_client.models import PageMembership  # noqa: PLC0415

    from bench.baseline_models import PageMembership as PydanticPage  # noqa: PLC0415
    from kodexa_platform import _schema  # noqa: PLC0415 - internal, for the breakdown only

    items = sizes.parse_items
    body = _page_body(items)

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    # The wrapper's own public path, on a mock transport: decode, schema check, from_dict.
    # The transport adds tens of microseconds against milliseconds of parsing (figure 2).
    with _clients("http://127.0.0.1:9", httpx.MockTransport(answer)) as client:

        def ours() -> int:
            page = client.memberships.list_page(page_size=items)
            assert len(page.items) == items
            return 1

        def pydantic() -> int:
            page = PydanticPage.model_validate_json(body)
            assert page.content is not None
            assert len(page.content) == items
            return 1

        def loads() -> int:
            json.loads(body)
            return 1

        data = json.loads(body)

        def schema() -> int:
            assert not _schema.problems(data, "PageMembership")
            return 1

        def from_dict() -> int:
            PageMembership.from_dict(data)
            return 1

        mine, theirs = paired(ours, pydantic, sizes.repeats)
        decode, _ = paired(loads, pydantic, sizes.repeats)
        check, _ = paired(schema, pydantic, sizes.repeats)
        build, _ = paired(from_dict, pydantic, sizes.repeats)
    total = mine.wall_median
    return [
        Figure(
            "3_parse_page",
            f"decode + parse a page of {items} memberships",
            "ms/page",
            total * 1e3,
            theirs.wall_median * 1e3,
            "pydantic v2 model_validate_json",
            "<= 1.5",
            {
                "json_loads_ms": decode.wall_median * 1e3,
                "ratio_to_json_loads": total / decode.wall_median,
                "schema_check_ms": check.wall_median * 1e3,
                "schema_check_share": check.wall_median / total,
                "from_dict_ms": build.wall_median * 1e3,
                "from_dict_share": build.wall_median / total,
                "items": items,
            },
        )
    ]


def async_throughput(server: CannedServer, sizes: Sizes) -> list[Figure]:
    """Figure 4: many gets at once with ``AsyncKodexa`` vs ``httpx.AsyncClient``."""
    from kodexa_platform import AsyncKodexa  # noqa: PLC0415

    total, concurrency = sizes.async_total, sizes.async_concurrency
    loop = asyncio.new_event_loop()
    ours = AsyncKodexa(api_key=API_KEY, base_url=server.base_url)
    # No limits given: httpx's defaults (100 connections, 20 kept alive), as AsyncKodexa's
    # own pool gets. (A bare httpx.Limits() would mean no limits at all.)
    raw = httpx.AsyncClient(base_url=server.base_url)

    async def raw_get() -> None:
        answer = await raw.get(GET_PATH, headers=_raw_headers())
        answer.raise_for_status()
        json.loads(answer.content)

    async def ours_get() -> None:
        await ours.memberships.get(MEMBERSHIP_ID)

    def batch(get: Callable[[], Any]) -> Callable[[], int]:
        async def run() -> int:
            left = total

            async def worker() -> None:
                nonlocal left
                while left > 0:
                    left -= 1
                    await get()

            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return total

        return run_async(loop, run)

    try:
        mine, theirs = paired(batch(ours_get), batch(raw_get), sizes.async_repeats)
        loop.run_until_complete(ours.close())
        loop.run_until_complete(raw.aclose())
    finally:
        loop.close()
    return [
        Figure(
            "4_async_throughput",
            f"{total} gets at concurrency {concurrency}, async",
            "req/s",
            1 / mine.wall_median,
            1 / theirs.wall_median,
            "raw httpx.AsyncClient, same limits",
            ">= 0.9",
            {
                "cpu_us_per_get_ours": mine.cpu_median * 1e6,
                "cpu_us_per_get_baseline": theirs.cpu_median * 1e6,
                "spread_ours": mine.spread,
                "spread_baseline": theirs.spread,
                "batches": len(mine.wall),
            },
        )
    ]


def import_time(sizes: Sizes, python: str | None) -> list[Figure]:
    """Figure 5: wall time of a fresh interpreter that imports the package, vs httpx."""
    interpreter = python or sys.executable
    env_name = "runtime-only venv" if python else "dev venv (httpx's CLI extras inflate it)"
    statements = {
        "bare": "pass",
        "httpx": "import httpx",
        "ours": "import kodexa_platform",
        # What a program pays before its first call, lazy imports included.
        "httpx_client": "import httpx; httpx.Client()",
        "ours_client": "import kodexa_platform as k; k.Kodexa(api_key='k', base_url='http://127.0.0.1')",
    }
    times: dict[str, list[float]] = {name: [] for name in statements}
    for statement in statements.values():  # untimed: fills the OS page cache
        subprocess.run([interpreter, "-c", statement], check=True)
    for _ in range(sizes.import_runs):
        for name, statement in statements.items():
            started = time.perf_counter()
            subprocess.run([interpreter, "-c", statement], check=True)
            times[name].append(time.perf_counter() - started)
    bare, httpx_s, ours_s = (median(times[name]) for name in ("bare", "httpx", "ours"))
    return [
        Figure(
            "5_import",
            "import kodexa_platform, fresh interpreter",
            "ms",
            ours_s * 1e3,
            httpx_s * 1e3,
            "import httpx",
            "<= 1.5",
            {
                "bare_interpreter_ms": bare * 1e3,
                "net_ours_ms": (ours_s - bare) * 1e3,
                "net_httpx_ms": (httpx_s - bare) * 1e3,
                "net_ratio": (ours_s - bare) / (httpx_s - bare),
                "with_client_ms_ours": median(times["ours_client"]) * 1e3,
                "with_client_ms_httpx": median(times["httpx_client"]) * 1e3,
                "with_client_ratio": median(times["ours_client"]) / median(times["httpx_client"]),
                "environment": env_name,
                "runs": sizes.import_runs,
            },
        )
    ]


def _child(command: list[str]) -> str:
    """Run a helper process; its standard output, or its error output in the exception."""
    answer = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if answer.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:3])} failed:\n{answer.stderr[-3000:]}")
    return answer.stdout


def _walk(server: CannedServer, total: int, page_size: int) -> dict[str, Any]:
    server.set_total(total)
    answer = _child(
        [sys.executable, "-m", "bench.list_child", server.base_url, str(total), str(page_size)]
    )
    walk: dict[str, Any] = json.loads(answer)
    walk["growth_kib"] = walk["peak_kib"] - walk["start_kib"]
    return walk


def listing(server: CannedServer, sizes: Sizes) -> list[Figure]:
    """Figure 6: auto-pagination over a small and a large listing, time and peak memory.

    Each walk runs in a fresh process (``bench.list_child``), so its peak resident memory is
    its own; sizes alternate so drift hits both.
    """
    small, large = sizes.list_sizes
    page_size = sizes.list_page_size
    walks: dict[int, list[dict[str, Any]]] = {small: [], large: []}
    for round_ in range(sizes.list_repeats):
        for total in (small, large) if round_ % 2 == 0 else (large, small):
            walks[total].append(_walk(server, total, page_size))
    one_page = _walk(server, page_size, page_size)["growth_kib"]

    def per_item_us(total: int) -> float:
        return median([walk["seconds"] / total for walk in walks[total]]) * 1e6

    def growth(total: int) -> float:
        return median([walk["growth_kib"] for walk in walks[total]])

    pages_worth = growth(large) / one_page
    return [
        Figure(
            "6_list_time",
            f"list(): time per item, {large:,} vs {small:,} items",
            "µs/item",
            per_item_us(large),
            per_item_us(small),
            f"the same at {small:,} items",
            "<= 1.2",
            {"page_size": page_size, "runs": sizes.list_repeats},
        ),
        Figure(
            "6_list_memory",
            f"list(): peak memory growth, {large:,} vs {small:,} items",
            "KiB",
            growth(large),
            growth(small),
            f"the same at {small:,} items",
            "<= 1.2",
            {
                "measure": "peak RSS during the walk (fresh process) minus RSS at its start",
                "one_page_kib": one_page,
                "peak_in_pages": pages_worth,
                "also_required": {
                    "what": f"peak within {MAX_PAGES_WORTH} pages' worth",
                    "met": pages_worth <= MAX_PAGES_WORTH,
                },
            },
        ),
    ]


def official_sdk(server: CannedServer, sizes: Sizes, python: str | None) -> list[Figure]:
    """Figure 7: the same get and list-1,000 through the official ``kodexa`` SDK."""
    ids = ("7_sdk_get", "7_sdk_list_1000")
    titles = ("get one membership vs kodexa SDK", "list_page of 1,000 vs kodexa SDK")
    if python is None or not Path(python).exists():
        reason = "the kodexa SDK's environment is missing: `make bench` installs it"
        return [Figure(i, t, "ms", skipped=reason) for i, t in zip(ids, titles, strict=True)]
    server.set_total(payloads.MAX_PAGE)
    repeats = max(sizes.repeats // 2, 1)
    answer = _child(
        [
            python,
            str(ROOT / "bench" / "kodexa_sdk.py"),
            server.base_url,
            str(sizes.sdk_calls),
            str(repeats),
        ]
    )
    theirs = json.loads(answer)
    with _clients(server.base_url) as client:
        get_s, list_s = [], []
        client.memberships.get(MEMBERSHIP_ID)
        for _ in range(repeats):
            started = time.perf_counter()
            for _ in range(sizes.sdk_calls):
                client.memberships.get(MEMBERSHIP_ID)
            get_s.append((time.perf_counter() - started) / sizes.sdk_calls)
            started = time.perf_counter()
            client.memberships.list_page(page_size=payloads.MAX_PAGE)
            list_s.append(time.perf_counter() - started)
    name = f"kodexa {theirs['version']} (requests + pydantic)"
    return [
        Figure(
            ids[0],
            titles[0],
            "ms/call",
            median(get_s) * 1e3,
            statistics.median(theirs["get_s"]) * 1e3,
            name,
            "< 1",
        ),
        Figure(
            ids[1],
            titles[1],
            "ms/page",
            median(list_s) * 1e3,
            statistics.median(theirs["list_s"]) * 1e3,
            name,
            "< 1",
        ),
    ]
