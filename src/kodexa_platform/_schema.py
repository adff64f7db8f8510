"""Checks JSON against the schemas of the OpenAPI document the client was generated from.

The generated models trust what they are given: a number where a string belongs, or a
timestamp that does not parse, would pass through silently. Every body is therefore checked
against the spec (shipped inside the generated package as ``openapi.json``) before it is
turned into a model, and every request body before it is sent.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

_SPEC_URI = "urn:kodexa-platform:openapi"
_FORMATS = jsonschema.FormatChecker(formats=())


def _is_date_time(value: object) -> bool:
    # RFC 3339 requires an offset; a naive timestamp would be read as local time by some
    # callers and as UTC by others, so it is refused rather than guessed at.
    if not isinstance(value, str):
        return True
    if "T" not in value and "t" not in value:
        raise ValueError("not an RFC 3339 date-time")
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("timestamp has no UTC offset")
    return True


_FORMATS.checks("date-time", raises=ValueError)(_is_date_time)


@cache
def _registry() -> Registry[Any]:
    document = json.loads(
        resources.files("kodexa_platform_client").joinpath("openapi.json").read_text("utf-8")
    )
    resource: Resource[Any] = Resource.from_contents(document, DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(_SPEC_URI, resource)
    return registry


@cache
def _validator(schema: str, many: bool) -> jsonschema.Draft202012Validator:
    ref: dict[str, Any] = {"$ref": f"{_SPEC_URI}#/components/schemas/{schema}"}
    root = {"type": "array", "items": ref} if many else ref
    return jsonschema.Draft202012Validator(root, registry=_registry(), format_checker=_FORMATS)


def problems(data: object, schema: str, *, many: bool = False) -> dict[str, str]:
    """Map each JSON path in ``data`` that breaks the named component schema to why.

    ``many`` checks a JSON array of that schema. An empty result means ``data`` is valid.
    """
    found: dict[str, str] = {}
    for error in _validator(schema, many).iter_errors(data):
        # A oneOf failure reports every branch; the most specific one says the most.
        best = jsonschema.exceptions.best_match([error]) or error
        found.setdefault(best.json_path, best.message)
    return found
