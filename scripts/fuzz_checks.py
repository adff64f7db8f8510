"""Schemathesis checks for scripts/fuzz.py, loaded through the SCHEMATHESIS_HOOKS variable.

Schemathesis' own ``not_a_server_error`` fails every 5xx. The platform, though, is documented
to answer 500 to a ``filter`` naming a field it does not know (SpringFilter hands the name to
the ORM, which fails), and the spec lists that 500 on both list operations. Fuzzing the
``filter`` parameter is worth keeping, since random text is exactly what finds a parser that
crashes; so instead of turning filter fuzzing off, this check replaces ``not_a_server_error``
and lets through that one documented 500 and nothing else:

* the request carried a non-blank ``filter``, and
* the 500's body says "Unable to locate attribute", the sandbox's wording for the platform's
  unknown-field error (a crash in the sandbox answers "Internal error: ..." and fails).

Any other 5xx fails. ``response_schema_conformance`` still checks that the documented 500
carries a body the spec allows.

A ``filter_failure`` hook drops failures of requests that never reached the operation under
test: a path parameter of ``.`` or ``..`` (fuzzed, or carried over by a stateful link from an
earlier answer) is a dot segment, which the HTTP client removes (RFC 3986, 5.2.4), so
``PUT /api/organizations/../suspend`` goes out as ``PUT /api/organizations/suspend``, a
different operation, and its answer would be judged against the wrong part of the spec.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import schemathesis

UNKNOWN_FIELD = "Unable to locate attribute"
SERVER_ERRORS = 500
DOCUMENTED_UNKNOWN_FIELD_STATUS = 500


def _filters(url: str) -> list[str]:
    # The URL actually sent, not the generated case: hooks or serialisation may change it.
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return [value for value in query.get("filter", []) if value.strip()]


def _message(content: bytes) -> str:
    try:
        body: Any = json.loads(content)
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return message if isinstance(message, str) else ""


@schemathesis.check
def no_server_error_but_unknown_filter_field(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """No 5xx, except the documented 500 for a filter on a field the platform does not know."""
    status = response.status_code
    if status < SERVER_ERRORS:
        return None
    url = str(response.request.url or "")
    if (
        status == DOCUMENTED_UNKNOWN_FIELD_STATUS
        and _filters(url)
        and _message(response.content).startswith(UNKNOWN_FIELD)
    ):
        return None
    raise AssertionError(
        f"Server error {status} for {case.operation.label}: "
        f"{response.content[:300].decode('utf-8', 'replace')}"
    )


@cache
def _template(path: str) -> re.Pattern[str]:
    # `{id}` stands for one non-empty path segment, as the spec's parameters say.
    parts = re.split(r"(\{[^}]+\})", path)
    pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(pattern)


@schemathesis.hook
def filter_failure(
    context: schemathesis.HookContext,
    failure: Any,
    case: schemathesis.Case,
    response: schemathesis.Response,
) -> bool:
    """Keep a failure only if the request that caused it went to the operation under test."""
    sent = urlsplit(str(response.request.url or "")).path
    return _template(case.operation.path).fullmatch(sent) is not None
