"""Memberships: the docs example, embedding of stored organizations, users' memberships."""

from __future__ import annotations

import uuid
from typing import Any

import httpx


def test_docs_example_is_accepted_as_is(client: httpx.Client, load: Any) -> None:
    example = load("create-membership.json")

    response = client.post("/api/memberships", json=example)

    assert response.status_code == 201
    created = response.json()
    assert created["id"] != "<string>"
    assert uuid.UUID(created["id"])
    assert created["changeSequence"] == 0
    assert created["createdOn"] != example["createdOn"]
    # No stored organization has the id "<string>", so what was sent stays as sent.
    server_fields = {"id", "uuid", "createdOn", "updatedOn", "changeSequence"}
    for field in example.keys() - server_fields:
        assert created[field] == example[field], field
    assert client.get(f"/api/memberships/{created['id']}").json() == created


def test_stored_organization_is_embedded_by_organization_id(
    client: httpx.Client, make_org: Any
) -> None:
    org = make_org("acme", description="the real one")

    created = client.post(
        "/api/memberships",
        json={"organizationId": org["id"], "organization": {"name": "stale", "slug": "x"}},
    ).json()

    assert created["organization"] == org
    assert created["organizationId"] == org["id"]


def test_stored_organization_is_found_by_nested_id(client: httpx.Client, make_org: Any) -> None:
    org = make_org("acme")

    created = client.post(
        "/api/memberships",
        json={"organization": {"id": org["id"], "name": "n", "slug": "s"}, "role": "OWNER"},
    ).json()

    assert created["organizationId"] == org["id"]
    assert created["organization"] == org


def test_embedded_organization_follows_its_updates(client: httpx.Client, make_org: Any) -> None:
    org = make_org("acme")
    membership = client.post("/api/memberships", json={"organizationId": org["id"]}).json()

    renamed = client.put(f"/api/organizations/{org['id']}", json={**org, "name": "Renamed"}).json()

    assert client.get(f"/api/memberships/{membership['id']}").json()["organization"] == renamed


def test_update_replaces_and_locks(client: httpx.Client, load: Any) -> None:
    created = client.post("/api/memberships", json=load("create-membership.json")).json()

    updated = client.put(f"/api/memberships/{created['id']}", json={**created, "role": "WRITE"})
    stale = client.put(f"/api/memberships/{created['id']}", json={**created, "role": "READ"})

    assert updated.status_code == 200
    assert updated.json()["role"] == "WRITE"
    assert updated.json()["changeSequence"] == 1
    assert stale.status_code == 409
    assert client.get(f"/api/memberships/{created['id']}").json()["role"] == "WRITE"


def test_invalid_membership_names_the_field(client: httpx.Client) -> None:
    response = client.post(
        "/api/memberships",
        json={"role": 3, "user": 12, "organization": {"name": "no slug"}, "createdOn": "yesterday"},
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"role", "user", "organization.slug", "createdOn"}


def test_naive_timestamp_is_refused(client: httpx.Client) -> None:
    response = client.post("/api/memberships", json={"updatedOn": "2024-01-01T10:00:00"})
    assert response.status_code == 400
    assert "updatedOn" in response.json()["errors"]


def test_delete_then_404(client: httpx.Client) -> None:
    created = client.post("/api/memberships", json={"role": "READ"}).json()

    assert client.delete(f"/api/memberships/{created['id']}").status_code == 204
    assert client.get(f"/api/memberships/{created['id']}").status_code == 404
    assert client.delete(f"/api/memberships/{created['id']}").status_code == 404
    assert client.put(f"/api/memberships/{created['id']}", json={}).status_code == 404


def test_user_memberships_match_user_id_or_user_object(client: httpx.Client) -> None:
    by_id = client.post("/api/memberships", json={"userId": "ada", "role": "OWNER"}).json()
    by_object = client.post(
        "/api/memberships", json={"user": {"id": "ada", "email": "ada@example.com"}}
    ).json()
    client.post("/api/memberships", json={"userId": "bob"})
    client.post("/api/memberships", json={"user": "YWRh"})

    response = client.get("/api/users/ada/memberships")

    assert response.status_code == 200
    assert [m["id"] for m in response.json()] == [by_id["id"], by_object["id"]]
    assert client.get("/api/users/nobody/memberships").json() == []
