"""Auto-pagination: lazy, page by page, and never an endless loop."""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

import pytest

from kodexa_platform import (
    APIResponseValidationError,
    AsyncKodexa,
    AsyncPager,
    Page,
    RequestValidationError,
    SyncPager,
)

from .conftest import FakeServer, Flavour, membership, page, reply


def _items(*ids: str) -> list[dict[str, Any]]:
    return [membership() | {"id": i} for i in ids]


def _ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


def _pages_asked(server: FakeServer) -> list[str]:
    return [request.url.params["page"] for request in server.requests]


def test_walks_pages_until_last(flavour: Flavour) -> None:
    server = FakeServer(
        reply(200, page(_items("a", "b"), number=0, size=2, last=False)),
        reply(200, page(_items("c", "d"), number=1, size=2, last=False)),
        reply(200, page(_items("e"), number=2, size=2, last=True)),
    )
    items = flavour.call(server, lambda c: c.memberships.list(page_size=2).to_list())
    assert _ids(items) == ["a", "b", "c", "d", "e"]
    assert _pages_asked(server) == ["1", "2", "3"]
    assert {r.url.params["pageSize"] for r in server.requests} == {"2"}


def test_last_true_stops_even_when_the_page_is_full(flavour: Flavour) -> None:
    server = FakeServer(reply(200, page(_items("a", "b"), number=0, size=2, last=True)))
    items = flavour.call(server, lambda c: c.memberships.list(page_size=2).to_list())
    assert _ids(items) == ["a", "b"]
    assert server.count == 1


def test_stops_at_an_empty_page_even_if_last_says_otherwise(flavour: Flavour) -> None:
    server = FakeServer(
        reply(200, page(_items("a"), number=0, size=1, last=False)),
        reply(200, page([], number=1, size=1, last=False)),
    )
    items = flavour.call(server, lambda c: c.memberships.list(page_size=1).to_list())
    assert _ids(items) == ["a"]
    assert server.count == 2


def test_null_content_is_an_empty_page(flavour: Flavour) -> None:
    body = page([], number=0, last=False) | {"content": None}
    server = FakeServer(reply(200, body))
    items = flavour.call(server, lambda c: c.organizations.list().to_list())
    assert items == []
    assert server.count == 1


def test_stops_by_total_pages_when_last_is_missing(flavour: Flavour) -> None:
    server = FakeServer(
        reply(200, page(_items("a"), number=0, size=1, total_pages=2)),
        reply(200, page(_items("b"), number=1, size=1, total_pages=2)),
    )
    items = flavour.call(server, lambda c: c.memberships.list(page_size=1).to_list())
    assert _ids(items) == ["a", "b"]
    assert server.count == 2


def test_stops_by_total_elements_when_last_and_total_pages_are_missing(flavour: Flavour) -> None:
    server = FakeServer(
        reply(200, page(_items("a", "b"), number=0, size=2, total_elements=3)),
        reply(200, page(_items("c"), number=1, size=2, total_elements=3)),
    )
    pages = flavour.call(server, lambda c: c.memberships.list_page(page_size=2))
    assert (pages.total_items, pages.total_pages, pages.is_last) == (3, 2, False)
    server = FakeServer(
        reply(200, page(_items("a", "b"), number=0, size=2, total_elements=4)),
        reply(200, page(_items("c", "d"), number=1, size=2, total_elements=4)),
        reply(200, page(_items("never"), number=2, size=2, total_elements=4)),
    )
    items = flavour.call(server, lambda c: c.memberships.list(page_size=2).to_list())
    assert _ids(items) == ["a", "b", "c", "d"]
    assert server.count == 2


def test_stops_at_a_short_page_when_the_body_has_no_totals(flavour: Flavour) -> None:
    server = FakeServer(
        reply(200, page(_items("a", "b"), number=0, size=2)),
        reply(200, page(_items("c"), number=1, size=2)),
        reply(200, page(_items("never"), number=2, size=2)),
    )
    items = flavour.call(server, lambda c: c.memberships.list(page_size=2).to_list())
    assert _ids(items) == ["a", "b", "c"]
    assert server.count == 2


def test_a_huge_total_does_not_overflow(flavour: Flavour) -> None:
    # JSON integers have no limit; dividing one as a float would raise OverflowError.
    body = page(_items("a"), number=0, size=1, total_elements=10**400)
    result = flavour.call(
        FakeServer(reply(200, body)), lambda c: c.memberships.list_page(page_size=1)
    )
    assert result.total_pages == 10**400
    assert not result.is_last


def _at_most_ten(client: Any) -> Any:
    """The first ten items of a membership listing, so that a broken pager fails fast."""
    if isinstance(client, AsyncKodexa):

        async def take() -> list[Any]:
            found = []
            async for item in client.memberships.list(page_size=1):
                found.append(item)
                if len(found) == 10:
                    break
            return found

        return take()
    return list(itertools.islice(client.memberships.list(page_size=1), 10))


def test_a_server_ignoring_page_is_caught_instead_of_looping(flavour: Flavour) -> None:
    # The same first page for every request: without the check the pager would never end.
    server = FakeServer(reply(200, page(_items("a"), number=0, size=1, last=False)))
    with pytest.raises(APIResponseValidationError, match="page 2") as caught:
        flavour.call(server, _at_most_ten)
    assert server.count == 2
    assert json.loads(caught.value.body)["number"] == 0  # the raw body is kept
    assert caught.value.status_code == 200


