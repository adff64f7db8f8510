"""The spec-level differ: each variant under specs/ is classified as its file says."""

from __future__ import annotations

import copy

import pytest
from _specdiff import Level, Side, diff

from tests.tooling.helpers import SPECS, apply_edits, load_variant, real_spec, variant_docs

VARIANTS = sorted(p.name for p in SPECS.glob("*.yaml"))


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_is_classified_as_declared(name: str) -> None:
    variant = load_variant(name)
    old, new = variant_docs(name)
    changes = diff(old, new)
    lines = [_squash(c.line()) for c in changes]
    assert changes, f"{name}: no change found"
    assert max(c.level for c in changes) is Level[variant["level"]], lines
    for expected in variant["expect"]:
        assert any(_squash(expected) in line for line in lines), (expected, lines)


def test_the_variants_cover_what_the_issue_asks_for() -> None:
    levels = {name: load_variant(name)["level"] for name in VARIANTS}
    for name in ("add-optional-field.yaml", "add-endpoint.yaml"):
        assert levels[name] == "COMPATIBLE"
    for name in (
        "remove-field.yaml",
        "remove-endpoint.yaml",
        "param-required.yaml",
        "type-change.yaml",
        "type-narrowed.yaml",
        "enum-narrowed.yaml",
    ):
        assert levels[name] == "BREAKING"


def test_identical_documents_have_no_changes() -> None:
    assert diff(real_spec(), real_spec()) == []


def test_a_version_bump_alone_is_no_change() -> None:
    new = real_spec()
    new["info"]["version"] = "9.9.9"
    assert diff(real_spec(), new) == []


def test_yaml_spelling_of_nullability_does_not_matter() -> None:
    # `type: [string, 'null']` and `oneOf: [string, null]` describe the same values.
    new = apply_edits(
        real_spec(),
        [
            {
                "set": "/components/schemas/Membership/properties/userId",
                "value": {
                    "description": "The user's id.",
                    "oneOf": [{"type": "string"}, {"type": "null"}],
                },
            }
        ],
    )
    # The text differs, so the document did change: wording-level, a patch release.
    assert {c.level for c in diff(real_spec(), new)} == {Level.DOC}


def test_a_request_only_schema_may_widen_but_not_narrow() -> None:
    param = "/components/parameters/PageSize/schema"
    wider = apply_edits(real_spec(), [{"set": f"{param}/maximum", "value": 5000}])
    narrower = apply_edits(real_spec(), [{"set": f"{param}/maximum", "value": 100}])
    assert {c.level for c in diff(real_spec(), wider)} == {Level.COMPATIBLE}
    assert {c.level for c in diff(real_spec(), narrower)} == {Level.BREAKING}


def test_a_changed_request_default_is_breaking() -> None:
    # Every call that leaves pageSize out now gets another page size.
    new = apply_edits(
        real_spec(), [{"set": "/components/parameters/PageSize/schema/default", "value": 50}]
    )
    changes = diff(real_spec(), new)
    assert changes
    assert all(c.level is Level.BREAKING and "default 20 -> 50" in c.what for c in changes)


def test_a_required_parameter_becoming_optional_is_compatible() -> None:
    base = apply_edits(
        real_spec(), [{"set": "/components/parameters/Force/required", "value": True}]
    )
    new = apply_edits(
        copy.deepcopy(base), [{"set": "/components/parameters/Force/required", "value": False}]
    )
    changes = diff(base, new)
    assert changes
    assert {c.level for c in changes} == {Level.COMPATIBLE}
    assert all("became optional" in c.what for c in changes)


def test_a_component_used_on_both_sides_is_held_to_both_rules() -> None:
    from _specdiff import SpecDiff

    usage = SpecDiff(real_spec(), real_spec())._usage
    assert usage["Membership"] == Side.BOTH  # request body and response
    assert usage["Organization"] == Side.BOTH  # also nested in Membership
    assert usage["PageMembership"] == Side.RESPONSE
    assert usage["User"] == Side.BOTH  # reached through Membership.user


def test_a_removed_schema_is_breaking_and_an_added_one_compatible() -> None:
    new = apply_edits(
        real_spec(),
        [
            {"set": "/components/schemas/Team", "value": {"type": "object"}},
        ],
    )
    assert [(c.level, c.where) for c in diff(real_spec(), new)] == [
        (Level.COMPATIBLE, "schema Team")
    ]
    assert [(c.level, c.where) for c in diff(new, real_spec())] == [(Level.BREAKING, "schema Team")]


def test_a_ref_pointing_elsewhere_is_breaking() -> None:
    new = apply_edits(
        real_spec(),
        [
            {
                "set": "/components/schemas/Membership/properties/organization/oneOf/0",
                "value": {"$ref": "#/components/schemas/AuthGroupLink"},
            }
        ],
    )
    (change,) = diff(real_spec(), new)
    assert change.level is Level.BREAKING
    assert change.where == "Membership.organization"
    assert "refers to schema AuthGroupLink instead of Organization" in change.what


def test_adding_an_authentication_requirement_is_breaking() -> None:
    new = apply_edits(
        real_spec(),
        [
            {
                "set": "/components/securitySchemes/bearer",
                "value": {"type": "http", "scheme": "bearer"},
            },
            {"set": "/security", "value": [{"apiKey": [], "bearer": []}]},
        ],
    )
    changes = diff(real_spec(), new)
    security = [c for c in changes if c.what.startswith("security ")]
    assert security
    assert all(c.level is Level.BREAKING for c in security)


def test_changes_are_sorted_most_severe_first() -> None:
    new = apply_edits(
        real_spec(),
        [
            {"remove": "/components/schemas/Membership/properties/userId"},
            {"set": "/components/schemas/Membership/properties/nickname", "value": {}},
            {"set": "/components/schemas/Membership/description", "value": "Reworded."},
        ],
    )
    levels = [c.level for c in diff(real_spec(), new)]
    assert levels == sorted(levels, reverse=True)
    assert set(levels) == {Level.BREAKING, Level.COMPATIBLE, Level.DOC}
