"""Contract check: the client's traffic and the sandbox's answers, judged by Prism.

    python scripts/contract.py

Starts the project's sandbox on loopback and Stoplight Prism (``node_modules``, pinned in
package-lock.json) as a validating proxy in front of it::

    client (kodexa_platform.Kodexa / AsyncKodexa) -> prism proxy --errors -> sandbox

then drives every operation of openapi.yaml through the proxy with the project's own clients,
the successful paths and the documented failures (404, 409, 401, the unknown-filter 500).
Prism checks each request against the spec before forwarding it and each answer before
returning it; with ``--errors`` any violation becomes an error answer instead.

The run fails (exit 1), listing what went wrong, if

* Prism reports any violation: an error answer of its own, a ``sl-violations`` header, or a
  violation line in its log;
* a call does not end as the scenario expects (a value, or the documented error);
* an operation of the spec is never called through the proxy.

The scenario runs four times: the sync and the async client, each against a sandbox that
answers as newer deployments do (201 on create, 204 on delete) and one that answers as the
legacy server does (200 and 200 with an empty body), since the spec documents both.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import re
import sys
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prism_server import SPEC, Prism, prism_installed

from kodexa_platform import (
    AsyncKodexa,
    AuthenticationError,
    ConflictError,
    InternalServerError,
    Kodexa,
    NotFoundError,
)
from kodexa_platform.testing import SandboxServer

API_KEY = "contract-sandbox-key"
PRISM_ERROR = "https://stoplight.io/prism/errors#"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# What Prism writes when it finds something: a violation, or an error answer of its own.
_PRISM_PROBLEM = re.compile(r"Violation:|Request terminated with error|sl-violations", re.I)
# Prism logs each request it receives: `[HTTP SERVER] get /api/...  info  Request received`.
_RECEIVED = re.compile(r"\[HTTP SERVER\] (\w+) (\S+) .*Request received")


@dataclass
class Report:
    """What one run saw: calls made, problems found."""

    calls: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def _operations(spec: Path) -> dict[tuple[str, re.Pattern[str]], str]:
    """Map (method, path pattern) to operationId for every operation of the spec."""
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    found: dict[tuple[str, re.Pattern[str]], str] = {}
    for path, item in document["paths"].items():
        parts = re.split(r"(\{[^}]+\})", path)
        pattern = re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))
        for method in METHODS:
            if method in item:
                found[(method.upper(), pattern)] = item[method]["operationId"]
    return found


def _operation_of(operations: dict[tuple[str, re.Pattern[str]], str], method: str, url: str) -> str:
    path = url.split("?", 1)[0]
    for (verb, pattern), operation_id in operations.items():
        if verb == method.upper() and pattern.fullmatch(path):
            return operation_id
    return f"(not in the spec) {method.upper()} {path}"


def _prism_details(error: BaseException) -> str:
    """Prism's own account of a violation, when the failure is an error answer of Prism's."""
    body = getattr(error, "body", None)
    headers = getattr(error, "headers", None) or {}
    parts = []
    if isinstance(body, dict) and str(body.get("type", "")).startswith(PRISM_ERROR):
        parts.append(f"Prism {body.get('title')}: {body.get('validation')}")
    if "sl-violations" in headers:
        parts.append(f"sl-violations: {headers['sl-violations']}")
    return "; ".join(parts)


async def _call(value: Any) -> Any:
    # One scenario serves both clients: the async client's methods return awaitables.
    return await value if inspect.isawaitable(value) else value


async def _items(pager: Any) -> list[Any]:
    if hasattr(pager, "__aiter__"):
        return [item async for item in pager]
    return list(pager)


class Scenario:
    """Every operation through the proxy, with the outcome each call must have."""

    def __init__(self, client: Any, bad_client: Any, report: Report, label: str) -> None:
        self.client = client
        self.bad_client = bad_client
        self.report = report
        self.label = label

    async def step(
        self,
        name: str,
        action: Callable[[], Any],
        expect: type[BaseException] | None = None,
        check: Callable[[Any], bool] | None = None,
    ) -> Any:
        """Run one call; record a problem unless it ends as expected."""
        self.report.calls[name] += 1
        where = f"[{self.label}] {name}"
        try:
            result = await _call(action())
        except Exception as error:  # noqa: BLE001 - every failure is reported, none is fatal here
            details = _prism_details(error)
            if expect is not None and isinstance(error, expect) and not details:
                return error
            wanted = expect.__name__ if expect else "success"
            found = f"{type(error).__name__}: {error}"
            self.report.problems.append(
                f"{where}: expected {wanted}, got {found}" + (f" [{details}]" if details else "")
            )
            return None
        if expect is not None:
            self.report.problems.append(f"{where}: expected {expect.__name__}, got {result!r}")
        elif check is not None and not check(result):
            self.report.problems.append(f"{where}: unexpected result {result!r}")
        return result

    async def run(self) -> None:
        orgs = self.client.organizations
        members = self.client.memberships
        tag = uuid.uuid4().hex[:8]
        slug = f"contract-{tag}"
        user_id = str(uuid.uuid4())

        org = await self.step(
            "createOrganization",
            lambda: orgs.create({"name": f"Contract {tag}", "slug": slug}),
            check=lambda o: o.slug == slug and isinstance(o.id, str),
        )
        if org is None:
            return  # nothing below can run without it; the problem is already recorded
        await self.step("getOrganization", lambda: orgs.get(org.id), check=lambda o: o.id == org.id)
        await self.step(
            "updateOrganization",
            lambda: orgs.update(org.id, {**org.to_dict(), "description": "checked by Prism"}),
            check=lambda o: o.description == "checked by Prism",
        )
        await self.step(
            "updateOrganization (stale changeSequence)",
            lambda: orgs.update(org.id, {**org.to_dict(), "description": "stale"}),
            expect=ConflictError,
        )
        await self.step(
            "createOrganization (duplicate slug)",
            lambda: orgs.create({"name": "Duplicate", "slug": slug}),
            expect=ConflictError,
        )
        await self.step(
            "listOrganizations",
            lambda: _items(
                orgs.list(query="contract", filter=[f"slug: '{slug}'"], sort="name,asc")
            ),
            check=lambda items: [o.id for o in items] == [org.id],
        )
        await self.step(
            "listOrganizations (page)",
            lambda: orgs.list_page(page=1, page_size=1),
            check=lambda page: page.page == 1 and len(page.items) <= 1,
        )
        await self.step(
            "listOrganizations (unknown filter field, documented 500)",
            lambda: orgs.list_page(filter="noSuchField: 'x'"),
            expect=InternalServerError,
        )

        membership = await self.step(
            "createMembership",
            lambda: members.create(
                {
                    "organizationId": org.id,
                    "userId": user_id,
                    "role": "OWNER",
                    "user": {"id": user_id, "email": f"{tag}@example.com", "firstName": "Ada"},
                }
            ),
            check=lambda m: m.organization_id == org.id and m.user_id == user_id,
        )
        if membership is not None:
            await self.step(
                "getMembership",
                lambda: members.get(membership.id),
                check=lambda m: m.role == "OWNER",
            )
            await self.step(
                "updateMembership",
                lambda: members.update(membership.id, {**membership.to_dict(), "role": "WRITE"}),
                check=lambda m: m.role == "WRITE",
            )
            await self.step(
                "listMemberships",
                lambda: _items(
                    members.list(filter=[f"organization.id: '{org.id}'"], sort="role,desc")
                ),
                check=lambda items: [m.id for m in items] == [membership.id],
            )
            await self.step(
                "listMemberships (page)",
                lambda: members.list_page(page=1, page_size=5, query="*"),
                check=lambda page: page.page == 1,
            )
            await self.step(
                "listUserMemberships",
                lambda: self.client.users.memberships(user_id),
                check=lambda items: [m.id for m in items] == [membership.id],
            )
            await self.step(
                "deleteOrganization (still has members)",
                lambda: orgs.delete(org.id),
                expect=ConflictError,
            )
            await self.step("deleteMembership", lambda: members.delete(membership.id))
            await self.step(
                "getMembership (deleted)", lambda: members.get(membership.id), expect=NotFoundError
            )

        await self.step(
            "suspendOrganization",
            lambda: orgs.suspend(org.id),
            check=lambda o: o.organization_status == "SUSPENDED",
        )
        await self.step(
            "getOrganization (bad API key)",
            lambda: self.bad_client.organizations.get(org.id),
            expect=AuthenticationError,
        )
        await self.step("deleteOrganization", lambda: orgs.delete(org.id, force=True))
        await self.step("getOrganization (deleted)", lambda: orgs.get(org.id), expect=NotFoundError)
        await self.step(
            "deleteMembership (unknown id)",
            lambda: members.delete(str(uuid.uuid4())),
            expect=NotFoundError,
        )


def _clients(kind: str, base_url: str) -> tuple[Any, Any]:
    # No retries: a retried call would hide that its first answer was an error of Prism's.
    cls: Any = Kodexa if kind == "sync" else AsyncKodexa
    good = cls(api_key=API_KEY, base_url=base_url, max_retries=0)
    bad = cls(api_key="not-the-key", base_url=base_url, max_retries=0)
    return good, bad


async def _close(*clients: Any) -> None:
    for client in clients:
        await _call(client.close())


def run_against(spec: Path, deployment: str, statuses: dict[str, int], report: Report) -> set[str]:
    """Run both clients' scenarios against one sandbox; return the operations Prism saw."""
    operations = _operations(spec)
    with (
        SandboxServer(api_key=API_KEY, **statuses) as sandbox,
        Prism("proxy", sandbox.base_url, "--errors", spec=spec) as prism,
    ):
        for kind in ("sync", "async"):
            label = f"{kind} client, {deployment} sandbox"
            good, bad = _clients(kind, prism.base_url)

            async def scenario(good: Any = good, bad: Any = bad, label: str = label) -> None:
                try:
                    await Scenario(good, bad, report, label).run()
                finally:
                    await _close(good, bad)

            asyncio.run(scenario())
        prism.stop()  # so that its log is complete
        log = prism.log()
    seen = set()
    for line in log.splitlines():
        if _PRISM_PROBLEM.search(line):
            report.problems.append(f"[{deployment} sandbox] Prism: {line.strip()}")
        received = _RECEIVED.search(line)
        if received:
            seen.add(_operation_of(operations, received.group(1), received.group(2)))
    return seen


