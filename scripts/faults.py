"""Drive the client through a sandbox that fails on purpose, and count what went wrong.

    python scripts/faults.py [--ops 2000] [--seed 7] [--rate 0.2] [--writers 4]

A seeded mix of creates, reads, listings, deletes and read-modify-write increments runs
against a sandbox whose fault plan resets connections, answers 429/502/503/520, delays past
the client's read timeout, truncates bodies, and sometimes carries out a write and then drops
the connection. Half the operations go through the sync client from several threads at once,
half through the async client from concurrent tasks; the increments of both hit the same few
organizations, so writers race each other and must be sorted out by optimistic locking.

Afterwards the sandbox (with faults off) is compared with what the clients were told. The run
fails when any of these is not zero:

* untyped errors - an exception that is not a ``KodexaError`` escaped a call;
* duplicate creates - one create call left two objects behind (a retried POST);
* lost updates - an organization's counter is below the number of increments the client was
  told succeeded (each increment reads, adds one and writes back with its changeSequence).

Backoff sleeps are switched off (stamina's testing mode, attempts unchanged) so the run takes
seconds; the retry decisions are the ones production makes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import stamina

from kodexa_platform import AsyncKodexa, ConflictError, Kodexa, KodexaError
from kodexa_platform.models import Organization
from kodexa_platform.testing import FaultKind, FaultPlan, SandboxServer

API_KEY = "faults-run-key"
COUNTERS = 3  # organizations that every writer increments: few, so that writers collide
KINDS = (
    FaultKind.RESET,
    FaultKind.UNAVAILABLE,
    FaultKind.RATE_LIMITED,
    FaultKind.BAD_GATEWAY,
    FaultKind.ORIGIN_ERROR,
    FaultKind.COMMIT_THEN_DROP,
    FaultKind.TRUNCATE,
    FaultKind.DELAY,
)
READ_TIMEOUT = 0.5
DELAY = 0.6  # past the read timeout: the client gives up and retries


@dataclass
class Report:
    """What one run did and found."""

    ops: int
    seed: int
    rate: float
    writers: int
    calls: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    faults: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    untyped: list[str] = field(default_factory=list)
    duplicate_creates: int = 0
    lost_updates: int = 0
    increments_acknowledged: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def ok(self) -> bool:
        return not self.untyped and self.duplicate_creates == 0 and self.lost_updates == 0

    def count(self, kind: str, outcome: str) -> None:
        with self.lock:
            self.calls[kind] += 1
            self.outcomes[outcome] += 1

    def as_dict(self) -> dict[str, object]:
        return {
            "ops": self.ops,
            "seed": self.seed,
            "rate": self.rate,
            "writers": self.writers,
            "calls": dict(self.calls),
            "outcomes": dict(self.outcomes),
            "faults_injected": self.faults,
            "retries": self.retries,
            "increments_acknowledged": self.increments_acknowledged,
            "untyped_errors": len(self.untyped),
            "duplicate_creates": self.duplicate_creates,
            "lost_updates": self.lost_updates,
            "seconds": round(self.seconds, 2),
        }


class _RetryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying"):
            self.count += 1


@dataclass
class _Shared:
    """What every writer shares: the counters' ids and the acknowledged increments."""

    counters: list[str]
    org_id: str
    acked: Counter[str] = field(default_factory=Counter)
    created: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _count(org: Organization) -> int:
    properties = org.properties.to_dict() if org.properties else {}
    value = properties.get("count", 0)
    return value if isinstance(value, int) else 0


def _bumped(org: Organization) -> dict[str, Any]:
    body = org.to_dict()
    body["properties"] = {**(body.get("properties") or {}), "count": _count(org) + 1}
    return body


def _plan(rng: random.Random, ops: int) -> list[str]:
    kinds = ["create", "get", "increment", "list", "delete"]
    return rng.choices(kinds, weights=[3, 3, 4, 1, 1], k=ops)


def _sync_op(client: Kodexa, shared: _Shared, kind: str, number: int, rng: random.Random) -> None:
    if kind == "create":
        marker = f"sync-{number}"
        with shared.lock:
            shared.markers.append(marker)
        created = client.memberships.create({"organizationId": shared.org_id, "userId": marker})
        with shared.lock:
            shared.created.append(str(created.id))
    elif kind == "get":
        client.organizations.get(rng.choice(shared.counters))
    elif kind == "increment":
        target = rng.choice(shared.counters)
        for _ in range(20):  # an application's answer to a conflict: read again, try again
            org = client.organizations.get(target)
            try:
                client.organizations.update(target, _bumped(org))
            except ConflictError:
                continue
            with shared.lock:
                shared.acked[target] += 1
            return
    elif kind == "list":
        client.memberships.list_page(page_size=50, filter=f"organizationId: '{shared.org_id}'")
    else:
        with shared.lock:
            victim = (
                shared.created.pop(rng.randrange(len(shared.created))) if shared.created else None
            )
        if victim is not None:
            client.memberships.delete(victim)


