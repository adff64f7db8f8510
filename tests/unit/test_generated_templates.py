"""The custom generator templates (``templates/``) change how ``from_dict`` runs, not what it gives.

The same spec is generated again with the generator's stock templates (into a scratch
directory, once per test run, so the reference can never go stale). Those model modules are
loaded as a package of their
own, sharing ``kodexa_platform_client.types`` (so ``UNSET`` is the same object), and every
model's ``from_dict`` is compared with the generated one on inputs drawn from the spec's own
schemas, mixed with arbitrary JSON, wrong types, malformed timestamps, missing required keys,
unknown keys and the ``UNSET`` sentinel itself: the same exception type, or equal attribute
values (type for type) and equal ``to_dict()`` output.
"""

from __future__ import annotations

import atexit
import datetime
import functools
import importlib.abc
import importlib.util
import json
import re
import shutil
import sys
import tempfile
import types
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import kodexa_platform_client.models
import kodexa_platform_client.types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kodexa_platform_client.types import UNSET, Unset

GENERATE = Path(__file__).resolve().parents[2] / "scripts" / "generate.py"
REFERENCE_PACKAGE = "_kodexa_reference_client"
SCHEMAS: dict[str, Any] = json.loads(
    files("kodexa_platform_client").joinpath("openapi.json").read_text(encoding="utf-8")
)["components"]["schemas"]


