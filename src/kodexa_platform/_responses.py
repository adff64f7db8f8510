"""Turns HTTP responses into models or into the right exception."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from . import _schema
from ._exceptions import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from ._redaction import Secret

T = TypeVar("T")

_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_FIRST_SERVER_ERROR = 500

#: How much of a non-JSON error body (an HTML page from a gateway, say) goes into a message.
_SNIPPET = 200


def _text(response: httpx.Response) -> str:
    """The body as text, whatever charset the server claims (a wrong one included)."""
    try:
        return response.content.decode(response.encoding or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return response.content.decode("utf-8", errors="replace")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise ValueError(f"{number} does not fit a float")
    return value


#: A \uD800-\uDFFF escape: half of a UTF-16 surrogate pair, or a lone one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def loads(content: bytes) -> Any:
    r"""Parse strict JSON: UTF-8 (RFC 8259), finite numbers, no NaN or Infinity.

    A body that Python's lenient defaults would accept but no other JSON reader would (and
    which could not be sent back on update) raises ``ValueError``. So does a string with an
    unpaired surrogate escape (``"\ud800"``): JSON's grammar lets one through, but it is no
    Unicode text (I-JSON, RFC 7493, forbids it), and the str it becomes fails later, far from
    here, the first time it is printed or encoded.
    """
    data = json.loads(content.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite)
    # Paired escapes (an emoji) are fine; only a body that has any pays for the full check.
    if _SURROGATE_ESCAPE.search(content):
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            bad = error.object[error.start : error.end]
            raise ValueError(f"a string holds the unpaired surrogate {bad!a}") from None
    return data


def _decode(response: httpx.Response) -> Any:
    """The JSON body, or the text when the body is not JSON (``""`` when there is none)."""
    try:
        return loads(response.content)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the stack
        text = _text(response)
        return "" if not text.strip() else text


def _field_errors(errors: object) -> dict[str, str]:
    """Per-field messages from the legacy map or a problem-details list of items."""
    if isinstance(errors, Mapping):
        return {str(k): str(v) for k, v in errors.items()}
    found: dict[str, str] = {}
    if isinstance(errors, list):
        for item in errors:
            if not isinstance(item, Mapping):
                continue
            where = next((item[k] for k in ("pointer", "field", "name") if k in item), None)
            why = next((item[k] for k in ("detail", "message", "reason") if k in item), None)
            if where is not None and why is not None:
                found[str(where)] = str(why)
    return found


def _summary(body: Any, response: httpx.Response) -> tuple[str, str | None, dict[str, str]]:
    """Pick a message, an incident id and field errors out of either error body shape."""
    if isinstance(body, Mapping):
        errors = body.get("errors", body.get("invalid-params"))
        fields = _field_errors(errors)
        incident = body.get("incidentId")
        # The legacy body says `message`; RFC 9457 problem details say `detail` and `title`.
        for key in ("message", "detail", "title", "error"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip(), str(incident) if incident else None, fields
        return response.reason_phrase or "", str(incident) if incident else None, fields
    if isinstance(body, str) and body.strip():
        snippet = " ".join(body.split())
        if len(snippet) > _SNIPPET:
            snippet = snippet[:_SNIPPET] + "..."
        return snippet, None, {}
    return response.reason_phrase or "", None, {}


def status_error(response: httpx.Response, secret: Secret) -> APIStatusError:
    """Build the exception for a non-2xx response, whatever its status and body."""
    body = _decode(response)
    # Masked before the summary cuts it short, so no part of an echoed key survives the cut.
    detail, incident, fields = _summary(
        secret.mask(body) if isinstance(body, str) else body, response
    )
    request = response.request
    message = f"{request.method} {request.url.path} answered {response.status_code}"
    if detail:
        message += f": {detail}"
    # A field error the message already quotes would only repeat it; `errors` keeps them all.
    unsaid = [f"{name}: {why}" for name, why in fields.items() if why not in detail]
    if unsaid:
        message += " (" + "; ".join(unsaid) + ")"
    if incident:
        message += f" (incident {incident})"
    message = secret.mask(message)
    status = response.status_code
    server_error = _FIRST_SERVER_ERROR <= status < _FIRST_SERVER_ERROR + 100
    cls = _STATUS_ERRORS.get(status, InternalServerError if server_error else APIStatusError)
    error = cls(message, response=response, body=body, incident_id=incident, errors=fields)
    if isinstance(error, RateLimitError):
        error.retry_after = retry_after(response)
    return error


def retry_after(response: httpx.Response, now: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asked to wait, from ``Retry-After`` (seconds or an HTTP date)."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # RFC 9110: delay-seconds = 1*DIGIT
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # RFC 9110's asctime form names no zone and means GMT
            when = when.replace(tzinfo=dt.UTC)
        seconds = when.timestamp() - now()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def json_body(response: httpx.Response, schema: str, *, many: bool = False) -> Any:
    """The response's JSON, checked against the spec; raises on anything else."""
    try:
        data = loads(response.content)
    except (ValueError, RecursionError) as error:  # RecursionError: nesting beyond the stack
        raise APIResponseValidationError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code} with a body that is not JSON: {error}",
            response=response,
            body=_text(response),
        ) from None
    found = _schema.problems(data, schema, many=many)
    if found:
        text = _text(response)  # only a failure needs the body as text
        where, why = next(iter(found.items()))
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise APIResponseValidationError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code} with a body that does not match the {schema} schema: "
            f"{where}: {why}{more}",
            response=response,
            body=text,
        )
    return data


def model(response: httpx.Response, schema: str, from_dict: Callable[[Any], T]) -> T:
    """Parse a JSON object body into a generated model."""
    return from_dict(json_body(response, schema))


def models(response: httpx.Response, schema: str, from_dict: Callable[[Any], T]) -> list[T]:
    """Parse a JSON array body into a list of generated models."""
    return [from_dict(item) for item in json_body(response, schema, many=True)]
