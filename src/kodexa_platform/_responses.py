"""Turns HTTP responses into models or into the right exception."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
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


def _decode(response: httpx.Response) -> Any:
    """The JSON body, or the text when the body is not JSON (``""`` when there is none)."""
    text = response.text
    if not text.strip():
        return ""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # nesting deeper than the parser's stack
        return text


def _summary(body: Any, response: httpx.Response) -> tuple[str, str | None, dict[str, str]]:
    """Pick a message, an incident id and field errors out of either error body shape."""
    if isinstance(body, Mapping):
        errors = body.get("errors")
        fields = {str(k): str(v) for k, v in errors.items()} if isinstance(errors, Mapping) else {}
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
    detail, incident, fields = _summary(body, response)
    request = response.request
    message = f"{request.method} {request.url.path} answered {response.status_code}"
    if detail:
        message += f": {detail}"
    if fields:
        message += " (" + "; ".join(f"{name}: {why}" for name, why in fields.items()) + ")"
    if incident:
        message += f" (incident {incident})"
    message = secret.mask(message)
    status = response.status_code
    cls = _STATUS_ERRORS.get(
        status, InternalServerError if status >= _FIRST_SERVER_ERROR else APIStatusError
    )
    error = cls(message, response=response, body=body, incident_id=incident, errors=fields)
    if isinstance(error, RateLimitError):
        error.retry_after = retry_after(response)
    return error


def retry_after(response: httpx.Response, now: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asked to wait, from ``Retry-After`` (seconds or an HTTP date)."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
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
    text = response.text
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # nesting deeper than the parser's stack
        raise APIResponseValidationError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code} with a body that is not JSON",
            response=response,
            body=text,
        ) from None
    found = _schema.problems(data, schema, many=many)
    if found:
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
