"""The exceptions the client raises.

Every failure a call can meet is one of these, so ``except KodexaError`` catches them all::

    KodexaError
    ├── ConfigurationError            bad arguments or environment, raised before any request
    ├── RequestValidationError        a request body that does not match the API's schema
    └── APIError                      something went wrong talking to the platform
        ├── APIConnectionError        no usable answer: DNS, refused, reset, TLS ...
        │   └── APITimeoutError       connect, read, write or pool timeout
        ├── APIResponseValidationError  a 2xx answer whose body is not what the spec says
        └── APIStatusError            any non-2xx answer
            ├── BadRequestError            400
            ├── AuthenticationError        401
            ├── PermissionDeniedError      403
            ├── NotFoundError              404
            ├── ConflictError              409  (e.g. a stale changeSequence)
            ├── UnprocessableEntityError   422
            ├── RateLimitError             429
            └── InternalServerError        500 and above

Messages never contain the API key: it is not part of any URL, and any echo of it in a
server's answer is masked before it reaches an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "KodexaError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "UnprocessableEntityError",
]


class KodexaError(Exception):
    """Base class of every exception raised by this package."""

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses take keyword-only arguments, which Exception's own pickling cannot
        # pass; errors must survive a process pool or a task queue like any other exception.
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[KodexaError], args: tuple[Any, ...], state: dict[str, Any]) -> KodexaError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class ConfigurationError(KodexaError, ValueError):
    """The client was given (or found in the environment) settings it cannot work with."""


class RequestValidationError(KodexaError, ValueError):
    """A request body does not match the API's schema; nothing was sent.

    ``errors`` maps a JSON path inside the body (``$.organization.slug``) to what is wrong.
    """

    def __init__(self, message: str, errors: Mapping[str, str]) -> None:
        super().__init__(message)
        self.errors = dict(errors)


class APIError(KodexaError):
    """Talking to the platform failed. ``request`` is the last request attempted."""

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class APIConnectionError(APIError):
    """No usable response arrived: the connection failed, broke, or TLS did not verify."""


class APITimeoutError(APIConnectionError):
    """The platform did not connect or answer within the configured timeout."""


class APIResponseValidationError(APIError):
    """A successful status arrived with a body that does not match the spec.

    ``body`` holds the raw text of the answer, so nothing the server sent is lost.
    """

    def __init__(self, message: str, *, response: httpx.Response, body: str) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body


class APIStatusError(APIError):
    """The platform answered with a status outside 2xx.

    Attributes:
        status_code: the HTTP status, also non-standard ones such as 520.
        body: the decoded JSON body when there is one, else the raw text (possibly ``""``).
        headers: the response headers.
        incident_id: the platform's incident id, when the body carries one; quote it to
            Kodexa support.
        errors: per-field messages from the body (``{}`` when there are none).

    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        incident_id: str | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body
        self.incident_id = incident_id
        self.errors = dict(errors or {})


class BadRequestError(APIStatusError):
    """400: the platform could not understand the request."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing or not valid."""


class PermissionDeniedError(APIStatusError):
    """403: the API key may not do this."""


class NotFoundError(APIStatusError):
    """404: nothing has this id."""


class ConflictError(APIStatusError):
    """409: the object changed since it was read, or would duplicate another one."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was understood but its content is not valid."""


class RateLimitError(APIStatusError):
    """429: too many requests. ``retry_after`` is the wait the platform asked for, if any."""

    retry_after: float | None = None


class InternalServerError(APIStatusError):
    """500 and above: the platform, or a gateway in front of it, failed."""
