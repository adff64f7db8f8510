"""List endpoints: Spring page bodies, paging, query, sort and filter."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


def _slugs(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["content"]]


@pytest.fixture
def twenty_five(make_org: Any) -> list[dict[str, Any]]:
    return [make_org(f"org-{n:02d}") for n in range(25)]


def test_page_body_has_exactly_springs_shape(
    client: httpx.Client, make_org: Any, load: Any
) -> None:
    make_org("acme-corp")
    expected = load("list-organizations.page.json")

    page = client.get("/api/organizations").json()

    assert list(page) == list(expected)
    assert list(page["pageable"]) == list(expected["pageable"])
    assert {k: v for k, v in page.items() if k != "content"} == {
        k: v for k, v in expected.items() if k != "content"
    }


@pytest.mark.usefixtures("twenty_five")
@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (1, {"number": 0, "numberOfElements": 10, "first": True, "last": False, "slug": "org-00"}),
        (2, {"number": 1, "numberOfElements": 10, "first": False, "last": False, "slug": "org-10"}),
        (3, {"number": 2, "numberOfElements": 5, "first": False, "last": True, "slug": "org-20"}),
    ],
)
def test_paging_math(client: httpx.Client, page: int, expected: dict[str, Any]) -> None:
    body = client.get("/api/organizations", params={"page": page, "pageSize": 10}).json()

    got = {key: body[key] for key in ("number", "numberOfElements", "first", "last")}
    assert got | {"slug": body["content"][0]["slug"]} == expected
    assert (body["totalElements"], body["totalPages"], body["size"], body["empty"]) == (
        25,
        3,
        10,
        False,
    )
    assert body["pageable"]["offset"] == expected["number"] * 10
    assert body["pageable"]["pageNumber"] == expected["number"]


@pytest.mark.usefixtures("twenty_five")
def test_past_the_last_page_is_empty_and_default_size_is_20(client: httpx.Client) -> None:
    beyond = client.get("/api/organizations", params={"page": 4, "pageSize": 10}).json()
    default = client.get("/api/organizations").json()

    assert (beyond["content"], beyond["empty"], beyond["last"]) == ([], True, True)
    assert (default["size"], default["numberOfElements"], default["totalPages"]) == (20, 20, 2)


def test_empty_store_gives_one_empty_first_and_last_page(client: httpx.Client) -> None:
    body = client.get("/api/memberships").json()
    assert (body["totalPages"], body["first"], body["last"], body["empty"]) == (0, True, True, True)


@pytest.mark.parametrize(
    "params",
    [
        {"page": 0},
        {"page": -1},
        {"page": "one"},
        {"page": "1.5"},
        {"pageSize": 0},
        {"pageSize": 1001},
    ],
)
def test_bad_paging_parameters_are_400(client: httpx.Client, params: dict[str, Any]) -> None:
    response = client.get("/api/organizations", params=params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


def test_page_size_bounds_are_inclusive(client: httpx.Client) -> None:
    assert client.get("/api/organizations", params={"pageSize": 1000}).status_code == 200
    assert client.get("/api/organizations", params={"pageSize": 1}).status_code == 200


def test_query_is_a_case_insensitive_substring(client: httpx.Client, make_org: Any) -> None:
    make_org("acme", name="ACME Corp")
    make_org("globex", description="competitor of acme")
    make_org("initech")

    assert _slugs(client.get("/api/organizations", params={"query": "acme"})) == ["acme", "globex"]
    assert len(_slugs(client.get("/api/organizations", params={"query": "*"}))) == 3
    assert _slugs(client.get("/api/organizations", params={"query": "ini*"})) == ["initech"]


def test_query_searches_memberships_by_organization_and_user(
    client: httpx.Client, make_org: Any
) -> None:
    org = make_org("acme")
    client.post("/api/memberships", json={"organizationId": org["id"], "role": "READ"})
    client.post("/api/memberships", json={"user": {"email": "ada@example.com"}, "role": "WRITE"})

    def roles(query: str) -> list[str]:
        response = client.get("/api/memberships", params={"query": query})
        return [m["role"] for m in response.json()["content"]]

    assert roles("ACME") == ["READ"]
    assert roles("ada@") == ["WRITE"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name,asc", ["a", "b", "c"]),
        ("name,desc", ["c", "b", "a"]),
        ("name:DESC", ["c", "b", "a"]),
        ("organizationStatus:asc;name:desc", ["c", "b", "a"]),
        ("description", ["b", "a", "c"]),
    ],
)
def test_sort(client: httpx.Client, make_org: Any, sort: str, expected: list[str]) -> None:
    beta = make_org("b", name="Beta", description="1")
    make_org("c", name="Gamma")
    alpha = make_org("a", name="Alpha", description="2")
    for org in (alpha, beta):
        client.put(f"/api/organizations/{org['id']}/suspend")

    response = client.get("/api/organizations", params={"sort": sort})

    assert _slugs(response) == expected
    assert response.json()["sort"]["sorted"] is True


def test_repeated_sort_parameters_combine(client: httpx.Client, make_org: Any) -> None:
    make_org("a", name="Same")
    make_org("b", name="Same")
    make_org("c", name="Other")
    params = httpx.QueryParams([("sort", "name,desc"), ("sort", "slug,desc")])
    assert _slugs(client.get("/api/organizations", params=params)) == ["b", "a", "c"]


@pytest.mark.parametrize("sort", ["nope,asc", "name,sideways", "features.flag", ",asc"])
def test_bad_sort_is_400(client: httpx.Client, sort: str) -> None:
    response = client.get("/api/organizations", params={"sort": sort})
    assert response.status_code == 400
    assert "sort" in response.json()["errors"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("slug: 'acme'", ["acme"]),
        ('slug : "acme"', ["acme"]),
        ("name ~ '*corp*'", ["acme", "globex"]),
        ("name ~ 'ACME%'", ["acme"]),
        ("slug != 'acme'", ["globex", "initech"]),
        ("slug ! 'acme' and name ~ '*corp'", ["globex"]),
        ("slug: 'acme' or slug: 'initech'", ["acme", "initech"]),
        ("slug: 'initech' or slug: 'acme' and name: 'nope'", ["initech"]),
        ("(slug: 'initech' or slug: 'acme') and name ~ 'acme*'", ["acme"]),
        ("not slug: 'acme'", ["globex", "initech"]),
        ("slug in ('acme', 'globex')", ["acme", "globex"]),
        ("description is null", ["initech"]),
        ("description is not null", ["acme", "globex"]),
        ("changeSequence > 0", ["globex"]),
        ("changeSequence <: '0'", ["acme", "initech"]),
        ("publicAccess: true", ["acme"]),
        ("description ! 'x'", ["acme", "globex"]),
    ],
)
def test_filter(client: httpx.Client, make_org: Any, expression: str, expected: list[str]) -> None:
    make_org("acme", name="Acme Corp", description="first", publicAccess=True)
    globex = make_org("globex", name="Globex Corp", description="second")
    make_org("initech", name="Initech")
    client.put(f"/api/organizations/{globex['id']}", json=globex)

    assert _slugs(client.get("/api/organizations", params={"filter": expression})) == expected


def test_repeated_filters_are_all_applied(client: httpx.Client, make_org: Any) -> None:
    make_org("acme", name="Acme Corp")
    make_org("globex", name="Globex Corp")
    params = httpx.QueryParams(
        [("filter", "name ~ '*corp'"), ("filter", "slug ! 'acme'"), ("filter", " ")]
    )
    assert _slugs(client.get("/api/organizations", params=params)) == ["globex"]


def test_filter_on_dotted_path(client: httpx.Client, make_org: Any) -> None:
    acme, globex = make_org("acme"), make_org("globex")
    for org in (acme, globex, acme):
        client.post("/api/memberships", json={"organizationId": org["id"]})

    by_id = client.get("/api/memberships", params={"filter": f"organization.id: '{acme['id']}'"})
    by_slug = client.get("/api/memberships", params={"filter": "organization.slug: 'globex'"})

    assert by_id.json()["totalElements"] == 2
    assert [m["organizationId"] for m in by_slug.json()["content"]] == [globex["id"]]


@pytest.mark.parametrize(
    "expression", ["nope: 'x'", "features.beta: true", "organization.nope ~ 'x'"]
)
def test_filter_on_unknown_field_is_500(client: httpx.Client, expression: str) -> None:
    response = client.get("/api/memberships", params={"filter": expression})
    assert response.status_code == 500
    assert response.json()["message"].startswith("Unable to locate attribute")


@pytest.mark.parametrize(
    "expression",
    [
        "slug",
        "slug: ",
        "slug = 'x'",
        "slug: 'x' and",
        "(slug: 'x'",
        "slug: 'x')",
        "slug: 'open",
        "slug is empty",
        "slug in ()",
        "slug: 'a' slug: 'b'",
        ": 'x'",
        "slug: bare",
    ],
)
def test_malformed_filter_is_400(client: httpx.Client, expression: str) -> None:
    response = client.get("/api/organizations", params={"filter": expression})
    assert response.status_code == 400
    assert "filter" in response.json()["errors"]