DEPLOYMENTS: dict[str, dict[str, int]] = {
    "current": {"create_status": 201, "delete_status": 204},
    "legacy": {"create_status": 200, "delete_status": 200},
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--spec",
        type=Path,
        default=SPEC,
        help="the document Prism holds the traffic to (default: openapi.yaml); another one "
        "shows that the check does fail when sandbox and spec disagree",
    )
    args = parser.parse_args(argv)
    if not prism_installed():
        print("contract: node_modules/.bin/prism is missing: run `npm ci` first", file=sys.stderr)
        return 2
    report = Report()
    seen: set[str] = set()
    for deployment, statuses in DEPLOYMENTS.items():
        seen |= run_against(args.spec, deployment, statuses, report)
    every = set(_operations(args.spec).values())
    for operation_id in sorted(every - seen):
        report.problems.append(f"{operation_id} was never called through the proxy")
    for stray in sorted(seen - every):
        report.problems.append(f"a call matched no operation of the spec: {stray}")

    total = sum(report.calls.values())
    print(
        f"contract: {total} calls by the sync and async clients through Prism (proxy, --errors) "
        f"to the sandbox ({', '.join(DEPLOYMENTS)} answers); "
        f"{len(every & seen)}/{len(every)} operations covered"
    )
    if report.problems:
        print(f"contract: FAILED, {len(report.problems)} problem(s):")
        for problem in report.problems:
            print(f"  - {problem}")
        return 1
    print("contract: no violations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
