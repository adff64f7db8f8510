"""The ``filter``, ``sort`` and ``query`` list parameters: parsing and evaluation.

The parser is written by hand because no maintained Python implementation of SpringFilter
(the Java library the platform uses) exists on PyPI; the subset below is small enough that a
recursive-descent parser stays short.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


class FilterSyntaxError(ValueError):
    """A ``filter`` expression that is not in the supported grammar."""


class SortSyntaxError(ValueError):
    """A ``sort`` parameter that names no field or has an unknown direction."""


@dataclass(frozen=True)
class Comparison:
    """``path <op> value``; ``op`` is one of ``: ! ~ > >: < <: in is-null is-not-null``."""

    path: tuple[str, ...]
    op: str
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Not:
    """``not <operand>``."""

    operand: Node


@dataclass(frozen=True)
class Junction:
    """``<left> and <right>`` or ``<left> or <right>``."""

    op: str
    left: Node
    right: Node


Node = Comparison | Not | Junction

# The sandbox's own limits, which the platform may not share: past them a filter is a 400
# rather than a crash. The parser and the evaluator recurse once per level of nesting and per
# "and"/"or", and a 16 KiB request line holds more levels than Python's stack does; int()
# refuses numbers of more than 4300 digits. No useful filter comes near any of them.
MAX_FILTER_LENGTH = 4096
MAX_NESTING = 32
MAX_COMPARISONS = 256
MAX_NUMBER_DIGITS = 100
# Like patterns (``~`` and ``query``) cost O(len(value) * len(pattern)) each to match.
MAX_PATTERN_LENGTH = 256

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<number>-?\d+(?:\.\d+)?)(?![\w.])
    | (?P<op>>:|<:|!=|[:!~<>(),])
    | (?P<word>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)
    )""",
    re.VERBOSE | re.ASCII,
)
_COMPARATORS = {":", "!", "!=", "~", ">", ">:", "<", "<:"}
_REST_IS_BLANK = re.compile(r"\s*\Z")


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while not _REST_IS_BLANK.match(text, position):
        match = _TOKEN.match(text, position)
        if match is None:
            raise FilterSyntaxError(f"unexpected {text[position:].strip()[:20]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.depth = 0
        self.comparisons = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        if token is not None and token[0] == "word" and token[1].lower() in words:
            self.index += 1
            return True
        return False

    def take(self, kind: str, text: str | None = None) -> str:
        token = self.peek()
        if token is None or token[0] != kind or (text is not None and token[1] != text):
            found = "the end" if token is None else repr(token[1])
            raise FilterSyntaxError(f"expected {text or kind}, found {found}")
        self.index += 1
        return token[1]

    def expression(self) -> Node:
        node = self.conjunction()
        while self.keyword("or"):
            node = Junction("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.unary()
        while self.keyword("and"):
            node = Junction("and", node, self.unary())
        return node

    def unary(self) -> Node:
        if self.keyword("not"):
            with self.nested():
                return Not(self.unary())
        if self.peek() == ("op", "("):
            self.index += 1
            with self.nested():
                node = self.expression()
            self.take("op", ")")
            return node
        return self.comparison()

    @contextlib.contextmanager
    def nested(self) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise FilterSyntaxError(
                f"nesting (parentheses and 'not') deeper than {MAX_NESTING} is not supported"
            )
        yield
        self.depth -= 1

    def comparison(self) -> Node:
        self.comparisons += 1
        if self.comparisons > MAX_COMPARISONS:
            raise FilterSyntaxError(f"more than {MAX_COMPARISONS} comparisons are not supported")
        path = tuple(self.take("word").split("."))
        if self.keyword("is"):
            negated = self.keyword("not")
            if not self.keyword("null"):
                raise FilterSyntaxError("expected null after 'is'")
            return Comparison(path, "is-not-null" if negated else "is-null")
        if self.keyword("in"):
            self.take("op", "(")
            values = [self.literal()]
            while self.peek() == ("op", ","):
                self.index += 1
                values.append(self.literal())
            self.take("op", ")")
            return Comparison(path, "in", tuple(values))
        op = self.take("op")
        if op not in _COMPARATORS:
            raise FilterSyntaxError(f"expected a comparator after {'.'.join(path)}, found {op!r}")
        value = self.literal()
        if op == "~" and len(str(value)) > MAX_PATTERN_LENGTH:
            raise FilterSyntaxError(
                f"like patterns longer than {MAX_PATTERN_LENGTH} characters are not supported"
            )
        return Comparison(path, "!" if op == "!=" else op, (value,))

    def literal(self) -> Any:
        token = self.peek()
        if token is None:
            raise FilterSyntaxError("expected a value, found the end")
        kind, text = token
        self.index += 1
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "number":
            if sum(char.isdigit() for char in text) > MAX_NUMBER_DIGITS:
                raise FilterSyntaxError(
                    f"numbers of more than {MAX_NUMBER_DIGITS} digits are not supported"
                )
            return float(text) if "." in text else int(text)
        if kind == "word" and text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise FilterSyntaxError(f"expected a value, found {text!r}")


def parse_filter(text: str) -> Node:
    """Parse one SpringFilter expression from the subset the sandbox understands.

    Grammar (keywords ignore case; ``and`` binds tighter than ``or``)::

        expression := conjunction ("or" conjunction)*
        conjunction := unary ("and" unary)*
        unary      := "not" unary | "(" expression ")" | comparison
        comparison := path (":" | "!" | "!=" | "~" | ">" | ">:" | "<" | "<:") literal
                    | path "is" ["not"] "null"
                    | path "in" "(" literal ("," literal)* ")"
        path       := name ("." name)*          e.g. organization.id
        literal    := 'text' | "text" | number | true | false

    ``:`` is equality and ``!`` (or ``!=``) inequality. ``~`` is SpringFilter's
    case-insensitive like: ``*`` or ``%`` match any run of characters, ``_`` one character.
    As in SQL, a missing or null field matches no comparison (``!`` included) except
    ``is null``. A quoted literal compared with a number or boolean field is converted.

    Longer than MAX_FILTER_LENGTH, nested deeper than MAX_NESTING, more than MAX_COMPARISONS
    comparisons, a number of more than MAX_NUMBER_DIGITS digits or a like pattern longer than
    MAX_PATTERN_LENGTH is a FilterSyntaxError too.
    """
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterSyntaxError(
            f"filters longer than {MAX_FILTER_LENGTH} characters are not supported"
        )
    parser = _Parser(text)
    if parser.peek() is None:
        raise FilterSyntaxError("the filter is empty")
    node = parser.expression()
    leftover = parser.peek()
    if leftover is not None:
        raise FilterSyntaxError(f"unexpected {leftover[1]!r}")
    return node


def paths(node: Node) -> Iterator[tuple[str, ...]]:
    """Yield every field path the expression refers to."""
    if isinstance(node, Comparison):
        yield node.path
    elif isinstance(node, Not):
        yield from paths(node.operand)
    else:
        yield from paths(node.left)
        yield from paths(node.right)


def lookup(document: object, path: Sequence[str]) -> Any:
    """Return the value at ``path`` inside nested objects, or None where it is missing."""
    for part in path:
        if not isinstance(document, dict):
            return None
        document = document.get(part)
    return document


_WILDCARDS = re.compile(r"[*%]+")


@functools.lru_cache(maxsize=256)
def _like_pieces(pattern: str) -> tuple[tuple[re.Pattern[str], int], ...]:
    # The text between runs of wildcards, each piece with its length: a piece holds literal
    # characters and ``_``, each matching exactly one character, so it has a fixed length and
    # its regex has no quantifier to backtrack over.
    return tuple(
        (
            re.compile(
                "".join("." if char == "_" else re.escape(char) for char in piece),
                re.IGNORECASE | re.DOTALL,
            ),
            len(piece),
        )
        for piece in _WILDCARDS.split(pattern)
    )


def _like(value: str, pattern: str) -> bool:
    """Match a whole ``value`` against a like ``pattern`` in O(len(value) * len(pattern)).

    A single regex with ``.*`` per wildcard backtracks exponentially on patterns such as
    ``*a*a*a*a*b``. Here the first piece is anchored at the start and the last at the end,
    and each piece between them is taken at its leftmost place after the one before: a
    fixed-length piece placed earlier never leaves less room for the rest, so no other
    placement needs trying.
    """
    pieces = _like_pieces(pattern)
    if len(pieces) == 1:
        return pieces[0][0].fullmatch(value) is not None
    (first, _), *middle, (last, last_length) = pieces
    head = first.match(value)
    tail = len(value) - last_length
    if head is None or tail < head.end():
        return False
    position = head.end()
    for piece, _ in middle:
        found = piece.search(value, position, tail)
        if found is None:
            return False
        position = found.end()
    return last.fullmatch(value, tail) is not None


def _coerce(value: Any, literal: Any) -> Any:
    if not isinstance(literal, str) or isinstance(value, str):
        return literal
    if isinstance(value, bool):
        return {"true": True, "false": False}.get(literal.lower(), literal)
    if isinstance(value, int | float):
        try:
            return float(literal)
        except ValueError:
            return literal
    return literal


def _comparable(value: Any, literal: Any) -> bool:
    numbers = (int, float)
    if isinstance(value, bool) or isinstance(literal, bool):
        return isinstance(value, bool) and isinstance(literal, bool)
    return (isinstance(value, numbers) and isinstance(literal, numbers)) or (
        isinstance(value, str) and isinstance(literal, str)
    )


_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b,
    ">:": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<:": lambda a, b: a <= b,
}


def _compare(op: str, value: Any, literals: tuple[Any, ...]) -> bool:
    if op in ("is-null", "is-not-null"):
        return (value is None) == (op == "is-null")
    if value is None:
        return False
    if op == "~":
        return isinstance(value, str) and _like(value, str(literals[0]))
    coerced = [_coerce(value, literal) for literal in literals]
    if op in (":", "in"):
        return any(_comparable(value, c) and value == c for c in coerced)
    if op == "!":
        return not (_comparable(value, coerced[0]) and value == coerced[0])
    return _comparable(value, coerced[0]) and _ORDERINGS[op](value, coerced[0])


def matches(node: Node, document: JSON) -> bool:
    """Evaluate a parsed filter against one document."""
    if isinstance(node, Comparison):
        return _compare(node.op, lookup(document, node.path), node.values)
    if isinstance(node, Not):
        return not matches(node.operand, document)
    if node.op == "and":
        return matches(node.left, document) and matches(node.right, document)
    return matches(node.left, document) or matches(node.right, document)


@dataclass(frozen=True)
class SortKey:
    """One field of a sort order."""

    path: tuple[str, ...]
    descending: bool = False


def parse_sort(values: Sequence[str]) -> list[SortKey]:
    """Parse ``sort`` parameters: ``field``, ``field,asc|desc`` or ``field:asc|desc``.

    Each parameter may hold several of these joined with ``;`` (the ``kdx`` CLI's form); the
    parameter may also be repeated (Spring's form). The direction ignores case.
    """
    keys: list[SortKey] = []
    for value in values:
        for entry in filter(None, (part.strip() for part in value.split(";"))):
            field, _, direction = entry.partition("," if "," in entry else ":")
            field, direction = field.strip(), direction.strip().lower()
            if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", field, re.ASCII):
                raise SortSyntaxError(f"cannot sort by {field!r}")
            if direction not in ("", "asc", "desc"):
                raise SortSyntaxError(f"unknown sort direction {direction!r}")
            keys.append(SortKey(tuple(field.split(".")), direction == "desc"))
    return keys


def _rank(value: Any) -> tuple[Any, ...]:
    # Nulls sort last ascending and first descending, as PostgreSQL orders them; values of
    # different JSON types never meet in one comparison.
    if value is None:
        return (1,)
    if isinstance(value, int | float):
        return (0, 0, value)
    if isinstance(value, str):
        return (0, 1, value)
    return (0, 2, json.dumps(value, sort_keys=True))


def sort_documents(documents: list[JSON], keys: Sequence[SortKey]) -> list[JSON]:
    """Sort by ``keys``, the first most significant; ties keep their stored order."""
    ordered = list(documents)
    for key in reversed(keys):
        ordered.sort(key=_ranker(key.path), reverse=key.descending)
    return ordered


def _ranker(path: tuple[str, ...]) -> Callable[[JSON], tuple[Any, ...]]:
    return lambda document: _rank(lookup(document, path))


def matches_query(document: JSON, query: str | None, fields: Sequence[tuple[str, ...]]) -> bool:
    """Full-text ``query``: ``*`` or nothing matches all, else a case-insensitive substring.

    A query holding ``*`` is matched as a like pattern instead, so ``acme*`` finds prefixes.
    Either way ``%`` and ``_`` are wildcards too, as in ``~``. The caller limits the query to
    MAX_PATTERN_LENGTH characters.
    """
    text = (query or "").strip()
    if text in ("", "*"):
        return True
    pattern = text if "*" in text else f"*{text}*"
    return any(
        isinstance(value, str) and _like(value, pattern)
        for value in (lookup(document, path) for path in fields)
    )
