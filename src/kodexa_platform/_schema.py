"""Checks JSON against the schemas of the OpenAPI document the client was generated from.

The generated models trust what they are given: a number where a string belongs, or a
timestamp that does not parse, would pass through silently. Every body is therefore checked
against the spec (shipped inside the generated package as ``openapi.json``) before it is
turned into a model, and every request body before it is sent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema
    from referencing import Registry

_SPEC_URI = "urn:kodexa-platform:openapi"


# RFC 3339's shape, with the upper-case T and Z that the generated models' parser (Python's
# fromisoformat) reads; the offset is optional here only to give naive values their own error.
# fromisoformat checks the ranges, except an offset's minutes (it reads "+05:60" as 6 hours).
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-5][0-9])?"
)

# The same rule for the compiled check, which cannot call fromisoformat without crossing into
# Python for every timestamp (8,000 times in a page of 1,000 memberships). Its own date-time
# format checks the ranges and the calendar; this pattern takes away what RFC 3339 allows and
# fromisoformat cannot read: a lower-case t or z, a leap second, the year 0. An offset is
# required here; a naive value fails both checks and gets its message from the Python one.
_DATE_TIME_PATTERN = (
    r"^(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])-[0-9]{2}-[0-9]{2}"
    r"T[0-9]{2}:[0-9]{2}:[0-5][0-9](?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})$"
)


def _is_date_time(value: object) -> bool:
    # RFC 3339 requires an offset; a naive timestamp would be read as local time by some
    # callers and as UTC by others, so it is refused rather than guessed at.
    if not isinstance(value, str):
        return True
    if not _RFC3339.fullmatch(value):
        raise ValueError("not an RFC 3339 date-time (such as 2024-03-01T09:15:02.118Z)")
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("timestamp has no UTC offset")
    return True


@cache
def _document() -> dict[str, Any]:
    text = resources.files("kodexa_platform_client").joinpath("openapi.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@cache
def _registry() -> Registry[Any]:
    # Imported here, not at the top: ~25 ms that `import kodexa_platform` need not pay.
    from referencing import Registry, Resource  # noqa: PLC0415
    from referencing.jsonschema import DRAFT202012  # noqa: PLC0415

    document = _document()
    resource: Resource[Any] = Resource.from_contents(document, DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(_SPEC_URI, resource)
    return registry


def _with_date_time_pattern(node: Any) -> Any:
    """A copy of a schema in which every ``format: date-time`` must also match the pattern.

    Any dict with that key is changed, a ``const`` or ``enum`` value that happens to look like
    one included. That errs the safe way: the compiled check can only become stricter, and a
    body it refuses goes to the Python validator, which has the last word.
    """
    if isinstance(node, list):
        return [_with_date_time_pattern(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: _with_date_time_pattern(value) for key, value in node.items()}
    if copy.get("format") == "date-time":
        # Under allOf, so that a pattern the spec itself gives the field still applies.
        copy["allOf"] = [*copy.get("allOf", []), {"pattern": _DATE_TIME_PATTERN}]
    return copy


@cache
def _fast(schema: str, many: bool) -> Any:
    """The same check compiled (jsonschema-rs): yes or no, about 80 times faster."""
    import jsonschema_rs  # noqa: PLC0415

    ref = {"$ref": f"#/components/schemas/{schema}"}
    root: dict[str, Any] = {"type": "array", "items": ref} if many else dict(ref)
    root["components"] = _with_date_time_pattern(_document()["components"])
    return jsonschema_rs.Draft202012Validator(root, validate_formats=True)


@cache
def _validator(schema: str, many: bool) -> jsonschema.Draft202012Validator:
    import jsonschema  # noqa: PLC0415

    formats = jsonschema.FormatChecker(formats=())
    formats.checks("date-time", raises=ValueError)(_is_date_time)
    ref: dict[str, Any] = {"$ref": f"{_SPEC_URI}#/components/schemas/{schema}"}
    root = {"type": "array", "items": ref} if many else ref
    return jsonschema.Draft202012Validator(root, registry=_registry(), format_checker=formats)


def problems(data: object, schema: str, *, many: bool = False) -> dict[str, str]:
    """Map each JSON path in ``data`` that breaks the named component schema to why.

    ``many`` checks a JSON array of that schema. An empty result means ``data`` is valid.
    """
    if _fast(schema, many).is_valid(data):
        return {}
    # Only a body that fails pays for the pure-Python validator, for its precise messages.
    import jsonschema  # noqa: PLC0415

    found: dict[str, str] = {}
    for error in _validator(schema, many).iter_errors(data):
        # A oneOf failure reports every branch; the most specific one says the most.
        best = jsonschema.exceptions.best_match([error]) or error
        found.setdefault(best.json_path, best.message)
    return found


def _component(schema: object) -> str | None:
    """The component a property refers to, directly or as a branch of ``oneOf``."""
    if not isinstance(schema, dict):
        return None
    for branch in [schema, *schema.get("oneOf", [])]:
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return ref.rsplit("/", 1)[1]
    return None


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def misspellings(data: object, schema: str, path: str = "$") -> dict[str, str]:
    """Find Python-style keys (``organization_id``) where the API expects ``organizationId``.

    Unknown keys are allowed in a body (the platform adds fields over time), so a snake_case
    spelling would otherwise be sent, ignored by the platform, and lose the value.
    """
    if not isinstance(data, dict):
        return {}
    known: dict[str, Any] = _document()["components"]["schemas"][schema].get("properties", {})
    found: dict[str, str] = {}
    for key, value in data.items():
        if key not in known and "_" in key and _camel(key) in known:
            found[f"{path}.{key}"] = f"unknown field; the API spells it {_camel(key)!r}"
        nested = _component(known.get(key))
        if nested is not None:
            found |= misspellings(value, nested, f"{path}.{key}")
    return found
