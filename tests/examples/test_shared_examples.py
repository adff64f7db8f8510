"""Real payloads against the generated models and the spec.

``data/`` holds verbatim copies of the team's shared reference examples (payloads seen from
the platform and its docs), copied in because the shared folder is not part of this
repository. To refresh them, copy the files over again; a new file fails
``test_every_example_is_covered`` until it is added to ``EXAMPLES`` below.

Each example must:

* parse with the generated models;
* serialise back without losing or changing a field, unknown extras included (timestamps are
  compared as instants: the models write ``+00:00`` where the platform wrote ``Z``);
* validate against the spec's own schema, read from the copy of the spec that ships inside
  the generated package, with a Draft 2020-12 validator (OpenAPI 3.1's dialect).
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from kodexa_platform_client.models import (
    LegacyError,
    Membership,
    Organization,
    PageOrganization,
    User,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DATA = Path(__file__).parent / "data"
SPEC_URI = "urn:kodexa-platform:openapi"


def _parse_list_of_memberships(payload: Any) -> list[Membership]:
    assert isinstance(payload, list)
    return [Membership.from_dict(item) for item in payload]


def _dump_list(models: list[Membership]) -> list[dict[str, Any]]:
    return [model.to_dict() for model in models]


@dataclass(frozen=True)
class Example:
    parse: Callable[[Any], Any]
    dump: Callable[[Any], Any]
    #: JSON pointer, inside the spec, of the schema the payload must satisfy.
    schema: str


def _component(name: str) -> str:
    return f"#/components/schemas/{name}"


def _response_schema(path: str, method: str, status: str = "200") -> str:
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"#/paths/{escaped}/{method}/responses/{status}/content/application~1json/schema"


EXAMPLES: dict[str, Example] = {
    "create-membership.json": Example(
        Membership.from_dict, Membership.to_dict, _component("Membership")
    ),
    # The list endpoint answers a bare array, so validate against that operation's schema.
    "user-memberships.legacy.json": Example(
        _parse_list_of_memberships,
        _dump_list,
        _response_schema("/api/users/{id}/memberships", "get"),
    ),
    "list-organizations.page.json": Example(
        PageOrganization.from_dict, PageOrganization.to_dict, _component("PageOrganization")
    ),
    "error.legacy.json": Example(
        LegacyError.from_dict, LegacyError.to_dict, _component("LegacyError")
    ),
}

# ISO 8601 / RFC 3339 timestamps as the platform writes them: `Z` or an offset, with or
# without fractions of a second (Python 3.11's fromisoformat reads all of these).
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _normalise(value: Any) -> Any:
    """Make two JSON values comparable: every timestamp becomes the same instant in UTC."""
    if isinstance(value, dict):
        return {key: _normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, str) and _TIMESTAMP.match(value):
        moment = datetime.datetime.fromisoformat(value)
        return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return value


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    text = resources.files("kodexa_platform_client").joinpath("openapi.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@pytest.fixture(scope="module")
def registry(spec: dict[str, Any]) -> Registry[Any]:
    # The whole spec is one resource, so every `$ref: '#/components/...'` inside it resolves.
    return Registry().with_resource(SPEC_URI, Resource.from_contents(spec, DRAFT202012))


def _validator(registry: Registry[Any], pointer: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": SPEC_URI + pointer},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def test_every_example_is_covered() -> None:
    assert sorted(path.name for path in DATA.glob("*.json")) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_round_trips(name: str) -> None:
    example = EXAMPLES[name]
    payload = _load(name)
    parsed = example.parse(payload)
    dumped = example.dump(parsed)
    # Through JSON text, as a request body would go: the dump must be serialisable as is.
    assert _normalise(json.loads(json.dumps(dumped))) == _normalise(payload)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_matches_the_spec(name: str, registry: Registry[Any]) -> None:
    validator = _validator(registry, EXAMPLES[name].schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(_load(name))]
    assert errors == []


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_dump_matches_the_spec(name: str, registry: Registry[Any]) -> None:
    """What the models write (a request body, a cache) must satisfy the spec too."""
    example = EXAMPLES[name]
    dumped = example.dump(example.parse(_load(name)))
    validator = _validator(registry, example.schema)
    assert [e.message for e in validator.iter_errors(dumped)] == []


def _add_extras(value: Any) -> Any:
    """Return a copy with an unknown member added to every object, at every depth."""
    if isinstance(value, dict):
        extended = {key: _add_extras(item) for key, item in value.items()}
        extended["fieldFromTheFuture"] = {"nested": [1, "two", None], "flag": True}
        return extended
    if isinstance(value, list):
        return [_add_extras(item) for item in value]
    return value


# Free-form maps (`features`, `properties`, `errors`) are not models: their members are data
# and an added member is kept as data, which the round trip checks just the same.
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_unknown_fields_survive_at_every_depth(name: str) -> None:
    example = EXAMPLES[name]
    payload = _add_extras(_load(name))
    dumped = example.dump(example.parse(copy.deepcopy(payload)))
    assert _normalise(json.loads(json.dumps(dumped))) == _normalise(payload)


def test_page_number_counts_from_zero() -> None:
    page = PageOrganization.from_dict(_load("list-organizations.page.json"))
    # The answer to `page=1` (the default, 1-based parameter) carries `number: 0`.
    assert page.number == 0
    assert page.first is True
    assert page.pageable is not None
    assert page.pageable.page_number == 0
    assert page.pageable.offset == 0
    assert page.number + 1 == 1


def test_parsed_values_are_typed() -> None:
    """Spot checks that parsing produced models and datetimes, not raw dicts and strings."""
    created = Membership.from_dict(_load("create-membership.json"))
    assert isinstance(created.organization, Organization)
    assert created.organization.slug == "<string>"
    # The docs' base64 rendering of `user` stays a string rather than failing the parse.
    assert created.user == "aSDinaTvuI8gbWludGxpZnk="
    assert created.created_on == datetime.datetime(2023, 11, 7, 5, 31, 56, tzinfo=datetime.UTC)

    (legacy,) = _parse_list_of_memberships(_load("user-memberships.legacy.json"))
    assert isinstance(legacy.user, User)
    assert legacy.user.email == "user@example.com"
    assert legacy.role == "OWNER"
    assert isinstance(legacy.organization, Organization)
    assert legacy.organization.features is None

    page = PageOrganization.from_dict(_load("list-organizations.page.json"))
    assert isinstance(page.content, list)
    (organization,) = page.content
    assert organization.updated_on == datetime.datetime(
        2025, 10, 12, 17, 40, 55, 902331, tzinfo=datetime.UTC
    )

    error = LegacyError.from_dict(_load("error.legacy.json"))
    assert error.message == "Membership not found"
    assert error.stack_trace is None
    assert error.root_cause_stack_trace == []
