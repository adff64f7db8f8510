"""Every call of the sync client, over HTTP, against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from kodexa_platform import (
    AuthenticationError,
    ConflictError,
    Kodexa,
    NotFoundError,
    RequestValidationError,
)
from kodexa_platform.models import Membership, Organization, User
from kodexa_platform.testing import SandboxServer


def _org(client: Kodexa, slug: str = "acme") -> Organization:
    return client.organizations.create({"name": slug.title(), "slug": slug})


def test_docs_example_is_accepted_as_is_and_read_back(
    client: Kodexa, docs_example: dict[str, Any]
) -> None:
    created = client.memberships.create(docs_example)
    assert isinstance(created, Membership)
    assert created.id not in (None, "<string>")  # the server assigns ids
    assert created.role == docs_example["role"]
    assert created.user == docs_example["user"]  # the base64 form survives
    fetched = client.memberships.get(created.id)
    assert fetched.to_dict() == created.to_dict()


def test_membership_round_trip_with_models(client: Kodexa) -> None:
    org = _org(client)
    created = client.memberships.create(
        Membership(organization_id=org.id, user_id="u1", role="READ")
    )
    assert created.organization_id == org.id
    assert isinstance(created.organization, Organization)
    assert created.organization.slug == "acme"
    assert created.change_sequence == 0

    created.role = "WRITE"
    updated = client.memberships.update(created.id, created)
    assert updated.role == "WRITE"
    assert updated.change_sequence == 1
    assert client.memberships.get(created.id).role == "WRITE"


def test_stale_change_sequence_raises_conflict_and_keeps_newer_data(client: Kodexa) -> None:
    org = _org(client)
    first = client.memberships.create({"organizationId": org.id, "role": "READ"})
    fresh = client.memberships.get(first.id)
    fresh.role = "OWNER"
    client.memberships.update(fresh.id, fresh)
    first.role = "WRITE"
    with pytest.raises(ConflictError) as caught:
        client.memberships.update(first.id, first)
    assert caught.value.status_code == 409
    assert client.memberships.get(first.id).role == "OWNER"


def test_delete_then_get_is_not_found(client: Kodexa) -> None:
    created = client.memberships.create({"role": "READ"})
    assert client.memberships.delete(created.id) is None
    with pytest.raises(NotFoundError) as caught:
        client.memberships.get(created.id)
    assert caught.value.status_code == 404
    with pytest.raises(NotFoundError):
        client.memberships.delete(created.id)


def test_list_walks_every_page_in_order(client: Kodexa) -> None:
    org = _org(client)
    ids = {
        client.memberships.create({"organizationId": org.id, "userId": f"u{i}"}).id
        for i in range(7)
    }
    client.memberships.create({"userId": "elsewhere"})
    pager = client.memberships.list(page_size=3, filter=f"organizationId: '{org.id}'")
    pages = list(pager.pages())
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [page.page for page in pages] == [1, 2, 3]
    assert pages[0].total_items == 7
    assert pages[0].total_pages == 3
    assert pages[-1].is_last
    assert {m.id for m in pager} == ids


def test_list_page_reports_totals(client: Kodexa) -> None:
    for i in range(5):
        _org(client, f"org-{i}")
    page = client.organizations.list_page(page=2, page_size=2, sort="slug,asc")
    assert [o.slug for o in page] == ["org-2", "org-3"]
    assert (page.page, page.total_items, page.total_pages, page.is_last) == (2, 5, 3, False)
    assert page.raw.number == 1  # the platform's body counts pages from 0


def test_organization_crud_and_suspend(client: Kodexa) -> None:
    org = _org(client)
    org.description = "Invoices"
    updated = client.organizations.update(org.id, org)
    assert updated.description == "Invoices"
    suspended = client.organizations.suspend(org.id)
    assert suspended.organization_status == "SUSPENDED"
    assert suspended.change_sequence == updated.change_sequence + 1  # type: ignore[operator]
    assert [o.id for o in client.organizations.list(query="acme")] == [org.id]
    client.organizations.delete(org.id)
    with pytest.raises(NotFoundError):
        client.organizations.get(org.id)


def test_deleting_an_organization_with_members_needs_force(client: Kodexa) -> None:
    org = _org(client)
    member = client.memberships.create({"organizationId": org.id})
    with pytest.raises(ConflictError):
        client.organizations.delete(org.id)
    client.organizations.delete(org.id, force=True)
    with pytest.raises(NotFoundError):
        client.memberships.get(member.id)


def test_duplicate_slug_is_a_conflict(client: Kodexa) -> None:
    _org(client)
    with pytest.raises(ConflictError):
        _org(client)


def test_user_memberships_is_a_plain_list(client: Kodexa) -> None:
    orgs = [_org(client, f"team-{i}") for i in range(2)]
    for org in orgs:
        client.memberships.create({"organizationId": org.id, "userId": "ada", "role": "OWNER"})
    client.memberships.create({"userId": "bob"})
    mine = client.users.memberships("ada")
    assert sorted(m.organization_id for m in mine) == sorted(o.id for o in orgs)  # type: ignore[type-var]
    assert client.users.memberships("nobody") == []


def test_user_object_form_is_parsed_into_the_user_model(client: Kodexa) -> None:
    created = client.memberships.create({"user": {"id": "ada", "email": "ada@example.com"}})
    assert isinstance(created.user, User)
    assert created.user.email == "ada@example.com"


def test_unknown_fields_survive_a_round_trip(client: Kodexa) -> None:
    created = client.memberships.create({"role": "READ", "futureField": {"a": 1}})
    assert created.additional_properties["futureField"] == {"a": 1}
    updated = client.memberships.update(created.id, created)
    assert updated.additional_properties["futureField"] == {"a": 1}


def test_wrong_key_is_an_authentication_error(server: SandboxServer) -> None:
    client = Kodexa(api_key="wrong-key-value", base_url=server.base_url)
    with client, pytest.raises(AuthenticationError) as caught:
        client.organizations.list_page()
    assert caught.value.status_code == 401
    assert "wrong-key-value" not in str(caught.value)


def test_invalid_body_is_refused_before_sending(client: Kodexa) -> None:
    with pytest.raises(RequestValidationError) as caught:
        client.organizations.create({"name": "No slug"})
    assert "slug" in str(caught.value)
    assert client.organizations.list_page().total_items == 0
