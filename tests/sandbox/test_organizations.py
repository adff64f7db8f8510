"""Organizations: create, read, replace, suspend, delete, and the rules around them."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest

from kodexa_platform.testing import SandboxServer

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_create_assigns_server_fields_and_keeps_unknown_ones(client: httpx.Client) -> None:
    sent = {
        "name": "Acme Corp",
        "slug": "acme-corp",
        "id": "client-chosen",
        "uuid": "client-uuid",
        "createdOn": "2001-01-01T00:00:00Z",
        "changeSequence": 41,
        "searchText": "client text",
        "futureField": {"nested": [1, 2]},
    }
    response = client.post("/api/organizations", json=sent)

    assert response.status_code == 201
    created = response.json()
    assert str(uuid.UUID(created["id"])) == created["id"]
    assert created["uuid"] == uuid.UUID(created["id"]).hex
    assert TIMESTAMP.fullmatch(created["createdOn"])
    assert created["updatedOn"] == created["createdOn"]
    assert created["changeSequence"] == 0
    assert created["searchText"] == "acme corp acme-corp"
    assert created["organizationStatus"] == "ACTIVE"
    assert created["futureField"] == {"nested": [1, 2]}
    assert client.get(f"/api/organizations/{created['id']}").json() == created


def test_replace_increments_change_sequence_and_keeps_identity(
    client: httpx.Client, make_org: Any
) -> None:
    org = make_org("acme")
    changed = {**org, "name": "Acme Two", "description": "new", "id": "ignored", "uuid": "x"}

    response = client.put(f"/api/organizations/{org['id']}", json=changed)

    assert response.status_code == 200
    updated = response.json()
    assert updated["changeSequence"] == 1
    assert (updated["id"], updated["uuid"], updated["createdOn"]) == (
        org["id"],
        org["uuid"],
        org["createdOn"],
    )
    assert updated["updatedOn"] >= org["updatedOn"]
    assert updated["name"] == "Acme Two"
    assert updated["searchText"] == "acme two acme"
    assert client.get(f"/api/organizations/{org['id']}").json() == updated


def test_stale_change_sequence_is_refused(client: httpx.Client, make_org: Any) -> None:
    org = make_org("acme")
    assert client.put(f"/api/organizations/{org['id']}", json=org).status_code == 200

    stale = client.put(f"/api/organizations/{org['id']}", json={**org, "name": "Lost"})

    assert stale.status_code == 409
    assert "stale changesequence" in stale.json()["message"].lower()
    assert client.get(f"/api/organizations/{org['id']}").json()["name"] == "Acme"


def test_missing_change_sequence_means_last_write_wins(client: httpx.Client, make_org: Any) -> None:
    org = make_org("acme")
    client.put(f"/api/organizations/{org['id']}", json=org)
    blind = {k: v for k, v in org.items() if k != "changeSequence"} | {"name": "Blind"}

    response = client.put(f"/api/organizations/{org['id']}", json=blind)

    assert response.status_code == 200
    assert response.json()["changeSequence"] == 2
    assert response.json()["name"] == "Blind"


def test_duplicate_slug_is_a_conflict(client: httpx.Client, make_org: Any) -> None:
    make_org("acme")
    other = make_org("other")

    duplicate = client.post("/api/organizations", json={"name": "Again", "slug": "acme"})
    renamed = client.put(f"/api/organizations/{other['id']}", json={**other, "slug": "acme"})

    assert duplicate.status_code == 409
    assert renamed.status_code == 409
    assert "acme" in duplicate.json()["message"]
    total = client.get("/api/organizations").json()["totalElements"]
    assert total == 2


def test_keeping_its_own_slug_is_not_a_conflict(client: httpx.Client, make_org: Any) -> None:
    org = make_org("acme")
    assert client.put(f"/api/organizations/{org['id']}", json=org).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "no-name"}, "name"),
        ({"name": "No slug"}, "slug"),
        ({"name": 5, "slug": "s"}, "name"),
    ],
)
def test_missing_or_mistyped_required_fields_are_400(
    client: httpx.Client, body: dict[str, Any], field: str
) -> None:
    response = client.post("/api/organizations", json=body)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_blank_name_is_unprocessable(client: httpx.Client) -> None:
    response = client.post("/api/organizations", json={"name": "  ", "slug": "blank"})

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name"}


def test_suspend_sets_status_and_increments(client: httpx.Client, make_org: Any) -> None:
    org = make_org("acme")

    response = client.put(f"/api/organizations/{org['id']}/suspend")

    assert response.status_code == 200
    assert response.json()["organizationStatus"] == "SUSPENDED"
    assert response.json()["changeSequence"] == 1
    # A later replace that does not mention the status must not revive the organization.
    body = {k: v for k, v in response.json().items() if k != "organizationStatus"}
    replaced = client.put(f"/api/organizations/{org['id']}", json=body)
    assert replaced.json()["organizationStatus"] == "SUSPENDED"


def test_delete_answers_204_then_404(client: httpx.Client, make_org: Any) -> None:
    org = make_org("acme")

    deleted = client.delete(f"/api/organizations/{org['id']}")

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert client.get(f"/api/organizations/{org['id']}").status_code == 404


def test_delete_with_memberships_needs_force(client: httpx.Client, make_org: Any) -> None:
    org, other = make_org("acme"), make_org("other")
    for org_id in (org["id"], org["id"], other["id"]):
        client.post(
            "/api/memberships", json={"organizationId": org_id, "userId": "u", "role": "READ"}
        )

    refused = client.delete(f"/api/organizations/{org['id']}")
    forced = client.delete(f"/api/organizations/{org['id']}", params={"force": "true"})

    assert refused.status_code == 409
    assert "force" in refused.json()["message"]
    assert forced.status_code == 204
    remaining = client.get("/api/memberships").json()["content"]
    assert [m["organizationId"] for m in remaining] == [other["id"]]


def test_bad_force_value_is_400(client: httpx.Client, make_org: Any) -> None:
    org = make_org("acme")
    response = client.delete(f"/api/organizations/{org['id']}", params={"force": "maybe"})
    assert response.status_code == 400
    assert client.get(f"/api/organizations/{org['id']}").status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/organizations/{id}"),
        ("PUT", "/api/organizations/{id}"),
        ("DELETE", "/api/organizations/{id}"),
        ("PUT", "/api/organizations/{id}/suspend"),
    ],
)
def test_unknown_id_is_404_with_legacy_body(client: httpx.Client, method: str, path: str) -> None:
    missing = str(uuid.uuid4())
    response = client.request(
        method,
        path.format(id=missing),
        json={"name": "n", "slug": "s"} if method == "PUT" else None,
    )

    assert response.status_code == 404
    body = response.json()
    assert missing in body["message"]
    assert body["contextPath"] == path.format(id=missing)


def test_legacy_server_statuses_are_configurable(check_spec: Any) -> None:
    with (
        SandboxServer("k", create_status=200, delete_status=200) as legacy,
        httpx.Client(base_url=legacy.base_url, headers={"x-api-key": "k"}) as http,
    ):
        created = http.post("/api/organizations", json={"name": "A", "slug": "a"})
        deleted = http.delete(f"/api/organizations/{created.json()['id']}")

    assert created.status_code == 200
    assert (deleted.status_code, deleted.content) == (200, b"")
    assert check_spec(created) == []
    assert check_spec(deleted) == []


@pytest.mark.parametrize("options", [{"create_status": 202}, {"delete_status": 201}])
def test_other_statuses_are_refused(options: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="status"):
        SandboxServer(**options)  # type: ignore[arg-type]
