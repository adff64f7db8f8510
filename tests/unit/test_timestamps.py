"""Timestamps: the compiled schema check and the Python rule accept exactly the same strings.

A body is first checked by jsonschema-rs (fast, yes or no) and only a failing body goes to the
Python validator. If the compiled check let through a timestamp that Python's fromisoformat
cannot read, the generated model would keep the string where a datetime belongs, silently;
so the two are compared on every combination of the parts where they could differ.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import jsonschema_rs
import pytest

from kodexa_platform import APIResponseValidationError
from kodexa_platform._schema import _fast, _is_date_time, _with_date_time_pattern, problems

from .conftest import FakeServer, Flavour, membership, reply

#: "2024" in full-width digits, which a regex's \d would take for digits.
WIDE = "\uff12\uff10\uff12\uff14"
YEARS = ["0000", "0001", "0999", "1970", "2024", "2023", "9999", "20240", WIDE]
MONTHS = ["00", "01", "02", "12", "13", "1"]
DAYS = ["00", "01", "29", "30", "31", "32"]
HOURS = ["00", "23", "24"]
MINUTES = ["59", "60"]
SECONDS = ["00", "59", "60"]
FRACTIONS = ["", ".1", ".123456789012", ",5"]
SEPARATORS = ["T", "t", " "]
ZONES = ["Z", "z", "", "+00:00", "-00:00", "+23:59", "+24:00", "+05:60", "+0530", "+05"]


def _python_accepts(value: str) -> bool:
    try:
        return _is_date_time(value)
    except ValueError:
        return False


def _stamps() -> list[str]:
    parts = itertools.product(
        YEARS, MONTHS, DAYS, HOURS, MINUTES, SECONDS, FRACTIONS, SEPARATORS, ZONES
    )
    return [f"{y}-{mo}-{d}{sep}{h}:{mi}:{s}{f}{z}" for y, mo, d, h, mi, s, f, sep, z in parts]


def test_the_compiled_check_and_python_agree_on_every_timestamp() -> None:
    body = membership()
    check = _fast("Membership", False)
    disagree: list[tuple[str, bool, bool]] = []
    accepted = 0
    for stamp in _stamps():
        body["createdOn"] = stamp
        python = _python_accepts(stamp)
        accepted += python
        if check.is_valid(body) != python:
            disagree.append((stamp, not python, python))
    assert disagree[:10] == []
    assert accepted > 1000  # the combinations reach both answers, not only refusals


@pytest.mark.parametrize(
    "stamp",
    [
        "2023-11-07t05:31:56Z",
        "2023-11-07T05:31:56z",
        "2016-12-31T23:59:60Z",
        "0000-01-01T00:00:00Z",
        "2023-11-07T05:31:56+05:60",
        "2023-11-07T05:31:56",
        "2023-02-29T00:00:00Z",
        WIDE + "-11-07T05:31:56Z",
    ],
    ids=[
        "lower-t",
        "lower-z",
        "leap-second",
        "year-0",
        "offset-minute-60",
        "naive",
        "feb-29",
        "wide",
    ],
)
def test_timestamps_python_cannot_read_are_refused_with_a_reason(
    flavour: Flavour, stamp: str
) -> None:
    found = problems(membership() | {"createdOn": stamp}, "Membership")
    assert list(found) == ["$.createdOn"]
    with pytest.raises(APIResponseValidationError, match=r"\$\.createdOn"):
        flavour.call(FakeServer(reply(200, membership() | {"createdOn": stamp})), _get)


@pytest.mark.parametrize(
    "stamp",
    ["2024-02-29T23:59:59.999999Z", "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-00:00"],
)
def test_edge_timestamps_python_can_read_become_datetimes(flavour: Flavour, stamp: str) -> None:
    result = flavour.call(FakeServer(reply(200, membership() | {"createdOn": stamp})), _get)
    assert result.created_on == dt.datetime.fromisoformat(stamp)
    assert result.created_on.tzinfo is not None


def _get(client: Any) -> Any:
    return client.memberships.get("m-1")


def test_a_pattern_the_spec_gives_a_timestamp_still_applies() -> None:
    schema = {"type": "string", "format": "date-time", "pattern": "^19"}
    check = jsonschema_rs.validator_for(_with_date_time_pattern(schema), validate_formats=True)
    assert check.is_valid("1999-12-31T23:59:59Z")
    assert not check.is_valid("2024-01-01T00:00:00Z")  # the spec's own pattern
    assert not check.is_valid("1999-12-31t23:59:59Z")  # the added one
