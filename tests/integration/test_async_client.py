"""Every call of the async client, over HTTP, against the sandbox."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kodexa_platform import AsyncKodexa, ConflictError, NotFoundError
from kodexa_platform.models import Membership, Organization
from kodexa_platform.testing import SandboxServer

from .conftest import API_KEY


@pytest.mark.asyncio
async def test_membership_lifecycle(aclient: AsyncKodexa, docs_example: dict[str, Any]) -> None:
    example = await aclient.memberships.create(docs_example)
    assert isinstance(example, Membership)
    org = await aclient.organizations.create({"name": "Acme", "slug": "acme"})
    assert isinstance(org, Organization)
    member = await aclient.memberships.create({"organizationId": org.id, "role": "READ"})
    fetched = await aclient.memberships.get(member.id)
    fetched.role = "WRITE"
    updated = await aclient.memberships.update(fetched.id, fetched)
    assert (updated.role, updated.change_sequence) == ("WRITE", 1)
    with pytest.raises(ConflictError):
        await aclient.memberships.update(fetched.id, fetched)
    await aclient.memberships.delete(member.id)
    with pytest.raises(NotFoundError):
        await aclient.memberships.get(member.id)


@pytest.mark.asyncio
async def test_async_list_and_list_page(aclient: AsyncKodexa) -> None:
    org = await aclient.organizations.create({"name": "Acme", "slug": "acme"})
    await asyncio.gather(
        *(
            aclient.memberships.create({"organizationId": org.id, "userId": f"u{i}"})
            for i in range(5)
        )
    )
    page = await aclient.memberships.list_page(page=1, page_size=2)
    assert (page.total_items, page.total_pages) == (5, 3)
    users = [m.user_id async for m in aclient.memberships.list(page_size=2)]
    assert sorted(users) == [f"u{i}" for i in range(5)]  # type: ignore[type-var]
    assert len(await aclient.memberships.list(page_size=4).to_list()) == 5


@pytest.mark.asyncio
async def test_async_organizations_and_users(aclient: AsyncKodexa) -> None:
    org = await aclient.organizations.create({"name": "Acme", "slug": "acme"})
    org.description = "Contracts"
    org = await aclient.organizations.update(org.id, org)
    assert (await aclient.organizations.get(org.id)).description == "Contracts"
    assert (await aclient.organizations.suspend(org.id)).organization_status == "SUSPENDED"
    await aclient.memberships.create({"organizationId": org.id, "userId": "ada"})
    assert [m.organization_id for m in await aclient.users.memberships("ada")] == [org.id]
    assert [o.slug async for o in aclient.organizations.list()] == ["acme"]
    await aclient.organizations.delete(org.id, force=True)
    with pytest.raises(NotFoundError):
        await aclient.organizations.get(org.id)


def test_one_async_client_serves_successive_event_loops(server: SandboxServer) -> None:
    client = AsyncKodexa(api_key=API_KEY, base_url=server.base_url)

    async def create(slug: str) -> str:
        try:
            return str((await client.organizations.create({"name": slug, "slug": slug})).id)
        finally:
            await client.close()  # releases this loop's connections only

    async def fetch(org_id: str) -> str:
        try:
            return str((await client.organizations.get(org_id)).slug)
        finally:
            await client.close()

    first = asyncio.run(create("loop-one"))
    assert asyncio.run(fetch(first)) == "loop-one"
    asyncio.run(create("loop-three"))
