"""Drive the client through a sandbox that fails on purpose, and count what went wrong.

    python scripts/faults.py [--ops 2000] [--seed 7] [--rate 0.2]

A seeded mix of creates, reads, updates, listings and deletes runs against a sandbox whose
fault plan resets connections, answers 429/503/502/520, and sometimes carries out a write and
then drops the connection. Afterwards the sandbox (with faults off) is compared with what the
client was told. The run fails when any of these is not zero:

* untyped errors - an exception that is not a ``KodexaError`` escaped a call;
* duplicate creates - one create call left two objects behind (a retried POST);
* lost updates - an update the client was told succeeded is not what the server holds,
  though no later update of that object was attempted.

Backoff sleeps are switched off (stamina's testing mode, attempts unchanged) so the run
takes seconds; the retry decisions are the ones production makes.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections import Counter
from dataclasses import dataclass, field

import httpx
import stamina

from kodexa_platform import ConflictError, Kodexa, KodexaError, NotFoundError
from kodexa_platform.testing import FaultPlan, SandboxServer

API_KEY = "faults-run-key"


@dataclass
class Report:
    """What one run did and found."""

    ops: int
    seed: int
    rate: float
    calls: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    faults: dict[str, int] = field(default_factory=dict)
    retries: int = 0
    untyped: list[str] = field(default_factory=list)
    duplicate_creates: int = 0
    lost_updates: int = 0

    @property
    def ok(self) -> bool:
        return not self.untyped and self.duplicate_creates == 0 and self.lost_updates == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "ops": self.ops,
            "seed": self.seed,
            "rate": self.rate,
            "calls": dict(self.calls),
            "outcomes": dict(self.outcomes),
            "faults_injected": self.faults,
            "retries": self.retries,
            "untyped_errors": len(self.untyped),
            "duplicate_creates": self.duplicate_creates,
            "lost_updates": self.lost_updates,
        }


class _RetryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying"):
            self.count += 1


@dataclass
class _Tracked:
    """What the client knows about one membership it created."""

    id: str
    acked_role: str | None = None  # the role of the last update the server confirmed
    later_attempt: bool = False  # an update was tried after that and its fate is unknown


def _run_ops(
    client: Kodexa, org_id: str, report: Report, rng: random.Random
) -> tuple[list[_Tracked], list[str]]:
    """Perform the operations; return the memberships left and the markers of every create."""
    tracked: list[_Tracked] = []
    markers: list[str] = []
    for number in range(report.ops):
        kind = rng.choices(["create", "get", "update", "list", "delete"], [3, 3, 3, 1, 1])[0]
        if kind != "create" and not tracked:
            kind = "create"
        report.calls[kind] += 1
        try:
            if kind == "create":
                marker = f"op-{number}"
                markers.append(marker)
                created = client.memberships.create(
                    {"organizationId": org_id, "userId": marker, "role": "READ"}
                )
                tracked.append(_Tracked(str(created.id), acked_role="READ"))
            elif kind == "get":
                client.memberships.get(rng.choice(tracked).id)
            elif kind == "update":
                target = rng.choice(tracked)
                current = client.memberships.get(target.id)
                role = f"role-{number}"
                current.role = role
                target.later_attempt = True
                client.memberships.update(target.id, current)
                target.acked_role, target.later_attempt = role, False
            elif kind == "list":
                client.memberships.list_page(page_size=50, filter=f"organizationId: '{org_id}'")
            else:
                target = tracked.pop(rng.randrange(len(tracked)))
                client.memberships.delete(target.id)
            report.outcomes["ok"] += 1
        except NotFoundError:
            report.outcomes["NotFoundError"] += 1  # e.g. a retried delete that had succeeded
        except ConflictError:
            report.outcomes["ConflictError"] += 1
        except KodexaError as error:
            report.outcomes[type(error).__name__] += 1
        except Exception as error:  # noqa: BLE001 - counting exactly these is the point
            report.untyped.append(f"{kind}: {type(error).__name__}: {error}")
    return tracked, markers


def _lost_updates(client: Kodexa, tracked: list[_Tracked]) -> int:
    lost = 0
    for item in tracked:
        if item.later_attempt or item.acked_role is None:
            continue
        try:
            held = client.memberships.get(item.id).role
        except NotFoundError:
            continue  # an unacknowledged delete may have reached the server
        lost += held != item.acked_role
    return lost


def run(ops: int, seed: int, rate: float) -> Report:
    """Run ``ops`` operations against a faulty sandbox and check the aftermath."""
    report = Report(ops, seed, rate)
    counter = _RetryCounter()
    logger = logging.getLogger("kodexa_platform")
    logger.addHandler(counter)
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    # stamina reports each retry as a warning of its own; the counter above already sees them.
    logging.getLogger("stamina").setLevel(logging.ERROR)
    try:
        with (
            stamina.set_testing(True, attempts=100, cap=True),
            SandboxServer(api_key=API_KEY) as server,
            Kodexa(
                api_key=API_KEY,
                base_url=server.base_url,
                max_retries=4,
                timeout=httpx.Timeout(5.0, connect=2.0),
            ) as client,
        ):
            org = client.organizations.create({"name": "Faults", "slug": "faults"})
            server.set_faults(FaultPlan(rate, seed))
            rng = random.Random(seed)  # noqa: S311 - reproducible, not secret
            tracked, markers = _run_ops(client, str(org.id), report, rng)
            report.faults = server.fault_stats
            server.set_faults(None)
            report.lost_updates = _lost_updates(client, tracked)
            per_marker = Counter(str(m.user_id) for m in client.memberships.list(page_size=1000))
            report.duplicate_creates = sum(max(per_marker[marker] - 1, 0) for marker in markers)
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous_level)
    report.retries = counter.count
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rate", type=float, default=0.2)
    args = parser.parse_args(argv)
    report = run(args.ops, args.seed, args.rate)
    print(json.dumps(report.as_dict(), indent=2))
    for line in report.untyped[:20]:
        print(f"untyped: {line}", file=sys.stderr)
    print("PASS" if report.ok else "FAIL")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
