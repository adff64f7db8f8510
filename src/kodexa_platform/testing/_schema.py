"""The API description the sandbox serves, and validation against its schemas."""

from __future__ import annotations

import functools
import importlib.resources
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

JSON = dict[str, Any]

# The spec has no $id of its own; this name only ties the registry to the $refs below.
SPEC_URI = "urn:kodexa-platform:openapi"

_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


class _Validator(Protocol):
    def iter_errors(self, instance: object) -> Iterable[Any]: ...


@functools.cache
def spec() -> JSON:
    """Return the OpenAPI document, as shipped inside the generated client package."""
    resource = importlib.resources.files("kodexa_platform_client").joinpath("openapi.json")
    document: JSON = json.loads(resource.read_text(encoding="utf-8"))
    return document


def _is_date_time(value: object) -> bool:
    # RFC 3339 needs an offset. Checked here rather than through jsonschema's optional
    # rfc3339-validator extra, so the sandbox is exactly as strict on every machine.
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.upper())
    except ValueError:
        return False
    return True


_INT_RANGES = {"int32": 2**31, "int64": 2**63}


def _in_range(bits: str) -> Callable[[object], bool]:
    # The platform is a Java service: a number past its field's width is a 400 there, so the
    # sandbox refuses it too instead of storing what the real API would never hold.
    limit = _INT_RANGES[bits]

    def check(value: object) -> bool:
        return not isinstance(value, int) or isinstance(value, bool) or -limit <= value < limit

    return check


_FORMATS = FormatChecker(formats=())
_FORMATS.checks("date-time")(_is_date_time)
for _bits in _INT_RANGES:
    _FORMATS.checks(_bits)(_in_range(_bits))


@functools.cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(spec(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


@functools.cache
def validator(pointer: str) -> _Validator:
    """Return a Draft 2020-12 validator for the schema at ``pointer`` (``#/components/...``)."""
    checker: _Validator = Draft202012Validator(
        {"$ref": SPEC_URI + pointer}, registry=_registry(), format_checker=_FORMATS
    )
    return checker


def _field_path(parts: Iterable[object]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


def _explain(error: Any) -> Iterator[tuple[str, str]]:
    if error.validator == "required" and isinstance(error.instance, Mapping):
        for name in error.validator_value:
            if name not in error.instance:
                yield _field_path([*error.absolute_path, name]), "must be present"
        return
    # When a oneOf fails, the branches whose type did not even match say nothing useful;
    # a branch of the right type names the field inside the value that is wrong.
    depth = len(error.absolute_path)
    relevant = [
        e for e in error.context or () if e.validator != "type" or len(e.absolute_path) > depth
    ]
    if relevant:
        yield from _explain(best_match(relevant))
        return
    yield _field_path(error.absolute_path), error.message


def body_errors(schema: str, body: object) -> dict[str, str]:
    """Map each invalid field of ``body`` (dotted path) to a message; empty when valid."""
    errors: dict[str, str] = {}
    for error in validator(f"#/components/schemas/{schema}").iter_errors(body):
        for path, message in _explain(error):
            errors.setdefault(path, message)
    return errors


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in node:
        found: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            found = found[part.replace("~1", "/").replace("~0", "~")]
        node = found
    return node


def _object_branches(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    node = _resolve(node)
    if "properties" in node:
        yield node
    for branch in [*node.get("oneOf", ()), *node.get("anyOf", ())]:
        yield from _object_branches(branch)


def has_field(schema: str, path: Sequence[str]) -> bool:
    """Tell whether the spec declares the dotted ``path`` on ``schema`` (through nested objects).

    Free-form maps such as ``features`` declare no fields, so nothing below them is known.
    """
    nodes: list[Mapping[str, Any]] = [spec()["components"]["schemas"][schema]]
    for part in path:
        nodes = [
            branch["properties"][part]
            for node in nodes
            for branch in _object_branches(node)
            if part in branch["properties"]
        ]
        if not nodes:
            return False
    return True


def _path_regex(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)))


def operation_for(method: str, path: str) -> str | None:
    """Return the operationId serving ``method`` on the concrete ``path``, if the spec has one."""
    for template, item in spec()["paths"].items():
        if _path_regex(template).fullmatch(path):
            operation = item.get(method.lower())
            return None if operation is None else str(operation["operationId"])
    return None


def _response_pointer(operation_id: str, status: int) -> str | None:
    for template, item in spec()["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, Mapping) or operation.get("operationId") != operation_id:
                continue
            response = operation["responses"].get(str(status))
            if response is None:
                return None
            if "$ref" in response:
                return str(response["$ref"])
            escaped = template.replace("~", "~0").replace("/", "~1")
            return f"#/paths/{escaped}/{method}/responses/{status}"
    raise KeyError(operation_id)


def response_errors(
    operation_id: str, status: int, content_type: str | None, body: bytes
) -> list[str]:
    """Check one response against what the spec declares for it; return the problems found."""
    pointer = _response_pointer(operation_id, status)
    if pointer is None:
        return [f"{operation_id} declares no {status} response"]
    content = _resolve({"$ref": pointer}).get("content", {})
    if not content:
        return [] if not body else [f"{operation_id} {status} declares no body, got {body!r}"]
    media = (content_type or "").split(";")[0].strip()
    if media not in content:
        return [f"{operation_id} {status} declares no {media!r} body"]
    try:
        document = json.loads(body)
    except ValueError:
        return [f"{operation_id} {status} body is not JSON: {body[:80]!r}"]
    checker = validator(f"{pointer}/content/{media.replace('/', '~1')}/schema")
    return [f"{_field_path(e.absolute_path)}: {e.message}" for e in checker.iter_errors(document)]
