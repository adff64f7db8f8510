"""Every public call, sync and async: what goes on the wire and what comes back."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from kodexa_platform_client.models import Membership, Organization, User

from kodexa_platform import Page, RequestValidationError

from .conftest import FakeServer, Flavour, load, membership, organization, page, reply

DOCS_EXAMPLE = "create-membership.json"


# --- memberships ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201])
def test_create_membership_sends_the_docs_example_as_is(flavour: Flavour, status: int) -> None:
    example = load(DOCS_EXAMPLE)
    server = FakeServer(reply(status, example))
    created = flavour.call(server, lambda c: c.memberships.create(example))
    request = server.last
    assert (request.method, request.url.path) == ("POST", "/api/memberships")
    assert request.headers["content-type"] == "application/json"
    assert server.json() == example  # every field, untouched
    assert isinstance(created, Membership)
    assert created.to_dict()["organization"]["name"] == "<string>"
    assert created.user == "aSDinaTvuI8gbWludGxpZnk="
    assert created.created_on == dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=dt.UTC)


def test_create_membership_accepts_a_generated_model(flavour: Flavour) -> None:
    example = load(DOCS_EXAMPLE)
    model = Membership.from_dict(example)
    server = FakeServer(reply(201, example))
    created = flavour.call(server, lambda c: c.memberships.create(model))
    sent = server.json()
    assert sent == model.to_dict()
    assert set(sent) == set(example)
    # The model writes +00:00 where the docs wrote Z; the instant is the same.
    assert dt.datetime.fromisoformat(sent["createdOn"]) == model.created_on
    assert created == Membership.from_dict(example)


def test_create_membership_accepts_any_mapping(flavour: Flavour) -> None:
    class Frozen(dict[str, Any]):
        pass

    server = FakeServer(reply(201, membership()))
    flavour.call(server, lambda c: c.memberships.create(Frozen(role="OWNER", userId="u-1")))
    assert server.json() == {"role": "OWNER", "userId": "u-1"}


def test_get_membership(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    result = flavour.call(server, lambda c: c.memberships.get("m-1"))
    assert (server.last.method, server.last.url.path) == ("GET", "/api/memberships/m-1")
    assert server.last.content == b""
    assert isinstance(result, Membership)
    assert result.role == "OWNER"
    assert isinstance(result.user, User)
    assert result.user.email == "user@example.com"
    assert isinstance(result.organization, Organization)
    assert result.organization.slug == "acme-corp"


def test_update_membership_sends_the_change_sequence_it_read(flavour: Flavour) -> None:
    stored = membership() | {"changeSequence": 7}
    server = FakeServer(reply(200, stored), reply(200, stored | {"changeSequence": 8}))

    def read_modify_write(client: Any) -> Any:
        current = client.memberships.get(stored["id"])
        current.role = "WRITE"
        return client.memberships.update(current.id, current)

    async def read_modify_write_async(client: Any) -> Any:
        current = await client.memberships.get(stored["id"])
        current.role = "WRITE"
        return await client.memberships.update(current.id, current)

    action = read_modify_write_async if flavour.is_async else read_modify_write
    updated = flavour.call(server, action)
    request = server.last
    assert (request.method, request.url.path) == ("PUT", f"/api/memberships/{stored['id']}")
    assert server.json()["changeSequence"] == 7
    assert server.json()["role"] == "WRITE"
    assert updated.change_sequence == 8


def test_update_membership_from_a_mapping(flavour: Flavour) -> None:
    server = FakeServer(reply(200, membership()))
    body = {"id": "m-1", "changeSequence": 3, "role": "READ"}
    flavour.call(server, lambda c: c.memberships.update("m-1", body))
    assert server.last.method == "PUT"
    assert server.json() == body


@pytest.mark.parametrize(
    "answer",
    [reply(200), reply(200, content=b""), reply(204)],
    ids=["200-no-body", "200-empty", "204"],
)
def test_delete_membership_accepts_200_empty_and_204(flavour: Flavour, answer: Any) -> None:
    server = FakeServer(answer)
    assert flavour.call(server, lambda c: c.memberships.delete("m-1")) is None
    request = server.last
    assert (request.method, request.url.path) == ("DELETE", "/api/memberships/m-1")
    assert "force" not in request.url.params


@pytest.mark.parametrize(("force", "sent"), [(True, "true"), (False, "false")])
def test_delete_with_force_sends_the_flag(flavour: Flavour, force: bool, sent: str) -> None:
    server = FakeServer(reply(204))
    flavour.call(server, lambda c: c.organizations.delete("o-1", force=force))
    assert server.last.url.params["force"] == sent


def test_list_page_of_memberships_sends_every_parameter(flavour: Flavour) -> None:
    server = FakeServer(reply(200, page([membership()], number=2, size=5, total_elements=11)))
    result = flavour.call(
        server,
        lambda c: c.memberships.list_page(
            page=3,
            page_size=5,
            query="ada",
            filter=["role: 'OWNER'", "organization.id: 'o-1'"],
            sort="createdOn,desc",
        ),
    )
    request = server.last
    assert (request.method, request.url.path) == ("GET", "/api/memberships")
    params = request.url.params
    assert params["page"] == "3"  # 1-based on the wire, as the platform expects
    assert params["pageSize"] == "5"
    assert params["query"] == "ada"
    assert params["sort"] == "createdOn,desc"
    assert params.get_list("filter") == ["role: 'OWNER'", "organization.id: 'o-1'"]
    assert isinstance(result, Page)
    assert (result.page, result.page_size, result.total_items, result.total_pages) == (3, 5, 11, 3)
    assert result.is_last
    assert [m.id for m in result] == [membership()["id"]]


def test_list_page_defaults(flavour: Flavour) -> None:
    server = FakeServer(reply(200, page([])))
    flavour.call(server, lambda c: c.memberships.list_page())
    params = server.last.url.params
    assert dict(params) == {"query": "*", "page": "1", "pageSize": "100"}


def test_a_single_filter_string_is_one_filter(flavour: Flavour) -> None:
    server = FakeServer(reply(200, page([])))
    flavour.call(server, lambda c: c.organizations.list_page(filter="slug: 'acme'"))
    assert server.last.url.params.get_list("filter") == ["slug: 'acme'"]


@pytest.mark.parametrize(
    "bad",
    [[""], ["ok", "  "], [1], "", 5, (f for f in ["a"]), {"a": 1}],
    ids=["blank-item", "blank-second", "int-item", "blank", "int", "generator", "mapping"],
)
def test_blank_or_non_string_filters_are_refused(flavour: Flavour, bad: Any) -> None:
    server = FakeServer(reply(200, page([])))
    with pytest.raises(RequestValidationError, match="filter"):
        flavour.call(server, lambda c: c.memberships.list_page(filter=bad))
    assert server.count == 0


def test_list_memberships_iterates_every_item(flavour: Flavour) -> None:
    first, second = membership() | {"id": "a"}, membership() | {"id": "b"}
    server = FakeServer(
        reply(200, page([first], number=0, size=1, last=False)),
        reply(200, page([second], number=1, size=1, last=True)),
    )
    items = flavour.call(server, lambda c: c.memberships.list(page_size=1, query="x").to_list())
    assert [m.id for m in items] == ["a", "b"]
    assert [r.url.params["page"] for r in server.requests] == ["1", "2"]
    assert {r.url.params["query"] for r in server.requests} == {"x"}


# --- organizations --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 201])
def test_create_organization(flavour: Flavour, status: int) -> None:
    server = FakeServer(reply(status, organization()))
    body = {"name": "Acme Corp", "slug": "acme-corp", "features": None}
    created = flavour.call(server, lambda c: c.organizations.create(body))
    assert (server.last.method, server.last.url.path) == ("POST", "/api/organizations")
    assert server.json() == body
    assert isinstance(created, Organization)
    assert created.name == "Acme Corp"


def test_create_organization_from_a_model(flavour: Flavour) -> None:
    server = FakeServer(reply(201, organization()))
    flavour.call(server, lambda c: c.organizations.create(Organization(name="A", slug="a")))
    assert server.json() == {"name": "A", "slug": "a"}


def test_get_organization(flavour: Flavour) -> None:
    server = FakeServer(reply(200, organization()))
    result = flavour.call(server, lambda c: c.organizations.get("o-1"))
    assert (server.last.method, server.last.url.path) == ("GET", "/api/organizations/o-1")
    assert isinstance(result, Organization)
    assert result.properties is not None
    assert result.properties.to_dict() == {"region": "eu"}


def test_update_organization(flavour: Flavour) -> None:
    stored = organization()
    server = FakeServer(reply(200, stored))
    model = Organization.from_dict(stored)
    model.description = "changed"
    flavour.call(server, lambda c: c.organizations.update("o-1", model))
    assert (server.last.method, server.last.url.path) == ("PUT", "/api/organizations/o-1")
    assert server.json()["changeSequence"] == stored["changeSequence"]
    assert server.json()["description"] == "changed"


def test_delete_organization(flavour: Flavour) -> None:
    server = FakeServer(reply(204))
    assert flavour.call(server, lambda c: c.organizations.delete("o-1")) is None
    assert (server.last.method, server.last.url.path) == ("DELETE", "/api/organizations/o-1")


def test_list_organizations(flavour: Flavour) -> None:
    server = FakeServer(reply(200, load("list-organizations.page.json")))
    items = flavour.call(
        server, lambda c: c.organizations.list(filter="slug: 'acme-corp'", sort="name").to_list()
    )
    assert [o.slug for o in items] == ["acme-corp"]
    request = server.last
    assert (request.method, request.url.path) == ("GET", "/api/organizations")
    assert request.url.params["sort"] == "name"
    assert request.url.params.get_list("filter") == ["slug: 'acme-corp'"]


def test_list_page_of_organizations(flavour: Flavour) -> None:
    body = load("list-organizations.page.json")
    server = FakeServer(reply(200, body))
    result = flavour.call(server, lambda c: c.organizations.list_page(page_size=20))
    assert result.total_items == 1
    assert result.is_last
    assert not result.has_next
    assert len(result) == 1
    assert result.raw.pageable.page_size == 20


def test_suspend_organization(flavour: Flavour) -> None:
    server = FakeServer(reply(200, organization() | {"organizationStatus": "SUSPENDED"}))
    result = flavour.call(server, lambda c: c.organizations.suspend("o-1"))
    request = server.last
    assert (request.method, request.url.path) == ("PUT", "/api/organizations/o-1/suspend")
    assert request.content == b""
    assert result.organization_status == "SUSPENDED"


# --- users ----------------------------------------------------------------------------------


def test_user_memberships_returns_a_list(flavour: Flavour) -> None:
    body = load("user-memberships.legacy.json")
    server = FakeServer(reply(200, body))
    result = flavour.call(server, lambda c: c.users.memberships("u-1"))
    assert (server.last.method, server.last.url.path) == ("GET", "/api/users/u-1/memberships")
    assert isinstance(result, list)
    assert [m.id for m in result] == [body[0]["id"]]
    assert all(isinstance(m, Membership) for m in result)


def test_user_memberships_of_nobody_is_an_empty_list(flavour: Flavour) -> None:
    server = FakeServer(reply(200, []))
    assert flavour.call(server, lambda c: c.users.memberships("u-1")) == []


# --- ids in paths ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_id", "encoded"),
    [
        ("a/b", "a%2Fb"),
        ("../organizations", "..%2Forganizations"),
        ("x?page=2", "x%3Fpage%3D2"),
        ("x#frag", "x%23frag"),
        ("with space", "with%20space"),
        ("héllo", "h%C3%A9llo"),
        ("%2e%2e", "%252e%252e"),
    ],
)
def test_ids_are_encoded_and_stay_inside_their_path(
    flavour: Flavour, raw_id: str, encoded: str
) -> None:
    server = FakeServer(reply(200, membership()))
    flavour.call(server, lambda c: c.memberships.get(raw_id))
    assert server.last.url.raw_path == f"/api/memberships/{encoded}".encode()
    assert not server.last.url.query


@pytest.mark.parametrize("bad", ["", "   ", None, 42, ".", ".."])
@pytest.mark.parametrize(
    "action",
    [
        lambda c, i: c.memberships.get(i),
        lambda c, i: c.memberships.delete(i),
        lambda c, i: c.memberships.update(i, {"role": "READ"}),
        lambda c, i: c.organizations.get(i),
        lambda c, i: c.organizations.update(i, {"name": "n", "slug": "s"}),
        lambda c, i: c.organizations.delete(i),
        lambda c, i: c.organizations.suspend(i),
        lambda c, i: c.users.memberships(i),
    ],
    ids=["m.get", "m.delete", "m.update", "o.get", "o.update", "o.delete", "suspend", "users"],
)
def test_ids_that_would_address_another_url_are_refused_before_sending(
    flavour: Flavour, bad: Any, action: Any
) -> None:
    # "" would list instead of get; "." and ".." are dot segments that URL normalisation
    # removes, so they would reach /api/memberships or /api itself.
    server = FakeServer(reply(200, membership()))
    with pytest.raises(RequestValidationError, match="id"):
        flavour.call(server, lambda c: action(c, bad))
    assert server.count == 0


# --- request bodies are checked before sending ----------------------------------------------


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"role": 5}, "$.role"),
        ({"changeSequence": "seven"}, "$.changeSequence"),
        ({"createdOn": "yesterday"}, "$.createdOn"),
        ({"createdOn": "2023-11-07T05:31:56"}, "$.createdOn"),
        ({"organization": {"slug": "no-name"}}, "$.organization"),
        ({"user": 12}, "$.user"),
    ],
)
def test_invalid_membership_body_is_refused_before_sending(
    flavour: Flavour, body: dict[str, Any], where: str
) -> None:
    server = FakeServer(reply(201, membership()))
    with pytest.raises(RequestValidationError) as caught:
        flavour.call(server, lambda c: c.memberships.create(body))
    assert where in caught.value.errors
    assert server.count == 0


def test_organization_without_name_is_refused_before_sending(flavour: Flavour) -> None:
    server = FakeServer(reply(201, organization()))
    with pytest.raises(RequestValidationError, match="name") as caught:
        flavour.call(server, lambda c: c.organizations.create({"slug": "acme"}))
    assert list(caught.value.errors) == ["$"]
    assert server.count == 0


@pytest.mark.parametrize(
    "body", [["not", "a", "mapping"], "text", 42, None], ids=["list", "str", "int", "none"]
)
def test_a_body_that_is_neither_model_nor_mapping_is_refused(flavour: Flavour, body: Any) -> None:
    server = FakeServer(reply(201, membership()))
    with pytest.raises(RequestValidationError, match="mapping"):
        flavour.call(server, lambda c: c.memberships.create(body))
    assert server.count == 0


@pytest.mark.parametrize(
    "body",
    [{"role": {"a", "set"}}, {"changeSequence": float("nan")}, {"x": dt.datetime(2024, 1, 1)}],
    ids=["set", "nan", "datetime-object"],
)
def test_a_body_json_cannot_encode_is_refused(flavour: Flavour, body: dict[str, Any]) -> None:
    server = FakeServer(reply(201, membership()))
    with pytest.raises(RequestValidationError, match="not JSON"):
        flavour.call(server, lambda c: c.memberships.create(body))
    assert server.count == 0


def test_a_model_with_a_naive_timestamp_is_refused(flavour: Flavour) -> None:
    # A naive datetime would be read as local time by one side and UTC by the other.
    model = Membership(role="OWNER", created_on=dt.datetime(2024, 1, 1, 12, 0))
    server = FakeServer(reply(201, membership()))
    with pytest.raises(RequestValidationError, match="date-time") as caught:
        flavour.call(server, lambda c: c.memberships.create(model))
    assert list(caught.value.errors) == ["$.createdOn"]
    assert server.count == 0


def test_a_model_with_an_aware_timestamp_is_sent_with_its_offset(flavour: Flavour) -> None:
    when = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    server = FakeServer(reply(201, membership()))
    flavour.call(server, lambda c: c.memberships.create(Membership(created_on=when)))
    assert server.json()["createdOn"] == "2024-01-01T12:00:00+02:00"


def test_request_validation_error_lists_every_problem() -> None:
    from kodexa_platform._calls import body

    with pytest.raises(RequestValidationError) as caught:
        body({"role": 1, "changeSequence": "x"}, "Membership")
    assert set(caught.value.errors) == {"$.role", "$.changeSequence"}
    assert "$.role" in str(caught.value)
    assert "$.changeSequence" in str(caught.value)


def test_request_body_is_compact_json_of_the_payload(flavour: Flavour) -> None:
    server = FakeServer(reply(201, organization()))
    body = {"name": "Ünïcode", "slug": "u", "properties": {"nested": [1, 2.5, None, True]}}
    flavour.call(server, lambda c: c.organizations.create(body))
    assert json.loads(server.last.content.decode("utf-8")) == body
