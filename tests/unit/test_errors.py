"""Every response, however hostile, is a model or a typed error."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from importlib import resources
from typing import Any

import pytest
from kodexa_platform_client.models import Membership, Organization, User

from kodexa_platform import (
    APIError,
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    KodexaError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    UnprocessableEntityError,
)

from .conftest import FakeServer, Flavour, load, membership, organization, page, reply

STATUS_CLASSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (504, InternalServerError),
]


def _get(client: Any) -> Any:
    return client.memberships.get("m-1")


def _raised(flavour: Flavour, server: FakeServer, action: Any = _get) -> Any:
    with pytest.raises(KodexaError) as caught:
        flavour.call(server, action, max_retries=0)
    return caught.value


# --- status codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
def test_each_error_status_maps_to_its_class(
    flavour: Flavour, status: int, cls: type[APIStatusError]
) -> None:
    body = load("error.legacy.json")
    server = FakeServer(reply(status, body, headers={"x-request-id": "r-1"}))
    error = _raised(flavour, server)
    assert type(error) is cls
    assert isinstance(error, APIStatusError)
    assert isinstance(error, APIError)
    assert error.status_code == status
    assert error.body == body
    assert error.headers["x-request-id"] == "r-1"
    assert error.response.status_code == status
    assert error.request.url.path == "/api/memberships/m-1"
    assert error.incident_id == "7f3c2a"
    assert str(error) == error.message
    assert f"GET /api/memberships/m-1 answered {status}: Membership not found" in str(error)
    assert "(incident 7f3c2a)" in str(error)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (418, APIStatusError),
        (451, APIStatusError),
        (499, APIStatusError),
        (304, APIStatusError),
        (520, InternalServerError),
        (561, InternalServerError),
        (599, InternalServerError),
        (999, APIStatusError),
    ],
)
def test_statuses_python_does_not_know_are_still_typed(
    flavour: Flavour, status: int, cls: type[APIStatusError]
) -> None:
    error = _raised(flavour, FakeServer(reply(status, content=b"whatever")))
    assert type(error) is cls
    assert error.status_code == status
    assert error.body == "whatever"


def test_every_call_raises_on_an_error_status_instead_of_returning_none(flavour: Flavour) -> None:
    actions = [
        lambda c: c.memberships.create({"role": "OWNER"}),
        lambda c: c.memberships.get("m"),
        lambda c: c.memberships.update("m", {"role": "OWNER", "changeSequence": 0}),
        lambda c: c.memberships.delete("m"),
        lambda c: c.memberships.list_page(),
        lambda c: c.memberships.list().to_list(),
        lambda c: c.organizations.create({"name": "n", "slug": "s"}),
        lambda c: c.organizations.get("o"),
        lambda c: c.organizations.update("o", {"name": "n", "slug": "s", "changeSequence": 0}),
        lambda c: c.organizations.delete("o"),
        lambda c: c.organizations.list_page(),
        lambda c: c.organizations.suspend("o"),
        lambda c: c.users.memberships("u"),
    ]
    for action in actions:
        error = _raised(flavour, FakeServer(reply(405, content=b"")), action)
        assert type(error) is APIStatusError
        assert error.status_code == 405


def test_rate_limit_error_carries_retry_after(flavour: Flavour) -> None:
    server = FakeServer(reply(429, {"message": "slow down"}, headers={"Retry-After": "7"}))
    error = _raised(flavour, server)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 7.0
    error = _raised(flavour, FakeServer(reply(429, {"message": "slow down"})))
    assert error.retry_after is None


# --- error bodies ---------------------------------------------------------------------------


def test_legacy_error_body_gives_message_incident_and_field_errors(flavour: Flavour) -> None:
    body = load("error.legacy.json") | {
        "message": "Validation failed",
        "errors": {"role": "must not be blank", "organizationId": "unknown"},
    }
    error = _raised(flavour, FakeServer(reply(422, body)))
    assert isinstance(error, UnprocessableEntityError)
    assert error.errors == {"role": "must not be blank", "organizationId": "unknown"}
    assert error.incident_id == "7f3c2a"
    text = str(error)
    assert "Validation failed" in text
    assert "role: must not be blank" in text
    assert "organizationId: unknown" in text
    assert "(incident 7f3c2a)" in text


def test_a_field_error_the_message_already_says_is_not_repeated(flavour: Flavour) -> None:
    body = {
        "message": "Invalid filter 'role: x': unexpected end",
        "errors": {"filter": "unexpected end", "role": "unknown"},
    }
    error = _raised(flavour, FakeServer(reply(400, body)))
    assert str(error).count("unexpected end") == 1
    assert str(error).endswith("(role: unknown)")
    assert error.errors == {"filter": "unexpected end", "role": "unknown"}


def test_field_errors_that_are_not_strings_are_stringified(flavour: Flavour) -> None:
    body = {"message": "bad", "errors": {"count": 3, "flag": None}}
    error = _raised(flavour, FakeServer(reply(400, body)))
    assert error.errors == {"count": "3", "flag": "None"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"type": "about:blank", "title": "Conflict", "status": 409, "detail": "stale"}, "stale"),
        ({"title": "Conflict", "status": 409}, "Conflict"),
        ({"title": "Conflict", "detail": "   "}, "Conflict"),
        ({"error": "conflict"}, "conflict"),
        ({"message": None, "detail": "from detail"}, "from detail"),
    ],
)
def test_problem_details_give_a_readable_message(
    flavour: Flavour, body: dict[str, Any], expected: str
) -> None:
    answer = reply(
        409, content=json.dumps(body), headers={"content-type": "application/problem+json"}
    )
    error = _raised(flavour, FakeServer(answer))
    assert isinstance(error, ConflictError)
    assert error.body == body
    assert str(error) == f"GET /api/memberships/m-1 answered 409: {expected}"
    assert error.incident_id is None
    assert error.errors == {}


def test_html_error_page_keeps_its_text(flavour: Flavour) -> None:
    html = "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 500 + "</body></html>"
    answer = reply(502, content=html, headers={"content-type": "text/html"})
    error = _raised(flavour, FakeServer(answer))
    assert isinstance(error, InternalServerError)
    assert error.body == html
    assert "502 Bad Gateway" in str(error)
    assert str(error).endswith("...")  # a gateway's page is cut short in the message
    assert len(str(error)) < 300


def test_plain_text_error_keeps_its_text(flavour: Flavour) -> None:
    answer = reply(403, content="  forbidden\n by policy ", headers={"content-type": "text/plain"})
    error = _raised(flavour, FakeServer(answer))
    assert isinstance(error, PermissionDeniedError)
    assert error.body == "  forbidden\n by policy "
    assert str(error) == "GET /api/memberships/m-1 answered 403: forbidden by policy"


@pytest.mark.parametrize("content", [b"", b"   \n"], ids=["empty", "blank"])
def test_empty_error_body_uses_the_reason_phrase(flavour: Flavour, content: bytes) -> None:
    error = _raised(flavour, FakeServer(reply(404, content=content)))
    assert isinstance(error, NotFoundError)
    assert error.body == ""
    assert str(error) == "GET /api/memberships/m-1 answered 404: Not Found"


def test_empty_error_body_with_an_unknown_status_has_a_bare_message(flavour: Flavour) -> None:
    error = _raised(flavour, FakeServer(reply(599, content=b"")))
    assert str(error) == "GET /api/memberships/m-1 answered 599"


@pytest.mark.parametrize(
    "content",
    [b'{"message": "trunc', b"{'single': 'quotes'}", b"\xff\xfe\x00garbage"],
    ids=["truncated", "not-json", "binary"],
)
def test_invalid_json_error_body_keeps_its_text(flavour: Flavour, content: bytes) -> None:
    error = _raised(flavour, FakeServer(reply(400, content=content)))
    assert isinstance(error, BadRequestError)
    assert isinstance(error.body, str)
    assert error.body  # the text is kept, nothing is lost


@pytest.mark.parametrize(
    "body",
    [[1, 2], "just a string", 42, None, {"unexpected": {"shape": True}}, {"errors": ["a", "b"]}],
)
def test_json_error_bodies_of_unknown_shape(flavour: Flavour, body: Any) -> None:
    error = _raised(flavour, FakeServer(reply(500, content=json.dumps(body))))
    assert isinstance(error, InternalServerError)
    assert error.body == body
    assert str(error).startswith("GET /api/memberships/m-1 answered 500")
    assert error.errors == {}


def test_deeply_nested_error_body_is_kept_as_text(flavour: Flavour) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    error = _raised(flavour, FakeServer(reply(500, content=nested)))
    assert isinstance(error, InternalServerError)
    assert error.body == nested


# --- bad 2xx bodies -------------------------------------------------------------------------

BAD_BODIES = [
    (b"<html>ok</html>", "not JSON"),
    (b'{"id": "m-1", "role": "OW', "not JSON"),
    (b"", "not JSON"),
    (b"[1, 2]", "does not match"),
    (b'"a string"', "does not match"),
    (b'{"changeSequence": "seven"}', "changeSequence"),
    (b'{"role": 42}', "role"),
    (b'{"createdOn": "yesterday"}', "createdOn"),
    (b'{"createdOn": "2023-11-07T05:31:56"}', "createdOn"),
    (b'{"createdOn": "2023-11-07"}', "createdOn"),
    (b'{"createdOn": 1699335116}', "createdOn"),
    (b'{"user": 12}', "user"),
    (b'{"organization": {"slug": "no-name"}}', "organization"),
    (b'{"organization": {"name": "n", "slug": "s", "features": []}}', "features"),
    (b"[" * 50_000 + b"]" * 50_000, "not JSON"),
]


@pytest.mark.parametrize(("content", "why"), BAD_BODIES)
def test_bad_2xx_membership_body_is_a_validation_error_with_the_raw_body(
    flavour: Flavour, content: bytes, why: str
) -> None:
    error = _raised(flavour, FakeServer(reply(200, content=content)))
    assert type(error) is APIResponseValidationError
    assert why in str(error)
    assert error.body == content.decode()
    assert error.status_code == 200
    assert error.response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"slug": "no-name"},
        {"name": None, "slug": "s"},
        {"name": "n", "slug": "s", "properties": "not a map"},
        {"name": "n", "slug": "s", "memory": {"orderedDashboards": "x"}},
        {"name": "n", "slug": "s", "supportAccessExpiresAt": "2023-13-45T99:00:00Z"},
    ],
)
def test_bad_2xx_organization_body_is_a_validation_error(
    flavour: Flavour, body: dict[str, Any]
) -> None:
    error = _raised(flavour, FakeServer(reply(200, body)), lambda c: c.organizations.get("o"))
    assert type(error) is APIResponseValidationError
    assert json.loads(error.body) == body


def test_several_problems_are_counted_in_the_message(flavour: Flavour) -> None:
    body = {"role": 1, "userId": 2, "changeSequence": "x"}
    error = _raised(flavour, FakeServer(reply(200, body)))
    assert "(and 2 more)" in str(error)


@pytest.mark.parametrize(
    ("action", "body"),
    [
        (lambda c: c.users.memberships("u"), {"not": "a list"}),
        (lambda c: c.users.memberships("u"), [{"role": 1}]),
        (lambda c: c.memberships.list_page(), [membership()]),
        (lambda c: c.memberships.list_page(), {"content": "x"}),
        (lambda c: c.memberships.list_page(), {"content": [], "number": "0"}),
        (lambda c: c.organizations.list_page(), {"content": [{"slug": "no-name"}]}),
        (lambda c: c.organizations.suspend("o"), {"slug": "no-name"}),
        (lambda c: c.memberships.create({}), {"role": []}),
        (lambda c: c.memberships.update("m", {"changeSequence": 0}), {"role": []}),
    ],
    ids=[
        "users-object",
        "users-item",
        "page-list",
        "content",
        "number",
        "org-item",
        "suspend",
        "create",
        "update",
    ],
)
def test_every_parser_rejects_bodies_off_the_spec(flavour: Flavour, action: Any, body: Any) -> None:
    error = _raised(flavour, FakeServer(reply(200, body)), action)
    assert type(error) is APIResponseValidationError
    assert json.loads(error.body) == body


# --- what the spec allows but a naive client chokes on --------------------------------------


def _properties(schema: str) -> list[str]:
    """Every property the spec gives ``schema`` (from the copy inside the generated package)."""
    text = resources.files("kodexa_platform_client").joinpath("openapi.json").read_text("utf-8")
    spec = json.loads(text)
    return sorted(spec["components"]["schemas"][schema]["properties"])


def test_nulls_everywhere_in_a_membership_parse(flavour: Flavour) -> None:
    fields = _properties("Membership")
    assert {"role", "user", "organization", "createdOn"} <= set(fields)
    body = dict.fromkeys(fields)
    result = flavour.call(FakeServer(reply(200, body)), _get)
    assert isinstance(result, Membership)
    assert result.role is None
    assert result.organization is None
    assert result.to_dict() == body


def test_nulls_everywhere_in_an_organization_parse(flavour: Flavour) -> None:
    optional = [name for name in _properties("Organization") if name not in ("name", "slug")]
    assert {"features", "memory", "supportAccessExpiresAt"} <= set(optional)
    body = {"name": "n", "slug": "s"} | dict.fromkeys(optional)
    result = flavour.call(FakeServer(reply(200, body)), lambda c: c.organizations.get("o"))
    assert isinstance(result, Organization)
    assert result.features is None
    assert result.memory is None
    assert result.to_dict() == body


def test_nulls_in_nested_objects_and_pages_parse(flavour: Flavour) -> None:
    member = membership()
    member["user"] = dict.fromkeys(member["user"])
    member["organization"]["memory"] = {"orderedDashboards": None}
    member["organization"]["authGroupLink"] = {"authGroup": None}
    body = page([member], last=True) | {
        "pageable": None,
        "sort": None,
        "first": None,
        "empty": None,
        "totalElements": None,
        "totalPages": None,
        "numberOfElements": None,
        "size": None,
    }
    result = flavour.call(FakeServer(reply(200, body)), lambda c: c.memberships.list_page())
    assert result.total_items is None
    assert result.total_pages is None
    assert isinstance(result.items[0].user, User)
    assert result.items[0].user.email is None


def test_unknown_role_and_status_values_are_kept(flavour: Flavour) -> None:
    server = FakeServer(
        reply(200, membership() | {"role": "SUPERVISOR"}),
        reply(200, organization() | {"organizationStatus": "ARCHIVED_BY_BILLING"}),
    )
    client = flavour.make(server)
    assert flavour.run(client, _get).role == "SUPERVISOR"
    org = flavour.run(client, lambda c: c.organizations.get("o"))
    assert org.organization_status == "ARCHIVED_BY_BILLING"


def test_unknown_fields_are_kept_and_sent_back_on_update(flavour: Flavour) -> None:
    extras = {"futureField": {"a": [1, 2]}, "tenantTier": "gold", "flags": None}
    stored = membership() | extras
    stored["organization"] = stored["organization"] | {"region": "eu-2"}
    server = FakeServer(reply(200, stored), reply(200, stored))
    client = flavour.make(server)
    model = flavour.run(client, _get)
    assert model.additional_properties == extras
    assert model.organization.additional_properties == {"region": "eu-2"}
    model.role = "READ"
    flavour.run(client, lambda c: c.memberships.update(model.id, model))
    sent = server.json()
    assert {key: sent[key] for key in extras} == extras
    assert sent["organization"]["region"] == "eu-2"
    assert sent["role"] == "READ"


def test_user_as_an_object_and_as_a_string(flavour: Flavour) -> None:
    server = FakeServer(
        reply(200, membership()),
        reply(200, membership() | {"user": "aSDinaTvuI8gbWludGxpZnk="}),
        reply(200, membership() | {"user": None}),
    )
    client = flavour.make(server)
    as_object = flavour.run(client, _get)
    assert isinstance(as_object.user, User)
    assert as_object.user.first_name == "Ada"
    assert as_object.user.additional_properties == {}
    assert flavour.run(client, _get).user == "aSDinaTvuI8gbWludGxpZnk="
    assert flavour.run(client, _get).user is None


EXPECTED_INSTANT = dt.datetime(2023, 11, 7, 5, 31, 56, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("fraction", "micros"),
    [("", 0), (".1", 100_000), (".123", 123_000), (".123456", 123_456), (".123456789", 123_456)],
    ids=["0", "1", "3", "6", "9"],
)
@pytest.mark.parametrize(
    ("offset", "shift"),
    [("Z", 0), ("+00:00", 0), ("+02:00", 2 * 60), ("-05:30", -(5 * 60 + 30))],
)
def test_timestamps_with_any_fraction_and_offset_parse(
    flavour: Flavour, fraction: str, micros: int, offset: str, shift: int
) -> None:
    stamp = f"2023-11-07T05:31:56{fraction}{offset}"
    body = membership() | {"createdOn": stamp, "updatedOn": stamp}
    result = flavour.call(FakeServer(reply(200, body)), _get)
    expected = EXPECTED_INSTANT.replace(microsecond=micros) - dt.timedelta(minutes=shift)
    assert result.created_on == expected
    assert result.created_on.utcoffset() == dt.timedelta(minutes=shift)
    assert result.updated_on == expected


def test_timestamps_inside_nested_objects_parse(flavour: Flavour) -> None:
    body = membership()
    body["user"]["lastConnected"] = "2025-11-30T08:00:00.000000001+01:00"
    body["organization"]["supportAccessExpiresAt"] = "2025-11-30T08:00:00Z"
    result = flavour.call(FakeServer(reply(200, body)), _get)
    assert result.user.last_connected == dt.datetime(2025, 11, 30, 7, 0, tzinfo=dt.UTC).astimezone(
        dt.timezone(dt.timedelta(hours=1))
    )
    assert result.organization.support_access_expires_at.tzinfo is not None


def test_errors_survive_pickling_with_everything_they_carry(flavour: Flavour) -> None:
    # Our own objects, pickled and read back in the same test: S301's concern does not apply.
    body = {"message": "gone", "incidentId": "7f", "errors": {"id": "unknown"}}
    server = FakeServer(reply(404, body))
    with pytest.raises(NotFoundError) as caught:
        flavour.call(server, lambda c: c.memberships.get("m-1"))
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - see above
    assert type(copy) is NotFoundError
    assert str(copy) == str(caught.value)
    assert (copy.status_code, copy.body, copy.incident_id, copy.errors) == (
        404,
        body,
        "7f",
        {"id": "unknown"},
    )
    assert copy.response.content == caught.value.response.content
    invalid = RequestValidationError("bad", {"$.x": "wrong"})
    assert pickle.loads(pickle.dumps(invalid)).errors == {"$.x": "wrong"}  # noqa: S301