class _FixtureLoader(importlib.abc.SourceLoader):
    """Loads a module from the scratch copy, writing no bytecode next to it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get_filename(self, fullname: str) -> str:
        return str(self.path)

    def get_data(self, path: str) -> bytes:
        return Path(path).read_bytes()


@functools.cache
def _reference_dir() -> Path:
    """The stock-template model modules for today's spec, generated once per run."""
    spec = importlib.util.spec_from_file_location("_kodexa_generate_script", GENERATE)
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    scratch = Path(tempfile.mkdtemp(prefix="kodexa-stock-client-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    script.generate_into(scratch / "client", templates=None)
    return scratch / "client" / "kodexa_platform_client" / "models"


def _load_reference() -> types.ModuleType:
    """Import the stock-template models as ``_kodexa_reference_client.models.<name>``."""
    models = f"{REFERENCE_PACKAGE}.models"
    if models in sys.modules:
        return sys.modules[models]
    root = types.ModuleType(REFERENCE_PACKAGE)
    root.__path__ = []
    package = types.ModuleType(models)
    package.__path__ = []
    sys.modules[REFERENCE_PACKAGE] = root
    # The modules' own `from ..types import UNSET, Unset` lands on the real types module.
    sys.modules[f"{REFERENCE_PACKAGE}.types"] = kodexa_platform_client.types
    sys.modules[models] = package
    for path in sorted(_reference_dir().glob("*.py")):
        if path.name == "__init__.py":
            continue
        name = f"{models}.{path.name.removesuffix('.py')}"
        spec = importlib.util.spec_from_loader(name, _FixtureLoader(path), origin=str(path))
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        setattr(package, name.rpartition(".")[2], module)
    return package


def _module_name(schema: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", schema).lower()


def _pair(schema: str) -> tuple[Any, Any]:
    """The generated model class for ``schema`` and its stock-template twin."""
    current = getattr(kodexa_platform_client.models, schema)
    reference = getattr(getattr(_load_reference(), _module_name(schema)), schema)
    return current, reference


# --- inputs -------------------------------------------------------------------------------

TIMESTAMPS = st.one_of(
    st.datetimes(timezones=st.none() | st.just(datetime.UTC) | st.timezones()).map(
        lambda moment: moment.isoformat()
    ),
    st.datetimes().map(lambda moment: moment.isoformat() + "Z"),
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(
        [
            "2024-03-01T09:15:02.118Z",
            "2025-10-12T17:40:55.902331Z",
            "2023-02-30T00:00:00Z",
            "2023-11-07T25:00:00Z",
            "2023-11-07T05:31:56.123456789+14:00",
            "not a date",
            "",
            "2023",
        ]
    ),
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    TIMESTAMPS,
    st.just(UNSET),
)
JSON = st.recursive(
    LEAVES,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def _for_schema(schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    """Values shaped like ``schema`` (nested models down to ``depth``), often not quite."""
    if "$ref" in schema:
        name = schema["$ref"].rpartition("/")[2]
        return _model(name, depth - 1) if depth > 0 else JSON
    choices: list[st.SearchStrategy[Any]] = [
        _for_schema(option, depth) for option in schema.get("oneOf", []) + schema.get("anyOf", [])
    ]
    kinds = schema.get("type", [])
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        if kind == "string":
            choices.append(TIMESTAMPS if schema.get("format") == "date-time" else st.text())
        elif kind == "array":
            choices.append(st.lists(_for_schema(schema.get("items", {}), depth), max_size=3))
        elif kind == "object":
            extra = schema.get("additionalProperties")
            values = _for_schema(extra, depth) if isinstance(extra, dict) else JSON
            choices.append(st.dictionaries(st.text(max_size=6), values, max_size=3))
        elif kind == "integer":
            choices.append(st.integers())
        elif kind == "boolean":
            choices.append(st.booleans())
        elif kind == "null":
            choices.append(st.none())
    return st.one_of(*choices) if choices else JSON


def _model(name: str, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    """A body for schema ``name``: any subset of its keys, each right or wrong, plus extras."""
    schema = SCHEMAS[name]
    properties = schema.get("properties", {})
    values = {key: _for_schema(sub, depth) | JSON for key, sub in properties.items()}
    required = set(schema.get("required", []))
    complete = st.fixed_dictionaries(
        {key: values[key] for key in sorted(required)},
        optional={key: values[key] for key in sorted(set(values) - required)},
    )
    partial = st.fixed_dictionaries({}, optional=values)
    extras = st.dictionaries(
        st.text(max_size=8).filter(lambda key: key not in properties), JSON, max_size=2
    )
    return st.builds(lambda body, more: {**more, **body}, complete | partial, extras)


# --- comparison ---------------------------------------------------------------------------


def _same(left: Any, right: Any, where: str = "") -> Iterator[str]:
    """Every difference between two parsed values, models compared field by field."""
    if attrs.has(type(left)) and attrs.has(type(right)):
        yield from _same_models(left, right, where)
    elif type(left) is not type(right):
        yield f"{where}: {type(left).__name__} != {type(right).__name__} ({left!r}, {right!r})"
    elif isinstance(left, list | dict):
        yield from _same_containers(left, right, where)
    elif isinstance(left, datetime.datetime):
        if (left.isoformat(), left.tzinfo) != (right.isoformat(), right.tzinfo):
            yield f"{where}: {left!r} != {right!r}"
    elif not isinstance(left, Unset) and left != right:
        yield f"{where}: {left!r} != {right!r}"


def _same_models(left: Any, right: Any, where: str) -> Iterator[str]:
    if type(left).__name__ != type(right).__name__:
        yield f"{where}: {type(left).__name__} != {type(right).__name__}"
        return
    for field in attrs.fields(type(left)):
        yield from _same(
            getattr(left, field.name), getattr(right, field.name), f"{where}.{field.name}"
        )


def _same_containers(left: list[Any] | dict[Any, Any], right: Any, where: str) -> Iterator[str]:
    if isinstance(left, list):
        if len(left) != len(right):
            yield f"{where}: {len(left)} items != {len(right)}"
        for index, (one, other) in enumerate(zip(left, right, strict=False)):
            yield from _same(one, other, f"{where}[{index}]")
        return
    if list(left) != list(right):
        yield f"{where}: keys {list(left)} != {list(right)}"
    for key in left.keys() & right.keys():
        yield from _same(left[key], right[key], f"{where}[{key!r}]")


def _outcome(model: Any, body: Any) -> tuple[str, Any, Any]:
    try:
        parsed = model.from_dict(body)
    except Exception as error:  # noqa: BLE001 - the type of any failure is what is compared
        return ("raised", type(error), None)
    try:
        dumped = parsed.to_dict()
    except Exception as error:  # noqa: BLE001
        return ("parsed, to_dict raised", parsed, type(error))
    return ("parsed", parsed, dumped)


def assert_same_parse(schema: str, body: Any) -> None:
    current, reference = _pair(schema)
    snapshot = repr(body)
    got, want = _outcome(current, body), _outcome(reference, body)
    assert repr(body) == snapshot, "from_dict changed its input"
    assert got[0] == want[0], (got, want)
    if got[0] == "raised":
        assert got[1] is want[1]
        return
    assert not list(_same(got[1], want[1])), list(_same(got[1], want[1]))
    if got[0] == "parsed":
        assert not list(_same(got[2], want[2])), list(_same(got[2], want[2]))
        assert got[2] == want[2]
    else:
        assert got[2] is want[2]


# --- tests --------------------------------------------------------------------------------


def test_the_reference_is_the_stock_output() -> None:
    """The reference is the stock templates' work: closures, lazy imports and all."""
    text = (_reference_dir() / "membership.py").read_text(encoding="utf-8")
    assert "def _parse_user(data: object)" in text
    assert "        from ..models.user import User  # noqa: PLC0415" in text
    generated = Path(kodexa_platform_client.models.__file__).parent / "membership.py"
    assert "def _parse_" not in generated.read_text(encoding="utf-8")
    assert {path.stem for path in _reference_dir().glob("*.py")} - {"__init__"} == {
        path.stem for path in generated.parent.glob("*.py") if path.stem != "__init__"
    }


MEMBERSHIP: dict[str, Any] = {
    "id": "9b2f0d3e-5a61-4c2b-0000-000000000001",
    "uuid": "9b2f0d3e5a614c2b0000000000000001",
    "changeSequence": 1,
    "createdOn": "2024-03-01T09:15:02.118Z",
    "updatedOn": "2025-10-12T17:40:55.902331Z",
    "role": "OWNER",
    "organizationId": "c4cc3366-261a-42ed-b883-000000000001",
    "userId": "5e8f7a10-1111-4c2b-9d3e-000000000001",
    "organization": {
        "id": "c4cc3366-261a-42ed-b883-000000000001",
        "name": "Acme Corp",
        "slug": "acme-corp",
        "createdOn": "2024-03-01T09:15:02.118Z",
        "features": None,
        "properties": {"region": "eu"},
        "memory": {"orderedDashboards": []},
        "authGroupLink": {"authGroup": "admins"},
        "supportAccessExpiresAt": None,
        "organizationStatus": "ACTIVE",
    },
    "user": {
        "id": "5e8f7a10-1111-4c2b-9d3e-000000000001",
        "email": "user@example.com",
        "lastConnected": "2025-11-30T08:00:00Z",
        "activated": True,
    },
}

EXAMPLES: list[tuple[str, Any]] = [
    ("Membership", MEMBERSHIP),
    ("Membership", {}),
    ("Membership", dict.fromkeys(MEMBERSHIP)),
    ("Membership", dict.fromkeys(MEMBERSHIP, UNSET)),
    ("Membership", {**MEMBERSHIP, "user": "dXNlcjpiYXNlNjQ="}),
    ("Membership", {**MEMBERSHIP, "user": 42, "organization": "acme"}),
    ("Membership", {**MEMBERSHIP, "organization": {"name": "no slug"}}),
    ("Membership", {**MEMBERSHIP, "organization": {**MEMBERSHIP["organization"], "slug": None}}),
    ("Membership", {**MEMBERSHIP, "createdOn": "yesterday", "updatedOn": 1700000000}),
    ("Membership", {**MEMBERSHIP, "createdOn": "2023-02-30T00:00:00Z", "updatedOn": []}),
    ("Membership", {**MEMBERSHIP, "unknown": {"nested": [1, 2]}, "": None}),
    ("Membership", {**MEMBERSHIP, "user": {**MEMBERSHIP["user"], "lastConnected": "soon"}}),
    ("Organization", {"name": "x", "slug": "y", "memory": {"orderedDashboards": "nope"}}),
    ("Organization", {"name": "x", "slug": "y", "memory": [], "features": {"a": 1}}),
    ("Organization", {"name": "x", "slug": "y", "authGroupLink": "admins", "properties": 3}),
    ("Organization", {"slug": "y"}),
    ("Organization", {"name": "x", "slug": "y", "createdOn": "2023-13-01", "updatedOn": 5}),
    ("Organization", {"name": None, "slug": None, "extra": True}),
    ("User", {"lastConnected": None, "createdOn": UNSET, "userType": "HUMAN"}),
    ("PageMembership", {"content": [MEMBERSHIP, MEMBERSHIP], "totalElements": 2}),
    ("PageMembership", {"content": [MEMBERSHIP, "broken"], "pageable": {"sort": "x"}}),
    ("PageMembership", {"content": [MEMBERSHIP, {"organization": {}}], "sort": None}),
    ("PageMembership", {"content": None, "pageable": None, "sort": {"sorted": True}}),
    ("PageMembership", {"content": {"not": "a list"}, "pageable": {"sort": {"x": 1}}}),
    ("PageOrganization", {"content": [{"name": "a", "slug": "b"}, {"name": "only"}]}),
    ("LegacyError", {"errors": {"name": "required"}, "rootCauseStackTrace": ["a", 1]}),
    ("LegacyError", {"errors": "flat", "rootCauseStackTrace": "one line"}),
    ("ProblemDetails", {"status": 404, "title": "Not Found", "instance": None, "x": 1}),
]


@pytest.mark.parametrize(("schema", "body"), EXAMPLES)
def test_examples_parse_as_before(schema: str, body: Any) -> None:
    assert_same_parse(schema, body)


@pytest.mark.parametrize("schema", sorted(SCHEMAS))
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_any_body_parses_as_before(schema: str, data: st.DataObject) -> None:
    body = data.draw(_model(schema, depth=2), label="body")
    assert_same_parse(schema, body)


@settings(max_examples=100, deadline=None)
@given(body=JSON)
def test_any_json_parses_as_before(body: Any) -> None:
    """Not even an object: the same exception, or the same model, either way."""
    for schema in ("Membership", "Organization", "PageMembership"):
        assert_same_parse(schema, body)
