"""The filter and sort parsers on their own, without a server."""

from __future__ import annotations

from typing import Any

import pytest

from kodexa_platform.testing._filters import (
    Comparison,
    FilterSyntaxError,
    Junction,
    Not,
    SortKey,
    SortSyntaxError,
    matches,
    parse_filter,
    parse_sort,
    paths,
    sort_documents,
)


def test_and_binds_tighter_than_or() -> None:
    tree = parse_filter("a: 1 or b: 2 and c: 3")
    assert tree == Junction(
        "or",
        Comparison(("a",), ":", (1,)),
        Junction("and", Comparison(("b",), ":", (2,)), Comparison(("c",), ":", (3,))),
    )


def test_keywords_ignore_case_and_strings_unescape() -> None:
    tree = parse_filter(r"NOT x.y ~ 'it\'s' AND z IS NOT NULL")
    assert tree == Junction(
        "and", Not(Comparison(("x", "y"), "~", ("it's",))), Comparison(("z",), "is-not-null")
    )
    assert list(paths(tree)) == [("x", "y"), ("z",)]


@pytest.mark.parametrize(
    ("expression", "document", "expected"),
    [
        ("name ~ 'a_c'", {"name": "ABC"}, True),
        ("name ~ 'a.c'", {"name": "abc"}, False),
        ("name ~ '*'", {"name": ""}, True),
        ("name ~ '*'", {}, False),
        ("n > 1.5", {"n": 2}, True),
        ("n > 'x'", {"n": 2}, False),
        ("flag: 'TRUE'", {"flag": True}, True),
        ("flag: 1", {"flag": True}, False),
        ("a.b: 'x'", {"a": "not an object"}, False),
        ("s: 1", {"s": "1"}, False),
    ],
)
def test_matching(expression: str, document: dict[str, object], expected: bool) -> None:
    assert matches(parse_filter(expression), document) is expected


@pytest.mark.parametrize("expression", ["", "   ", "a: 'x' or", "a ~", "a: -", "a: 1.2.3", "a:: 1"])
def test_syntax_errors(expression: str) -> None:
    with pytest.raises(FilterSyntaxError):
        parse_filter(expression)


def test_sort_forms() -> None:
    assert parse_sort(["name", "slug,DESC;organization.name:asc", " ; "]) == [
        SortKey(("name",)),
        SortKey(("slug",), descending=True),
        SortKey(("organization", "name")),
    ]


@pytest.mark.parametrize("value", ["name,up", "na me", "name;;1x"])
def test_sort_errors(value: str) -> None:
    with pytest.raises(SortSyntaxError):
        parse_sort([value])


def test_sorting_keeps_ties_stable_and_puts_nulls_last_ascending() -> None:
    documents: list[dict[str, Any]] = [
        {"k": None, "i": 0},
        {"k": 2, "i": 1},
        {"k": "b", "i": 2},
        {"k": 2, "i": 3},
    ]

    ascending = sort_documents(documents, [SortKey(("k",))])
    descending = sort_documents(documents, [SortKey(("k",), descending=True)])

    assert [d["i"] for d in ascending] == [1, 3, 2, 0]
    assert [d["i"] for d in descending] == [0, 2, 1, 3]
