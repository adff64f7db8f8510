"""Structural diff of two OpenAPI 3.x documents, each change classified for a client.

Used by ``scripts/diff.py``; see its docstring for why this is written here rather than
taken from a library. The one rule behind every classification: a client built from the old
document must keep working against a server that follows the new one. So

* what the client *sends* (parameters, request bodies) may accept more, never less: a
  narrowed request schema is BREAKING, a widened one compatible;
* what the client *receives* (response bodies, headers) may promise less, never more: a
  widened response schema (a new type, a new enum value, a field that is no longer required)
  is BREAKING, a narrowed one compatible;
* anything that changes the generated Python API (a removed field, endpoint, parameter or
  model, a renamed operation, a moved tag) is BREAKING whatever the direction;
* wording (descriptions, summaries, examples, ``x-`` extensions) is DOC.

A schema in ``components`` used on both sides is held to both rules. A keyword this module
does not know is reported as BREAKING, asking for a look: a silent miss would be worse.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Keywords that only document; a change to them is DOC.
ANNOTATIONS = frozenset(
    {
        "description",
        "summary",
        "title",
        "example",
        "examples",
        "externalDocs",
        "$comment",
        "contact",
        "license",
        "termsOfService",
        "servers",
    }
)

# String formats that change the Python type openapi-python-client generates.
TYPED_FORMATS = frozenset({"date-time", "date", "binary", "uuid"})

LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")


class Level(enum.IntEnum):
    """How much a change matters; the value orders them and names the version bump."""

    DOC = 1
    COMPATIBLE = 2
    BREAKING = 3

    @property
    def bump(self) -> str:
        return {Level.DOC: "patch", Level.COMPATIBLE: "minor", Level.BREAKING: "major"}[self]


class Side(enum.Flag):
    """Which way data flows through a schema, seen from the client."""

    REQUEST = enum.auto()
    RESPONSE = enum.auto()
    BOTH = REQUEST | RESPONSE


@dataclass(frozen=True, order=True)
class Change:
    """One difference. ``kind`` (added/removed/changed) sorts it into a changelog section."""

    where: str
    what: str
    level: Level
    kind: str = "changed"

    def line(self) -> str:
        return f"{self.level.name:<10} {self.where}: {self.what}"


def _by_side(side: Side, *, widened: bool, narrowed: bool) -> Level:
    """BREAKING if a request now accepts less or a response may now hold more."""
    if (narrowed and Side.REQUEST in side) or (widened and Side.RESPONSE in side):
        return Level.BREAKING
    return Level.COMPATIBLE


def _is_annotation(key: str) -> bool:
    return key in ANNOTATIONS or key.startswith("x-")


def _ref_name(ref: str) -> str:
    prefix = "#/components/schemas/"
    return ref[len(prefix) :] if ref.startswith(prefix) else ref


def _fmt(value: object) -> str:
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(map(str, value))) + "}" if value else "nothing"
    return repr(value)


@dataclass(frozen=True)
class _Shape:
    """A schema with nullability pulled out, so ``[string, 'null']`` and ``oneOf``-with-null
    compare as the same thing."""

    ref: str | None
    types: frozenset[str] | None  # None: any type
    nullable: bool
    body: Mapping[str, Any]  # every other keyword


def _shape(schema: Mapping[str, Any]) -> _Shape:
    body = dict(schema)
    nullable = False
    for combiner in ("oneOf", "anyOf"):
        branches = body.get(combiner)
        if not isinstance(branches, list):
            continue
        rest = [b for b in branches if b != {"type": "null"}]
        if len(rest) < len(branches):
            nullable = True
            if len(rest) == 1 and isinstance(rest[0], Mapping):
                # `oneOf: [X, null]` is "X or null": merge X into the outer schema.
                del body[combiner]
                body = {**rest[0], **body}
            else:
                body[combiner] = rest
    raw = body.pop("type", None)
    types: frozenset[str] | None
    if raw is None:
        types = None
    else:
        types = frozenset([raw] if isinstance(raw, str) else raw)
        if "null" in types:
            nullable = True
            types = types - {"null"}
    if body.pop("nullable", False) is True:  # OpenAPI 3.0 spelling
        nullable = True
    ref = body.pop("$ref", None)
    return _Shape(ref=ref, types=types, nullable=nullable, body=body)


def _covers(types: frozenset[str] | None, wanted: str) -> bool:
    if types is None:
        return True
    return wanted in types or (wanted == "integer" and "number" in types)


def _type_text(shape: _Shape) -> str:
    if shape.ref is not None:
        text = f"schema {_ref_name(shape.ref)}"
    elif shape.types is None:
        text = "any"
    else:
        text = " | ".join(sorted(shape.types))
    return f"{text} | null" if shape.nullable else text


class SpecDiff:
    """Compare two parsed OpenAPI documents; :attr:`changes` lists what differs."""

    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        self._usage = _merge_usage(_usage(old), _usage(new))
        self._run()

    # -- reporting ---------------------------------------------------------------------

    def _add(self, level: Level, where: str, what: str, kind: str = "changed") -> None:
        self.changes.append(Change(where, what, level, kind))

    @property
    def level(self) -> Level | None:
        """The highest level of any change, or None when the documents agree."""
        return max((c.level for c in self.changes), default=None)

    def _annotations(self, old: Mapping[str, Any], new: Mapping[str, Any], where: str) -> None:
        for key in sorted(set(old) | set(new)):
            if _is_annotation(key) and old.get(key) != new.get(key):
                verb = "added" if key not in old else "removed" if key not in new else "changed"
                self._add(Level.DOC, where, f"{key} {verb}")

    def _leftovers(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, handled: set[str]
    ) -> None:
        for key in sorted(set(old) | set(new)):
            if key in handled or _is_annotation(key) or old.get(key) == new.get(key):
                continue
            self._add(
                Level.BREAKING,
                where,
                f"'{key}' changed from {_fmt(old.get(key))} to {_fmt(new.get(key))} "
                "(not classified by scripts/diff.py; review it by hand)",
            )

    # -- the document ------------------------------------------------------------------

    def _run(self) -> None:
        old, new = self.old, self.new
        if old.get("openapi") != new.get("openapi"):
            self._add(
                Level.COMPATIBLE,
                "document",
                f"OpenAPI version {old.get('openapi')} -> {new.get('openapi')}",
            )
        old_info = {k: v for k, v in old.get("info", {}).items() if k != "version"}
        new_info = {k: v for k, v in new.get("info", {}).items() if k != "version"}
        for key in sorted(set(old_info) | set(new_info)):
            if old_info.get(key) != new_info.get(key):
                self._add(Level.DOC, "info", f"{key} changed")
        if old.get("servers") != new.get("servers"):
            self._add(Level.DOC, "document", "servers changed")
        if old.get("tags") != new.get("tags"):
            self._add(Level.DOC, "document", "tags changed")
        self._paths()
        self._components()
        handled = {"openapi", "info", "servers", "tags", "paths", "components", "security"}
        self._leftovers(old, new, "document", handled)
        if not self.changes and _strip_version(old) != _strip_version(new):
            self._add(Level.DOC, "document", "changed in a way that does not affect clients")

    # -- paths and operations --------------------------------------------------------------

    def _operations(self, doc: Mapping[str, Any]) -> dict[tuple[str, str], tuple[str, Any, Any]]:
        found: dict[tuple[str, str], tuple[str, Any, Any]] = {}
        for path, raw in (doc.get("paths") or {}).items():
            item = _resolve(doc, raw)
            # `/a/{id}` and `/a/{orgId}` are one endpoint; the renamed parameter shows up
            # as a parameter change.
            template = re.sub(r"\{[^}]*\}", "{}", path)
            for method in HTTP_METHODS:
                if method in item:
                    found[(template, method)] = (path, item, item[method])
        return found

    def _paths(self) -> None:
        old_ops, new_ops = self._operations(self.old), self._operations(self.new)
        for key in sorted(old_ops.keys() - new_ops.keys()):
            path, _, op = old_ops[key]
            self._add(
                Level.BREAKING,
                f"{key[1].upper()} {path}",
                f"endpoint removed ({op.get('operationId', 'no operationId')})",
                "removed",
            )
        for key in sorted(new_ops.keys() - old_ops.keys()):
            path, _, op = new_ops[key]
            self._add(
                Level.COMPATIBLE,
                f"{key[1].upper()} {path}",
                f"endpoint added ({op.get('operationId', 'no operationId')})",
                "added",
            )
        for key in sorted(old_ops.keys() & new_ops.keys()):
            _, old_item, old_op = old_ops[key]
            path, new_item, new_op = new_ops[key]
            self._operation(f"{key[1].upper()} {path}", old_item, old_op, new_item, new_op)
        old_paths = {p: _resolve(self.old, i) for p, i in (self.old.get("paths") or {}).items()}
        new_paths = {p: _resolve(self.new, i) for p, i in (self.new.get("paths") or {}).items()}
        for path in sorted(old_paths.keys() & new_paths.keys()):
            handled = {"parameters", *HTTP_METHODS}
            self._annotations(old_paths[path], new_paths[path], path)
            self._leftovers(old_paths[path], new_paths[path], path, handled)

    def _operation(
        self,
        where: str,
        old_item: Mapping[str, Any],
        old: Mapping[str, Any],
        new_item: Mapping[str, Any],
        new: Mapping[str, Any],
    ) -> None:
        self._annotations(old, new, where)
        if old.get("operationId") != new.get("operationId"):
            self._add(
                Level.BREAKING,
                where,
                f"operationId {old.get('operationId')} -> {new.get('operationId')} "
                "(the generated function's module is renamed)",
            )
        old_tags, new_tags = old.get("tags") or [], new.get("tags") or []
        if old_tags[:1] != new_tags[:1]:
            self._add(
                Level.BREAKING,
                where,
                f"first tag {_fmt(old_tags[:1])} -> {_fmt(new_tags[:1])} "
                "(the generated function moves to another api/ package)",
            )
        elif old_tags != new_tags:
            self._add(Level.DOC, where, f"tags {old_tags} -> {new_tags}")
        if bool(old.get("deprecated")) != bool(new.get("deprecated")):
            state = "deprecated" if new.get("deprecated") else "no longer deprecated"
            self._add(Level.COMPATIBLE, where, state)
        self._security(where, old, new)
        self._parameters(where, old_item, old, new_item, new)
        self._request_body(where, old.get("requestBody"), new.get("requestBody"))
        self._responses(where, old.get("responses") or {}, new.get("responses") or {})
        handled = {
            "operationId",
            "tags",
            "deprecated",
            "security",
            "parameters",
            "requestBody",
            "responses",
        }
        self._leftovers(old, new, where, handled)

    def _security(self, where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        def effective(doc: Mapping[str, Any], op: Mapping[str, Any]) -> set[frozenset[str]]:
            chosen = op["security"] if "security" in op else doc.get("security") or []
            return {frozenset(req) for req in chosen}

        before, after = effective(self.old, old), effective(self.new, new)
        if before == after:
            return
        # Each entry is one way to authenticate; the client must still have one it knows.
        narrowed = not before <= after
        level = _by_side(Side.REQUEST, widened=not narrowed, narrowed=narrowed)
        self._add(level, where, f"security {_security_text(before)} -> {_security_text(after)}")

    def _parameters(
        self,
        where: str,
        old_item: Mapping[str, Any],
        old_op: Mapping[str, Any],
        new_item: Mapping[str, Any],
        new_op: Mapping[str, Any],
    ) -> None:
        old_params = _effective_parameters(self.old, old_item, old_op)
        new_params = _effective_parameters(self.new, new_item, new_op)
        for key in sorted(old_params.keys() - new_params.keys()):
            self._add(Level.BREAKING, where, f"{key[0]} parameter '{key[1]}' removed", "removed")
        for key in sorted(new_params.keys() - old_params.keys()):
            required = bool(new_params[key].get("required"))
            self._add(
                Level.BREAKING if required else Level.COMPATIBLE,
                where,
                f"{'required' if required else 'optional'} {key[0]} parameter '{key[1]}' added",
                "added",
            )
        for key in sorted(old_params.keys() & new_params.keys()):
            old, new = old_params[key], new_params[key]
            label = f"{where} {key[0]} parameter '{key[1]}'"
            self._annotations(old, new, label)
            if bool(old.get("required")) != bool(new.get("required")):
                if new.get("required"):
                    self._add(Level.BREAKING, label, "became required")
                else:
                    self._add(Level.COMPATIBLE, label, "became optional")
            if bool(old.get("deprecated")) != bool(new.get("deprecated")):
                state = "deprecated" if new.get("deprecated") else "no longer deprecated"
                self._add(Level.COMPATIBLE, label, state)
            for key_word in ("style", "explode", "allowReserved", "allowEmptyValue"):
                if old.get(key_word) != new.get(key_word):
                    self._add(
                        Level.BREAKING,
                        label,
                        f"{key_word} {_fmt(old.get(key_word))} -> {_fmt(new.get(key_word))} "
                        "(the value is serialised differently)",
                    )
            self._schema(old.get("schema") or {}, new.get("schema") or {}, label, Side.REQUEST)
            self._content(old.get("content"), new.get("content"), label, Side.REQUEST)
            handled = {
                "name",
                "in",
                "required",
                "deprecated",
                "style",
                "explode",
                "allowReserved",
                "allowEmptyValue",
                "schema",
                "content",
            }
            self._leftovers(old, new, label, handled)

    def _request_body(self, where: str, old: Any, new: Any) -> None:
        old = _resolve(self.old, old) if old is not None else None
        new = _resolve(self.new, new) if new is not None else None
        if old is None and new is None:
            return
        if new is None:
            self._add(Level.BREAKING, where, "request body removed", "removed")
            return
        if old is None:
            required = bool(new.get("required"))
            self._add(
                Level.BREAKING if required else Level.COMPATIBLE,
                where,
                f"{'required' if required else 'optional'} request body added",
                "added",
            )
            return
        label = f"{where} request body"
        self._annotations(old, new, label)
        if bool(old.get("required")) != bool(new.get("required")):
            if new.get("required"):
                self._add(Level.BREAKING, label, "became required")
            else:
                self._add(Level.COMPATIBLE, label, "became optional")
        self._content(old.get("content"), new.get("content"), label, Side.REQUEST)
        self._leftovers(old, new, label, {"required", "content"})

    def _responses(self, where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        for status in sorted(old.keys() - new.keys(), key=str):
            # A status the server no longer sends cannot surprise a client.
            self._add(Level.COMPATIBLE, where, f"response {status} removed", "removed")
        for status in sorted(new.keys() - old.keys(), key=str):
            if str(status).startswith("2"):
                self._add(
                    Level.BREAKING,
                    where,
                    f"success response {status} added (clients built before it do not parse it)",
                    "added",
                )
            else:
                self._add(Level.COMPATIBLE, where, f"response {status} added", "added")
        for status in sorted(old.keys() & new.keys(), key=str):
            old_resp = _resolve(self.old, old[status])
            new_resp = _resolve(self.new, new[status])
            label = f"{where} response {status}"
            self._annotations(old_resp, new_resp, label)
            self._content(old_resp.get("content"), new_resp.get("content"), label, Side.RESPONSE)
            self._headers(label, old_resp.get("headers") or {}, new_resp.get("headers") or {})
            self._leftovers(old_resp, new_resp, label, {"content", "headers", "links"})

    def _headers(self, where: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        for name in sorted(old.keys() - new.keys()):
            self._add(Level.BREAKING, where, f"header {name} removed", "removed")
        for name in sorted(new.keys() - old.keys()):
            self._add(Level.COMPATIBLE, where, f"header {name} added", "added")
        for name in sorted(old.keys() & new.keys()):
            old_h, new_h = _resolve(self.old, old[name]), _resolve(self.new, new[name])
            label = f"{where} header {name}"
            self._annotations(old_h, new_h, label)
            self._schema(old_h.get("schema") or {}, new_h.get("schema") or {}, label, Side.RESPONSE)
            self._leftovers(old_h, new_h, label, {"schema", "content"})

    def _content(self, old: Any, new: Any, where: str, side: Side) -> None:
        old, new = old or {}, new or {}
        for media in sorted(old.keys() - new.keys()):
            # Requests: the client sends this type. Responses: the client asks for it.
            self._add(Level.BREAKING, where, f"media type {media} removed", "removed")
        for media in sorted(new.keys() - old.keys()):
            self._add(Level.COMPATIBLE, where, f"media type {media} added", "added")
        for media in sorted(old.keys() & new.keys()):
            label = where if len(old) == 1 else f"{where} ({media})"
            old_m, new_m = old[media] or {}, new[media] or {}
            self._annotations(old_m, new_m, label)
            self._schema(old_m.get("schema") or {}, new_m.get("schema") or {}, label, side)
            self._leftovers(old_m, new_m, label, {"schema", "encoding"})

    # -- components ------------------------------------------------------------------------

    def _components(self) -> None:
        old = self.old.get("components") or {}
        new = self.new.get("components") or {}
        old_schemas, new_schemas = old.get("schemas") or {}, new.get("schemas") or {}
        for name in sorted(old_schemas.keys() - new_schemas.keys()):
            self._add(
                Level.BREAKING,
                f"schema {name}",
                "removed (its generated model class goes)",
                "removed",
            )
        for name in sorted(new_schemas.keys() - old_schemas.keys()):
            self._add(Level.COMPATIBLE, f"schema {name}", "added", "added")
        for name in sorted(old_schemas.keys() & new_schemas.keys()):
            # A model nothing refers to is still a public class: hold it to both rules.
            side = self._usage.get(name, Side.BOTH)
            self._schema(old_schemas[name], new_schemas[name], name, side)
        old_auth = old.get("securitySchemes") or {}
        new_auth = new.get("securitySchemes") or {}
        for name in sorted(old_auth.keys() | new_auth.keys()):
            before, after = old_auth.get(name), new_auth.get(name)
            if before is None:
                self._add(Level.COMPATIBLE, f"security scheme {name}", "added", "added")
            elif after is None:
                self._add(Level.BREAKING, f"security scheme {name}", "removed", "removed")
            else:
                where = f"security scheme {name}"
                self._annotations(before, after, where)
                self._leftovers(before, after, where, set())
        # Parameters, responses, request bodies and headers are compared where operations use
        # them; one that nothing uses generates nothing.
        for bucket in sorted((old.keys() | new.keys()) - {"schemas", "securitySchemes"}):
            before, after = old.get(bucket) or {}, new.get(bucket) or {}
            for name in sorted(before.keys() - after.keys()):
                self._add(Level.COMPATIBLE, f"components/{bucket}", f"{name} removed", "removed")
            for name in sorted(after.keys() - before.keys()):
                self._add(Level.COMPATIBLE, f"components/{bucket}", f"{name} added", "added")

    # -- schemas ---------------------------------------------------------------------------

    def _schema(self, old: Any, new: Any, where: str, side: Side) -> None:
        """Compare two schemas found at the same place; ``side`` says which way data flows."""
        if not isinstance(old, Mapping) or not isinstance(new, Mapping):
            if old != new:  # `true`/`false` schemas
                self._add(Level.BREAKING, where, f"schema {_fmt(old)} -> {_fmt(new)}")
            return
        self._annotations(old, new, where)
        a, b = _shape(old), _shape(new)
        if a.nullable != b.nullable:
            level = _by_side(side, widened=b.nullable, narrowed=a.nullable)
            self._add(level, where, "may now be null" if b.nullable else "may no longer be null")
        if a.ref != b.ref:
            if a.ref is None or b.ref is None or a.types != b.types:
                # One side is an inline schema: the generated type changes either way.
                self._add(
                    Level.BREAKING,
                    where,
                    f"type {_type_text(a)} -> {_type_text(b)}",
                )
            else:
                self._add(
                    Level.BREAKING,
                    where,
                    f"refers to schema {_ref_name(b.ref)} instead of {_ref_name(a.ref)}",
                )
            return
        if a.ref is not None:
            # Same component on both sides: it is compared once, under its own name.
            self._leftovers(a.body, b.body, where, set())
            return
        self._types(a, b, where, side)
        self._format(a.body, b.body, where, side)
        self._enum(a.body, b.body, where, side)
        self._bounds(a.body, b.body, where, side)
        self._default(a.body, b.body, where, side)
        self._properties(a.body, b.body, where, side)
        self._additional(a.body, b.body, where, side)
        if "items" in a.body or "items" in b.body:
            self._schema(a.body.get("items", {}), b.body.get("items", {}), f"{where}[]", side)
        self._combiners(a.body, b.body, where, side)
        handled = {
            "format",
            "enum",
            "const",
            "default",
            "properties",
            "required",
            "additionalProperties",
            "items",
            "oneOf",
            "anyOf",
            "allOf",
            "pattern",
            "multipleOf",
            "uniqueItems",
            "readOnly",
            "writeOnly",
            "deprecated",
            *LOWER_BOUNDS,
            *UPPER_BOUNDS,
        }
        self._leftovers(a.body, b.body, where, handled)

    def _types(self, a: _Shape, b: _Shape, where: str, side: Side) -> None:
        if a.types == b.types:
            return
        old_types = a.types or frozenset({"any"})
        new_types = b.types or frozenset({"any"})
        widened = any(not _covers(a.types, t) for t in new_types if t != "any") or (b.types is None)
        narrowed = any(not _covers(b.types, t) for t in old_types if t != "any") or (
            a.types is None
        )
        if widened and narrowed:
            level = Level.BREAKING  # a different type: nothing carries over
        else:
            level = _by_side(side, widened=widened, narrowed=narrowed)
        self._add(
            level,
            where,
            f"type {' | '.join(sorted(old_types))} -> {' | '.join(sorted(new_types))}",
        )

    def _format(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, side: Side
    ) -> None:
        before, after = old.get("format"), new.get("format")
        if before == after:
            return
        if before in TYPED_FORMATS or after in TYPED_FORMATS:
            level = Level.BREAKING
            why = " (the generated Python type changes)"
        else:
            # Formats such as int32 only annotate: treat an added one as a narrowing.
            level = _by_side(side, widened=after is None, narrowed=before is None)
            why = ""
        self._add(level, where, f"format {_fmt(before)} -> {_fmt(after)}{why}")

    def _enum(self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, side: Side) -> None:
        def values(schema: Mapping[str, Any]) -> set[Any] | None:
            if "const" in schema:
                return {_hashable(schema["const"])}
            if "enum" in schema:
                return {_hashable(v) for v in schema["enum"]}
            return None

        before, after = values(old), values(new)
        if before == after:
            return
        if before is None or after is None:
            what = "enum added" if before is None else "enum removed"
            narrowed = before is None
            self._add(_by_side(side, widened=not narrowed, narrowed=narrowed), where, what)
            return
        if after - before:
            self._add(
                _by_side(side, widened=True, narrowed=False),
                where,
                f"enum value(s) {_fmt(after - before)} added",
            )
        if before - after:
            self._add(
                _by_side(side, widened=False, narrowed=True),
                where,
                f"enum value(s) {_fmt(before - after)} removed",
            )

    def _bounds(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, side: Side
    ) -> None:
        for key in (*LOWER_BOUNDS, *UPPER_BOUNDS):
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            lower = key in LOWER_BOUNDS
            if before is None or after is None:
                narrowed = before is None
            elif isinstance(before, bool) or isinstance(after, bool):
                narrowed = bool(after)  # OpenAPI 3.0's boolean exclusiveMinimum/Maximum
            else:
                narrowed = after > before if lower else after < before
            level = _by_side(side, widened=not narrowed, narrowed=narrowed)
            self._add(level, where, f"{key} {_fmt(before)} -> {_fmt(after)}")
        for key in ("pattern", "multipleOf"):
            before, after = old.get(key), new.get(key)
            if before != after:
                # Adding one narrows, dropping one widens, and two different patterns cannot
                # be compared, so a replaced one counts as both.
                widened = before is not None
                narrowed = after is not None
                level = _by_side(side, widened=widened, narrowed=narrowed)
                self._add(level, where, f"{key} {_fmt(before)} -> {_fmt(after)}")
        if bool(old.get("uniqueItems")) != bool(new.get("uniqueItems")):
            narrowed = bool(new.get("uniqueItems"))
            level = _by_side(side, widened=not narrowed, narrowed=narrowed)
            self._add(level, where, f"uniqueItems -> {narrowed}")
        for key in ("readOnly", "writeOnly", "deprecated"):
            if bool(old.get(key)) != bool(new.get(key)):
                self._add(Level.COMPATIBLE, where, f"{key} -> {bool(new.get(key))}")

    def _default(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, side: Side
    ) -> None:
        if old.get("default") == new.get("default"):
            return
        # A request default is what the server does when the client says nothing: changing it
        # changes what existing calls do (and the generated signatures' defaults).
        level = Level.BREAKING if Side.REQUEST in side else Level.COMPATIBLE
        self._add(level, where, f"default {_fmt(old.get('default'))} -> {_fmt(new.get('default'))}")

    def _properties(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, side: Side
    ) -> None:
        before, after = old.get("properties") or {}, new.get("properties") or {}
        old_required, new_required = set(old.get("required") or []), set(new.get("required") or [])
        for name in sorted(before.keys() - after.keys()):
            self._add(
                Level.BREAKING,
                f"{where}.{name}",
                "field removed (the generated model loses the attribute)",
                "removed",
            )
        for name in sorted(after.keys() - before.keys()):
            required = name in new_required
            level = _by_side(side, widened=False, narrowed=required)
            self._add(
                level,
                f"{where}.{name}",
                f"{'required' if required else 'optional'} field added",
                "added",
            )
        for name in sorted(before.keys() & after.keys()):
            was, now = name in old_required, name in new_required
            if was != now:
                # Required means every valid object has it: fewer valid objects.
                level = _by_side(side, widened=was, narrowed=now)
                self._add(level, f"{where}.{name}", "became required" if now else "became optional")
            self._schema(before[name], after[name], f"{where}.{name}", side)
        for name in sorted((old_required ^ new_required) - before.keys() - after.keys()):
            now = name in new_required
            level = _by_side(side, widened=not now, narrowed=now)
            self._add(level, where, f"'{name}' {'now' if now else 'no longer'} required")

    def _additional(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, side: Side
    ) -> None:
        before, after = old.get("additionalProperties", True), new.get("additionalProperties", True)
        if before == after:
            return
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            self._schema(before, after, f"{where}{{}}", side)
            return
        # True (or absent) accepts anything, a schema some things, False nothing.
        rank = {True: 2, False: 0}
        old_rank = rank.get(before, 1) if isinstance(before, bool) else 1
        new_rank = rank.get(after, 1) if isinstance(after, bool) else 1
        narrowed = new_rank < old_rank
        level = _by_side(side, widened=not narrowed, narrowed=narrowed)
        self._add(level, where, f"additionalProperties {_fmt(before)} -> {_fmt(after)}")

    def _combiners(
        self, old: Mapping[str, Any], new: Mapping[str, Any], where: str, side: Side
    ) -> None:
        for combiner in ("oneOf", "anyOf", "allOf"):
            before = {_signature(s): s for s in old.get(combiner) or []}
            after = {_signature(s): s for s in new.get(combiner) or []}
            # More alternatives accept more; more allOf parts accept less.
            grows_narrow = combiner == "allOf"
            for sig in sorted(after.keys() - before.keys()):
                level = _by_side(side, widened=not grows_narrow, narrowed=grows_narrow)
                self._add(level, where, f"{combiner} alternative {sig} added", "added")
            for sig in sorted(before.keys() - after.keys()):
                level = _by_side(side, widened=grows_narrow, narrowed=not grows_narrow)
                self._add(level, where, f"{combiner} alternative {sig} removed", "removed")
            for sig in sorted(before.keys() & after.keys()):
                self._schema(before[sig], after[sig], f"{where} ({combiner} {sig})", side)


# -- helpers ----------------------------------------------------------------------------------


def _hashable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def _signature(schema: Any) -> str:
    if not isinstance(schema, Mapping):
        return repr(schema)
    shape = _shape(schema)
    return _type_text(shape)


def _security_text(requirements: set[frozenset[str]]) -> str:
    if not requirements:
        return "none"
    return " or ".join(sorted("+".join(sorted(r)) or "anonymous" for r in requirements))


def _strip_version(doc: Mapping[str, Any]) -> Mapping[str, Any]:
    info = {k: v for k, v in (doc.get("info") or {}).items() if k != "version"}
    return {**doc, "info": info}


def _resolve(doc: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``$ref`` pointers (``#/components/...``) until a real object."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise ValueError(f"cannot follow $ref {ref!r}")
        seen.add(ref)
        target: Any = doc
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _effective_parameters(
    doc: Mapping[str, Any], item: Mapping[str, Any], op: Mapping[str, Any]
) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Path-level parameters, overridden by the operation's own (OpenAPI's rule)."""
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        param = _resolve(doc, raw)
        found[(param["in"], param["name"])] = param
    return found


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield _ref_name(ref)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _usage(doc: Mapping[str, Any]) -> dict[str, Side]:
    """Which side(s) each component schema is used on, following references transitively."""
    schemas = (doc.get("components") or {}).get("schemas") or {}
    roots: list[tuple[Any, Side]] = []
    for raw in (doc.get("paths") or {}).values():
        item = _resolve(doc, raw)
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = item[method]
            for param in _effective_parameters(doc, item, op).values():
                roots.append((param, Side.REQUEST))
            if op.get("requestBody") is not None:
                roots.append((_resolve(doc, op["requestBody"]), Side.REQUEST))
            for response in (op.get("responses") or {}).values():
                roots.append((_resolve(doc, response), Side.RESPONSE))
    usage: dict[str, Side] = {}
    for root, side in roots:
        pending = list(_refs(root))
        while pending:
            name = pending.pop()
            if side in usage.get(name, Side(0)):
                continue
            usage[name] = usage.get(name, Side(0)) | side
            pending.extend(_refs(schemas.get(name)))
    return usage


def _merge_usage(a: Mapping[str, Side], b: Mapping[str, Side]) -> dict[str, Side]:
    return {name: a.get(name, Side(0)) | b.get(name, Side(0)) for name in a.keys() | b.keys()}


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``, most severe first."""
    changes = SpecDiff(old, new).changes
    return sorted(changes, key=lambda c: (-c.level, c.where, c.what))