async def _async_op(
    client: AsyncKodexa, shared: _Shared, kind: str, number: int, rng: random.Random
) -> None:
    if kind == "create":
        marker = f"async-{number}"
        shared.markers.append(marker)
        body = {"organizationId": shared.org_id, "userId": marker}
        shared.created.append(str((await client.memberships.create(body)).id))
    elif kind == "get":
        await client.organizations.get(rng.choice(shared.counters))
    elif kind == "increment":
        target = rng.choice(shared.counters)
        for _ in range(20):
            org = await client.organizations.get(target)
            try:
                await client.organizations.update(target, _bumped(org))
            except ConflictError:
                continue
            with shared.lock:
                shared.acked[target] += 1
            return
    elif kind == "list":
        await client.memberships.list_page(
            page_size=50, filter=f"organizationId: '{shared.org_id}'"
        )
    elif shared.created:
        await client.memberships.delete(shared.created.pop(rng.randrange(len(shared.created))))


def _record(report: Report, kind: str, error: BaseException | None) -> None:
    if error is None:
        report.count(kind, "ok")
    elif isinstance(error, KodexaError):
        report.count(kind, type(error).__name__)
    else:
        report.count(kind, "untyped")
        with report.lock:
            report.untyped.append(f"{kind}: {type(error).__name__}: {error}")


def _run_sync(client: Kodexa, shared: _Shared, report: Report, plan: list[str]) -> None:
    def worker(index: int) -> None:
        rng = random.Random(report.seed * 1000 + index)  # noqa: S311 - reproducible, not secret
        for number in range(index, len(plan), report.writers):
            try:
                _sync_op(client, shared, plan[number], number, rng)
            except Exception as error:  # noqa: BLE001 - counting exactly these is the point
                _record(report, plan[number], error)
            else:
                _record(report, plan[number], None)

    with ThreadPoolExecutor(report.writers) as pool:
        list(pool.map(worker, range(report.writers)))


async def _run_async(client: AsyncKodexa, shared: _Shared, report: Report, plan: list[str]) -> None:
    rng = random.Random(report.seed + 1)  # noqa: S311 - reproducible, not secret
    gate = asyncio.Semaphore(report.writers)

    async def one(number: int) -> None:
        async with gate:
            try:
                await _async_op(client, shared, plan[number], number, rng)
            except Exception as error:  # noqa: BLE001 - counting exactly these is the point
                _record(report, plan[number], error)
            else:
                _record(report, plan[number], None)

    try:
        await asyncio.gather(*(one(number) for number in range(len(plan))))
    finally:
        await client.close()


def _check(client: Kodexa, shared: _Shared, report: Report) -> None:
    per_marker = Counter(str(m.user_id) for m in client.memberships.list(page_size=1000))
    report.duplicate_creates = sum(max(per_marker[m] - 1, 0) for m in shared.markers)
    report.increments_acknowledged = sum(shared.acked.values())
    # A counter may be higher than acknowledged (a write whose answer was lost), never lower.
    report.lost_updates = sum(
        max(shared.acked[org_id] - _count(client.organizations.get(org_id)), 0)
        for org_id in shared.counters
    )


def _with_retry_counter(action: Callable[[], None], report: Report) -> None:
    counter = _RetryCounter()
    logger = logging.getLogger("kodexa_platform")
    logger.addHandler(counter)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        action()
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
        report.retries = counter.count


def run(ops: int, seed: int, rate: float, writers: int = 4) -> Report:
    """Run ``ops`` operations against a faulty sandbox and check the aftermath."""
    report = Report(ops, seed, rate, writers)
    plan = _plan(random.Random(seed), ops)  # noqa: S311 - reproducible, not secret
    half = len(plan) // 2
    timeout = httpx.Timeout(5.0, read=READ_TIMEOUT)
    options: dict[str, Any] = {"api_key": API_KEY, "max_retries": 4, "timeout": timeout}
    started = time.perf_counter()
    with (
        stamina.set_testing(True, attempts=100, cap=True),
        SandboxServer(api_key=API_KEY) as server,
        Kodexa(base_url=server.base_url, **options) as client,
    ):
        org = client.organizations.create({"name": "Faults", "slug": "faults"})
        counters = [
            client.organizations.create({"name": f"Counter {i}", "slug": f"counter-{i}"})
            for i in range(COUNTERS)
        ]
        shared = _Shared([str(c.id) for c in counters], str(org.id))
        server.set_faults(FaultPlan(rate, seed, KINDS, delay=DELAY))
        aclient = AsyncKodexa(base_url=server.base_url, **options)

        def both() -> None:
            _run_sync(client, shared, report, plan[:half])
            asyncio.run(_run_async(aclient, shared, report, plan[half:]))

        _with_retry_counter(both, report)
        report.faults = server.fault_stats
        server.set_faults(None)
        _check(client, shared, report)
    report.seconds = time.perf_counter() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args(argv)
    report = run(args.ops, args.seed, args.rate, args.writers)
    print(json.dumps(report.as_dict(), indent=2))
    for line in report.untyped[:20]:
        print(f"untyped: {line}", file=sys.stderr)
    print("PASS" if report.ok else "FAIL")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
