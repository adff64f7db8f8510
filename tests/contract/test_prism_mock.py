"""The sync and async clients against ``prism mock openapi.yaml``, a server nobody here wrote.

Prism builds its answers from the spec alone: static ones from the schemas' first choices,
dynamic ones from seeded random data (nulls, extra members, odd timestamps). Every read the
clients offer must turn those answers into the generated models, and Prism (run with
``--errors``) refuses any request of theirs that the spec does not allow.

Only reads: a mock keeps no state, so writes would prove nothing more than the proxy check
(scripts/contract.py). The mock serves openapi.yaml with its page schemas narrowed to the
answer to ``page=1`` (see ``narrowed_spec`` in conftest.py for why that is sound).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
import yaml
from kodexa_platform_client.models import (
    Membership,
    Organization,
    PageMembership,
    PageOrganization,
)

from kodexa_platform import AsyncKodexa, Kodexa, Page

SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
API_KEY = "prism-mock-key"
ORG_ID = "c4cc3366-261a-42ed-b883-ad9eb842f55b"
MEMBERSHIP_ID = "9b2f0d3e-5a61-4c2b-8f0e-2d7c1e4a6b90"
USER_ID = "5e8f7a10-1111-4c2b-9d3e-0a1b2c3d4e5f"
#: The narrowed spec makes every page the last one; this bounds the loops all the same, so
#: that a change there can never make a pager walk pages for ever.
ITEMS = 7
LIST_ARGUMENTS: dict[str, Any] = {
    "page_size": 3,
    "query": "acme",
    "filter": ["slug: 'acme'", "name ~ '*corp*'"],
    "sort": "name,asc",
}

SyncRead = Callable[[Kodexa], object]
AsyncRead = Callable[[AsyncKodexa], Awaitable[object]]


async def _collect(iterator: Any, limit: int) -> list[Any]:
    items: list[Any] = []
    async for item in iterator:
        items.append(item)
        if len(items) == limit:
            break
    return items


# name -> (sync read, async read, the model every returned object must be, page model or None)
READS: dict[str, tuple[SyncRead, AsyncRead, type, type | None]] = {
    "organizations.list_page": (
        lambda c: c.organizations.list_page(page=1, **LIST_ARGUMENTS),
        lambda c: c.organizations.list_page(page=1, **LIST_ARGUMENTS),
        Organization,
        PageOrganization,
    ),
    "organizations.list": (
        lambda c: list(islice(c.organizations.list(**LIST_ARGUMENTS), ITEMS)),
        lambda c: _collect(c.organizations.list(**LIST_ARGUMENTS), ITEMS),
        Organization,
        None,
    ),
    "organizations.get": (
        lambda c: c.organizations.get(ORG_ID),
        lambda c: c.organizations.get(ORG_ID),
        Organization,
        None,
    ),
    "memberships.list_page": (
        lambda c: c.memberships.list_page(page=1, **LIST_ARGUMENTS),
        lambda c: c.memberships.list_page(page=1, **LIST_ARGUMENTS),
        Membership,
        PageMembership,
    ),
    "memberships.list": (
        lambda c: list(islice(c.memberships.list(), ITEMS)),
        lambda c: _collect(c.memberships.list(), ITEMS),
        Membership,
        None,
    ),
    "memberships.get": (
        lambda c: c.memberships.get(MEMBERSHIP_ID),
        lambda c: c.memberships.get(MEMBERSHIP_ID),
        Membership,
        None,
    ),
    "users.memberships": (
        lambda c: c.users.memberships(USER_ID),
        lambda c: c.users.memberships(USER_ID),
        Membership,
        None,
    ),
}


def _check(result: object, model: type, page_model: type | None) -> None:
    if page_model is not None:
        assert isinstance(result, Page)
        assert isinstance(result.raw, page_model)
        items = list(result.items)
    elif isinstance(result, list):
        items = result
    else:
        items = [result]
    for item in items:
        assert isinstance(item, model)
        # The parsed model serialises back to what parses to the same model.
        assert model.from_dict(item.to_dict()) == item  # type: ignore[attr-defined]


@pytest.mark.parametrize("read", sorted(READS))
def test_sync_client_parses_prism_answers(prism_url: str, read: str) -> None:
    sync_read, _, model, page_model = READS[read]
    with Kodexa(api_key=API_KEY, base_url=prism_url, max_retries=0) as client:
        _check(sync_read(client), model, page_model)


@pytest.mark.asyncio
@pytest.mark.parametrize("read", sorted(READS))
async def test_async_client_parses_prism_answers(prism_url: str, read: str) -> None:
    _, async_read, model, page_model = READS[read]
    async with AsyncKodexa(api_key=API_KEY, base_url=prism_url, max_retries=0) as client:
        _check(await async_read(client), model, page_model)


def test_static_page_parses_every_field(prism_static: str) -> None:
    """Prism's static page sets every member, so every field of the page model is read."""
    with Kodexa(api_key=API_KEY, base_url=prism_static, max_retries=0) as client:
        page = client.organizations.list_page()
    raw = page.raw
    assert isinstance(raw, PageOrganization)
    assert raw.pageable is not None
    assert raw.sort is not None
    (organization,) = page.items
    assert isinstance(organization, Organization)
    assert organization.memory is not None
    assert organization.auth_group_link is not None
    assert organization.created_on is not None


def test_seeded_dynamic_answers_carry_items(prism_dynamic: str) -> None:
    """Guards the choice of seed: empty pages would leave the item parsing untested."""
    with Kodexa(api_key=API_KEY, base_url=prism_dynamic, max_retries=0) as client:
        assert len(client.memberships.list_page()) > 0
        assert len(client.organizations.list_page()) > 0
        assert len(client.users.memberships(USER_ID)) > 0


def test_narrowed_spec_only_removes_values(mock_spec: Path) -> None:
    """The mock's spec differs from openapi.yaml only by the two `enum`s conftest adds."""
    narrowed = yaml.safe_load(mock_spec.read_text(encoding="utf-8"))
    for name in ("PageMembership", "PageOrganization"):
        properties = narrowed["components"]["schemas"][name]["properties"]
        assert properties["number"].pop("enum") == [0]
        assert properties["last"].pop("enum") == [True]
    assert narrowed == yaml.safe_load(SPEC.read_text(encoding="utf-8"))
