"""Pages of a listing, and iterators that walk every page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from ._exceptions import APIResponseValidationError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a listing.

    ``page`` counts from 1, as the ``page`` parameter does (the platform's own body counts
    from 0). ``raw`` is the generated page model, with every field the platform sent, and
    ``response`` the HTTP response it came in.
    """

    items: list[T]
    page: int
    page_size: int
    total_items: int | None
    total_pages: int | None
    is_last: bool
    raw: Any = field(repr=False)
    response: httpx.Response = field(repr=False)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_next(self) -> bool:
        return bool(self.items) and not self.is_last


def _check_progress(previous: tuple[T, T] | None, page: Page[T]) -> tuple[T, T] | None:
    """Refuse a page that repeats the previous one; return what the next check compares.

    A server that ignores `page` and omits `number` and `last` would send the same full page
    for ever; two identical pages in a row end the walk with an error instead. Only the first
    and last items are kept, so the walk holds one page, not two.
    """
    ends = (page.items[0], page.items[-1]) if page.items else None
    if previous is not None and ends == previous:
        raise APIResponseValidationError(
            f"page {page.page} repeats page {page.page - 1}: the server seems to ignore `page`",
            response=page.response,
            body=page.response.text,
        )
    return ends


class SyncPager(Generic[T]):
    """Iterates over every item of a listing, fetching the next page when one runs out.

    Nothing is fetched until iteration starts; iterate again to fetch afresh.
    """

    def __init__(self, fetch: Callable[[int], Page[T]]) -> None:
        self._fetch = fetch

    def pages(self) -> Iterator[Page[T]]:
        number, previous = 1, None
        while True:
            page = self._fetch(number)
            previous = _check_progress(previous, page)
            yield page
            more = page.has_next
            del page  # hold one page, not two, while the next one loads
            if not more:
                return
            number += 1

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            items = page.items
            del page
            yield from items
            del items

    def to_list(self) -> list[T]:
        return list(self)


class AsyncPager(Generic[T]):
    """Like :class:`SyncPager`, for ``async for``."""

    def __init__(self, fetch: Callable[[int], Awaitable[Page[T]]]) -> None:
        self._fetch = fetch

    async def pages(self) -> AsyncIterator[Page[T]]:
        number, previous = 1, None
        while True:
            page = await self._fetch(number)
            previous = _check_progress(previous, page)
            yield page
            more = page.has_next
            del page  # hold one page, not two, while the next one loads
            if not more:
                return
            number += 1

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            items = page.items
            del page  # as in SyncPager: hold one page while the next one loads
            for item in items:
                yield item
            del items

    async def to_list(self) -> list[T]:
        return [item async for item in self]
