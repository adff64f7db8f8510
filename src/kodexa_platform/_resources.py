"""The namespaces of a client: ``client.memberships``, ``client.organizations``, ``client.users``.

Each method builds a call (see ``_calls``) and hands it to the client that owns the
resource, so the sync and async flavours differ only in how they wait.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from kodexa_platform_client.models import Membership, Organization

from . import _calls
from ._calls import MEMBERSHIPS, ORGANIZATIONS, Kind
from ._constants import DEFAULT_PAGE_SIZE
from ._pagination import AsyncPager, Page, SyncPager
from ._transport import Call

M = TypeVar("M", Membership, Organization)
T = TypeVar("T")

SyncRun = Callable[[Call[Any]], Any]
AsyncRun = Callable[[Call[Any]], Awaitable[Any]]


class _Crud(Generic[M]):
    _kind: Kind[M]

    def __init__(self, run: SyncRun) -> None:
        self._run = run

    def create(self, body: M | Mapping[str, Any]) -> M:
        """Create an object from a model or a JSON mapping; returns what the platform stored."""
        result: M = self._run(_calls.create(self._kind, body))
        return result

    def get(self, id: str) -> M:
        """Fetch one object by id. Raises :class:`NotFoundError` when there is none."""
        result: M = self._run(_calls.get(self._kind, id))
        return result

    def update(self, id: str, body: M | Mapping[str, Any]) -> M:
        """Replace an object with ``body``.

        Send the ``changeSequence`` you read; a stale one raises :class:`ConflictError`.
        """
        result: M = self._run(_calls.update(self._kind, id, body))
        return result

    def delete(self, id: str, *, force: bool | None = None) -> None:
        """Delete an object; ``force=True`` also deletes what still refers to it."""
        self._run(_calls.delete(self._kind, id, force=force))

    def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        query: str = "*",
        filter: str | Sequence[str] | None = None,
        sort: str | None = None,
    ) -> Page[M]:
        """Fetch one page (counted from 1), with the totals the platform reports."""
        call = _calls.list_page(
            self._kind, page=page, page_size=page_size, query=query, filter=filter, sort=sort
        )
        result: Page[M] = self._run(call)
        return result

    def list(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        query: str = "*",
        filter: str | Sequence[str] | None = None,
        sort: str | None = None,
    ) -> SyncPager[M]:
        """Iterate over every matching object, fetching pages as the loop needs them.

        ``filter`` takes SpringFilter expressions such as ``"slug: 'acme'"``; give several
        as a list to combine them. ``query`` is full text, ``*`` for everything.
        """
        _calls.list_page(  # fail on bad arguments now, not at the first next()
            self._kind, page=1, page_size=page_size, query=query, filter=filter, sort=sort
        )
        return SyncPager(
            lambda number: self.list_page(
                page=number, page_size=page_size, query=query, filter=filter, sort=sort
            )
        )


class Memberships(_Crud[Membership]):
    """Memberships link a user to an organization with a role."""

    _kind = MEMBERSHIPS


class Organizations(_Crud[Organization]):
    """Organizations, the platform's tenants."""

    _kind = ORGANIZATIONS

    def suspend(self, id: str) -> Organization:
        """Suspend an organization; returns it with its new status."""
        result: Organization = self._run(_calls.suspend(id))
        return result


class Users:
    """What the API offers about users: their memberships."""

    def __init__(self, run: SyncRun) -> None:
        self._run = run

    def memberships(self, user_id: str) -> list[Membership]:
        """Every membership of one user (the platform sends them all at once, not paged)."""
        result: list[Membership] = self._run(_calls.user_memberships(user_id))
        return result


class _AsyncCrud(Generic[M]):
    _kind: Kind[M]

    def __init__(self, run: AsyncRun) -> None:
        self._run = run

    async def create(self, body: M | Mapping[str, Any]) -> M:
        """Create an object from a model or a JSON mapping; returns what the platform stored."""
        result: M = await self._run(_calls.create(self._kind, body))
        return result

    async def get(self, id: str) -> M:
        """Fetch one object by id. Raises :class:`NotFoundError` when there is none."""
        result: M = await self._run(_calls.get(self._kind, id))
        return result

    async def update(self, id: str, body: M | Mapping[str, Any]) -> M:
        """Replace an object with ``body``.

        Send the ``changeSequence`` you read; a stale one raises :class:`ConflictError`.
        """
        result: M = await self._run(_calls.update(self._kind, id, body))
        return result

    async def delete(self, id: str, *, force: bool | None = None) -> None:
        """Delete an object; ``force=True`` also deletes what still refers to it."""
        await self._run(_calls.delete(self._kind, id, force=force))

    async def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        query: str = "*",
        filter: str | Sequence[str] | None = None,
        sort: str | None = None,
    ) -> Page[M]:
        """Fetch one page (counted from 1), with the totals the platform reports."""
        call = _calls.list_page(
            self._kind, page=page, page_size=page_size, query=query, filter=filter, sort=sort
        )
        result: Page[M] = await self._run(call)
        return result

    def list(
        self,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        query: str = "*",
        filter: str | Sequence[str] | None = None,
        sort: str | None = None,
    ) -> AsyncPager[M]:
        """Iterate (``async for``) over every matching object, a page at a time."""
        _calls.list_page(
            self._kind, page=1, page_size=page_size, query=query, filter=filter, sort=sort
        )
        return AsyncPager(
            lambda number: self.list_page(
                page=number, page_size=page_size, query=query, filter=filter, sort=sort
            )
        )


class AsyncMemberships(_AsyncCrud[Membership]):
    """Memberships link a user to an organization with a role."""

    _kind = MEMBERSHIPS


class AsyncOrganizations(_AsyncCrud[Organization]):
    """Organizations, the platform's tenants."""

    _kind = ORGANIZATIONS

    async def suspend(self, id: str) -> Organization:
        """Suspend an organization; returns it with its new status."""
        result: Organization = await self._run(_calls.suspend(id))
        return result


class AsyncUsers:
    """What the API offers about users: their memberships."""

    def __init__(self, run: AsyncRun) -> None:
        self._run = run

    async def memberships(self, user_id: str) -> list[Membership]:
        """Every membership of one user (the platform sends them all at once, not paged)."""
        result: list[Membership] = await self._run(_calls.user_memberships(user_id))
        return result