def test_a_server_repeating_a_page_without_number_or_last_is_caught(flavour: Flavour) -> None:
    body = page(_items("a", "b"), size=2)
    del body["number"]
    server = FakeServer(reply(200, body))
    with pytest.raises(APIResponseValidationError, match="repeats page 1") as caught:
        flavour.call(server, _at_most_ten)
    assert server.count == 2
    assert json.loads(caught.value.body)["content"][0]["id"] == "a"


def test_list_page_checks_the_page_number_too(flavour: Flavour) -> None:
    server = FakeServer(reply(200, page(_items("a"), number=0)))
    with pytest.raises(APIResponseValidationError, match="number 0"):
        flavour.call(server, lambda c: c.memberships.list_page(page=5))


def test_missing_page_number_is_accepted(flavour: Flavour) -> None:
    body = page(_items("a"), last=True)
    del body["number"]
    result = flavour.call(FakeServer(reply(200, body)), lambda c: c.memberships.list_page(page=4))
    assert result.page == 4
    assert _ids(result.items) == ["a"]


def test_sync_list_is_lazy() -> None:
    flavour = Flavour("sync")
    server = FakeServer(
        reply(200, page(_items("a"), number=0, size=1, last=False)),
        reply(200, page(_items("b"), number=1, size=1, last=True)),
    )
    client = flavour.make(server)
    pager = client.memberships.list(page_size=1)
    assert isinstance(pager, SyncPager)
    assert server.count == 0
    iterator = iter(pager)
    assert server.count == 0
    assert next(iterator).id == "a"
    assert server.count == 1
    assert next(iterator).id == "b"
    assert server.count == 2
    # Iterating again starts afresh.
    server = FakeServer(reply(200, page(_items("z"), number=0, size=1, last=True)))
    pager = flavour.make(server).memberships.list(page_size=1)
    assert _ids(list(pager)) == _ids(list(pager)) == ["z"]
    assert server.count == 2


def test_async_list_is_lazy() -> None:
    flavour = Flavour("async")
    server = FakeServer(
        reply(200, page(_items("a"), number=0, size=1, last=False)),
        reply(200, page(_items("b"), number=1, size=1, last=True)),
    )
    client = flavour.make(server)

    async def main() -> None:
        pager = client.memberships.list(page_size=1)
        assert isinstance(pager, AsyncPager)
        assert server.count == 0
        iterator = pager.__aiter__()
        assert server.count == 0
        assert (await iterator.__anext__()).id == "a"
        assert server.count == 1
        assert (await iterator.__anext__()).id == "b"
        assert server.count == 2
        with pytest.raises(StopAsyncIteration):
            await iterator.__anext__()
        assert server.count == 2

    asyncio.run(main())


def test_pages_yields_each_page_with_its_totals(flavour: Flavour) -> None:
    server = FakeServer(
        reply(200, page(_items("a"), number=0, size=1, total_elements=2, total_pages=2)),
        reply(200, page(_items("b"), number=1, size=1, total_elements=2, total_pages=2)),
    )

    def collect(client: Any) -> Any:
        return list(client.memberships.list(page_size=1).pages())

    async def collect_async(client: Any) -> Any:
        return [p async for p in client.memberships.list(page_size=1).pages()]

    pages = flavour.call(server, collect_async if flavour.is_async else collect)
    assert [p.page for p in pages] == [1, 2]
    assert [p.has_next for p in pages] == [True, False]
    assert all(isinstance(p, Page) and p.total_items == 2 for p in pages)


def test_async_for_over_a_list() -> None:
    flavour = Flavour("async")
    server = FakeServer(reply(200, page(_items("a", "b"), number=0, last=True)))

    async def collect(client: Any) -> list[str]:
        return [m.id async for m in client.memberships.list()]

    assert flavour.call(server, collect) == ["a", "b"]


BAD_PAGE_SIZES = [0, -1, 1001, True, "10", 1.5, None]
BAD_PAGES = [0, -1, True, "1", 1.0, None]


@pytest.mark.parametrize("bad", BAD_PAGE_SIZES)
def test_bad_page_size_is_refused_before_any_request(flavour: Flavour, bad: Any) -> None:
    server = FakeServer(reply(200, page([])))
    client = flavour.make(server)
    with pytest.raises(RequestValidationError, match="page_size"):
        client.memberships.list(page_size=bad)  # at the call, not at the first item
    with pytest.raises(RequestValidationError, match="page_size"):
        flavour.run(client, lambda c: c.organizations.list_page(page_size=bad))
    assert server.count == 0


@pytest.mark.parametrize("bad", BAD_PAGES)
def test_bad_page_is_refused_before_any_request(flavour: Flavour, bad: Any) -> None:
    server = FakeServer(reply(200, page([])))
    with pytest.raises(RequestValidationError, match="page"):
        flavour.call(server, lambda c: c.memberships.list_page(page=bad))
    assert server.count == 0


def test_page_size_bounds_are_accepted(flavour: Flavour) -> None:
    server = FakeServer(reply(200, page([])))
    flavour.call(server, lambda c: c.memberships.list_page(page_size=1))
    flavour.call(server, lambda c: c.memberships.list_page(page_size=1000))
    assert [r.url.params["pageSize"] for r in server.requests] == ["1", "1000"]


def test_an_error_on_a_later_page_surfaces_from_the_iteration(flavour: Flavour) -> None:
    from kodexa_platform import NotFoundError

    server = FakeServer(
        reply(200, page(_items("a"), number=0, size=1, last=False)),
        reply(404, {"message": "gone"}),
    )
    with pytest.raises(NotFoundError, match="gone"):
        flavour.call(server, lambda c: c.memberships.list(page_size=1).to_list())
    assert server.count == 2
