"""Property tests: whatever a server answers, a call returns a model or raises a KodexaError.

Bodies are arbitrary JSON, arbitrary bytes, truncated JSON, and valid payloads from the
reference examples with parts replaced, removed or corrupted, so that many of them get past
the first checks and reach the deeper ones. Any other exception (KeyError, TypeError,
JSONDecodeError, AttributeError, OverflowError, RecursionError ...) fails the test.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from kodexa_platform_client.models import Membership, Organization

from kodexa_platform import KodexaError, Page

from .conftest import FakeServer, Flavour, load, membership, organization, page, reply

FIELDS = sorted(
    set(membership())
    | set(organization())
    | set(membership()["user"])
    | set(load("list-organizations.page.json"))
    | {"message", "detail", "title", "errors", "incidentId", "orderedDashboards", "authGroup"}
)

TIMESTAMPS = st.sampled_from(
    [
        "2023-11-07T05:31:56Z",
        "2023-11-07T05:31:56.123456789+14:00",
        "2023-11-07T05:31:56",
        "2023-11-07",
        "2023-02-30T00:00:00Z",
        "2023-11-07T25:00:00Z",
        "T",
        "t",
        "2023-11-07t05:31:56z",
        "",
    ]
)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats()
    | st.text(max_size=20)
    | TIMESTAMPS
)

JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


@st.composite
def mutated(draw: st.DrawFn, value: Any, depth: int = 0) -> Any:
    """``value`` with one spot replaced, removed or corrupted."""
    if isinstance(value, dict) and value and depth < 6 and draw(st.integers(0, 4)):
        key = draw(st.sampled_from(sorted(value)))
        result = dict(value)
        action = draw(st.sampled_from(["replace", "delete", "recurse", "recurse"]))
        if action == "delete":
            del result[key]
        elif action == "replace":
            result[key] = draw(JSON)
        else:
            result[key] = draw(mutated(value[key], depth + 1))
        return result
    if isinstance(value, list) and value and depth < 6 and draw(st.integers(0, 4)):
        index = draw(st.integers(0, len(value) - 1))
        result_list = list(value)
        result_list[index] = draw(mutated(value[index], depth + 1))
        return result_list
    return draw(JSON)


def _valid_bodies() -> list[Any]:
    big_page = page([membership(), membership()], number=0, last=False, total_elements=5)
    return [
        membership(),
        load("create-membership.json"),
        organization(),
        load("list-organizations.page.json"),
        big_page,
        load("user-memberships.legacy.json"),
        load("error.legacy.json"),
        {"type": "about:blank", "title": "t", "status": 400, "detail": "d"},
    ]


#: Bodies that broke naive parsers: nesting deeper than the recursion limit, and totals too
#: large for a float.
HOSTILE = [
    b"[" * 3_000 + b"]" * 3_000,
    b'{"a":' * 3_000 + b"1" + b"}" * 3_000,
    json.dumps(page([], number=0) | {"totalElements": 10**400}).encode(),
    json.dumps(page([membership()], number=0, size=1) | {"totalElements": 10**400}).encode(),
]


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kinds = ["mutated", "mutated", "mutated", "json", "bytes", "truncated", "hostile"]
    kind = draw(st.sampled_from(kinds))
    if kind == "hostile":
        return draw(st.sampled_from(HOSTILE))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "json":
        value = draw(JSON)
    else:
        base = draw(st.sampled_from(_valid_bodies()))
        value = draw(mutated(copy.deepcopy(base)))
    text = json.dumps(value)  # NaN and Infinity included, as a lax server may send them
    if kind == "truncated":
        text = text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    return text.encode()


STATUSES = st.sampled_from([200, 200, 200, 201, 204]) | st.integers(min_value=100, max_value=999)


def _is_membership(value: Any) -> bool:
    return isinstance(value, Membership)


def _is_organization(value: Any) -> bool:
    return isinstance(value, Organization)


def _is_page(value: Any) -> bool:
    return isinstance(value, Page) and isinstance(value.items, list)


def _is_list_of_memberships(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, Membership) for item in value)


OPERATIONS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], bool]]] = {
    "m.create": (lambda c: c.memberships.create({"role": "OWNER"}), _is_membership),
    "m.get": (lambda c: c.memberships.get("m-1"), _is_membership),
    "m.update": (lambda c: c.memberships.update("m-1", {"role": "READ"}), _is_membership),
    "m.delete": (lambda c: c.memberships.delete("m-1"), lambda value: value is None),
    "m.list_page": (lambda c: c.memberships.list_page(page_size=2), _is_page),
    "o.create": (lambda c: c.organizations.create({"name": "n", "slug": "s"}), _is_organization),
    "o.get": (lambda c: c.organizations.get("o-1"), _is_organization),
    "o.update": (
        lambda c: c.organizations.update("o-1", {"name": "n", "slug": "s"}),
        _is_organization,
    ),
    "o.list_page": (lambda c: c.organizations.list_page(), _is_page),
    "o.suspend": (lambda c: c.organizations.suspend("o-1"), _is_organization),
    "users": (lambda c: c.users.memberships("u-1"), _is_list_of_memberships),
}


def _bounded_sync_list(client: Any) -> list[Any]:
    # The same answer for every page: bounded, since a body without `number` and with
    # `last: false` cannot be told apart from a real next page.
    return list(itertools.islice(client.memberships.list(page_size=2), 50))


async def _bounded_async_list(client: Any) -> list[Any]:
    found: list[Any] = []
    async for item in client.memberships.list(page_size=2):
        found.append(item)
        if len(found) >= 50:
            break
    return found


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    operation=st.sampled_from(sorted(OPERATIONS)),
    status=STATUSES,
    body=bodies(),
    content_type=st.sampled_from(["application/json", "application/problem+json", "text/html"]),
)
def test_any_answer_is_a_model_or_a_kodexa_error(
    operation: str, status: int, body: bytes, content_type: str
) -> None:
    action, is_expected = OPERATIONS[operation]
    server = FakeServer(reply(status, content=body, headers={"content-type": content_type}))
    try:
        result = Flavour("sync").call(server, action, max_retries=0)
    except KodexaError as error:
        event(f"raised {type(error).__name__}")
        return
    event("returned a result")
    assert 200 <= status < 300
    assert is_expected(result), result


@settings(max_examples=80, deadline=None, database=None)
@given(
    status=STATUSES,
    body=bodies(),
    operation=st.sampled_from(["m.get", "o.suspend", "m.list_page", "users", "m.delete"]),
)
def test_any_answer_to_the_async_client_is_a_model_or_a_kodexa_error(
    status: int, body: bytes, operation: str
) -> None:
    action, is_expected = OPERATIONS[operation]
    server = FakeServer(reply(status, content=body))
    try:
        result = Flavour("async").call(server, action, max_retries=0)
    except KodexaError:
        return
    assert is_expected(result), result


@settings(max_examples=80, deadline=None, database=None)
@given(
    first=bodies(),
    second=bodies(),
    flavour=st.sampled_from(["sync", "async"]),
)
def test_listing_any_pages_yields_memberships_or_a_kodexa_error(
    first: bytes, second: bytes, flavour: str
) -> None:
    server = FakeServer(reply(200, content=first), reply(200, content=second))
    runner = Flavour(flavour)
    action = _bounded_async_list if runner.is_async else _bounded_sync_list
    try:
        items = runner.call(server, action, max_retries=0)
    except KodexaError:
        return
    assert all(isinstance(item, Membership) for item in items)
