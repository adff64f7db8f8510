"""Sends one API call: retries, timeouts and the mapping of failures to exceptions.

The generated layer knows each operation's method, path and parameters; this module is
what it lacks. It never follows the generated ``sync``/``asyncio`` helpers, because those
return documented error statuses as values and fail on statuses Python's ``HTTPStatus``
does not list (a CDN's 520, say).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

from ._constants import (
    API_KEY_HEADER,
    INITIAL_RETRY_DELAY,
    MAX_RESPONSE_BYTES,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRY_JITTER,
    RETRYABLE_STATUSES,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    ConfigurationError,
    RequestValidationError,
)
from ._redaction import REDACTED, ApiKeyAuth, Secret
from ._responses import retry_after, status_error

T = TypeVar("T")

logger = logging.getLogger("kodexa_platform")
logger.addHandler(logging.NullHandler())
# stamina reports every retry as a WARNING on its own logger. In an application that has not
# set up logging, Python would print those to stderr; a library must stay quiet there, and
# an application that does configure logging still receives them through propagation.
logging.getLogger("stamina").addHandler(logging.NullHandler())

#: Failures that happen before a single byte of the request leaves: retrying them can never
#: make the platform act twice, so even a create is retried.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One API call: the request (from the generated layer) and how to read its answer."""

    request: dict[str, Any]
    idempotent: bool
    parse: Callable[[httpx.Response], T]


@dataclass(frozen=True, slots=True)
class Options:
    """The settings every call of one client uses."""

    secret: Secret
    timeout: httpx.Timeout
    max_retries: int


class _RetryableResponse(Exception):  # noqa: N818 - control flow inside the retry loop, never escapes
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _reason(failure: Exception | httpx.Response) -> str:
    """What a retry follows, for the log: a status code or an error's name."""
    if isinstance(failure, _RetryableResponse):
        failure = failure.response
    if isinstance(failure, httpx.Response):
        return str(failure.status_code)
    return type(failure).__name__


def _not_retried(request: httpx.Request, failure: Exception | httpx.Response, why: str) -> None:
    logger.info(
        "not retrying %s %s after %s: %s",
        request.method,
        request.url.path,
        _reason(failure),
        why,
    )


def _wants_retry(response: httpx.Response, idempotent: bool) -> bool:
    retryable = response.status_code in RETRYABLE_STATUSES or response.is_server_error
    if retryable and not idempotent:
        # A create may have been carried out even when a gateway answers 502 or 504, and
        # nothing proves otherwise: repeating it could make a second membership.
        _not_retried(response.request, response, "a create may already have been carried out")
        return False
    return retryable


def _backoff_hook(idempotent: bool, request: httpx.Request) -> Callable[[Exception], bool | float]:
    """Decide, per failure of ``request``, whether to retry and how long to wait."""

    def hook(error: Exception) -> bool | float:
        if isinstance(error, _RetryableResponse):
            wait = retry_after(error.response)
            if wait is None:
                return True
            if wait <= MAX_RETRY_AFTER:
                return wait
            # A longer wait is not waited for (it would hang the caller) nor cut short (that
            # would ignore the server's request for a pause): the status error is raised.
            why = f"Retry-After asks for {wait:.0f} s, more than the {MAX_RETRY_AFTER:.0f} s cap"
            _not_retried(request, error, why)
            return False
        if isinstance(error, _NOT_SENT):
            return True
        if isinstance(error, httpx.TransportError) and not idempotent:
            _not_retried(request, error, "the create may have reached the platform")
            return False
        return isinstance(error, httpx.TransportError)

    return hook


def _retrying(call: Call[Any], request: httpx.Request, options: Options) -> Any:
    import stamina  # noqa: PLC0415 - ~8 ms of import, paid by the first failure

    return stamina.retry_context(
        on=_backoff_hook(call.idempotent, request),
        attempts=options.max_retries + 1,
        timeout=None,
        wait_initial=INITIAL_RETRY_DELAY,
        wait_max=MAX_RETRY_DELAY,
        wait_jitter=RETRY_JITTER,
    )


def _connection_error(error: httpx.RequestError, options: Options) -> APIConnectionError:
    request = error.request
    where = f"{request.method} {request.url.scheme}://{request.url.netloc.decode()}"
    where += request.url.path
    kind = APITimeoutError if isinstance(error, httpx.TimeoutException) else APIConnectionError
    what = type(error).__name__
    fallback = "timed out" if isinstance(error, httpx.TimeoutException) else "no detail"
    detail = options.secret.mask(str(error)) or fallback
    return kind(f"{where} failed: {what}: {detail}", request=request)


def _finish(call: Call[T], response: httpx.Response, options: Options, started: float) -> T:
    if logger.isEnabledFor(logging.DEBUG):  # its arguments alone cost microseconds a call
        logger.debug(
            "%s %s -> %s in %.0f ms",
            response.request.method,
            response.request.url.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
    if not response.is_success:
        raise status_error(response, options.secret)
    try:
        return call.parse(response)
    except APIResponseValidationError as error:
        # A schema message quotes the value it rejects, and a body may echo the key.
        error.message = options.secret.mask(error.message)
        error.args = (error.message,)
        raise


def _log_retry(attempt: int, request: httpx.Request, options: Options, after: Exception) -> None:
    logger.info(
        "retrying %s %s after %s (attempt %d of %d)",
        request.method,
        request.url.path,
        _reason(after),
        attempt,
        options.max_retries + 1,
    )


def _build(http: httpx.Client | httpx.AsyncClient, call: Call[Any], options: Options) -> Any:
    if http.is_closed:
        raise ConfigurationError("this client has been closed; create a new one")
    try:
        return http.build_request(**call.request, timeout=options.timeout)
    except (httpx.InvalidURL, UnicodeError, ValueError, OverflowError) as error:
        # An id or parameter that cannot become a URL (a lone surrogate, 70,000 characters).
        message = options.secret.mask(f"the request cannot be built: {error}")
        raise RequestValidationError(message, {"$": type(error).__name__}) from error


def _too_large(response: httpx.Response) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"{response.request.method} {response.request.url.path} answered "
        f"{response.status_code} with a body over {MAX_RESPONSE_BYTES} bytes; not read",
        response=response,
        body="",
    )


def _late(response: httpx.Response, limit: float | None) -> httpx.ReadTimeout:
    # httpx's read timeout bounds each wait for bytes; a server dripping one byte at a time
    # never trips it. The whole body must arrive within the read timeout too.
    return httpx.ReadTimeout(
        f"the response body took longer than {limit} s", request=response.request
    )


class _Body:
    """Collects a streamed body within the size cap and the read deadline."""

    def __init__(self, response: httpx.Response, options: Options) -> None:
        self.response = response
        self.limit = options.timeout.read
        self.deadline = time.monotonic() + (self.limit or 0.0)
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_RESPONSE_BYTES:
            raise _too_large(self.response)
        if self.limit is not None and time.monotonic() > self.deadline:
            raise _late(self.response, self.limit)
        self.chunks.append(chunk)

    def done(self) -> httpx.Response:
        # What Response.read() itself stores; later .content/.text/.json() use it.
        self.response._content = b"".join(self.chunks)
        return self.response


def _attempt(
    http: httpx.Client, auth: ApiKeyAuth, request: httpx.Request, o: Options
) -> httpx.Response:
    response = http.send(request, auth=auth, stream=True, follow_redirects=False)
    try:
        body = _Body(response, o)
        for chunk in response.iter_bytes():
            body.add(chunk)
        return body.done()
    finally:
        response.close()


async def _attempt_async(
    http: httpx.AsyncClient, auth: ApiKeyAuth, request: httpx.Request, o: Options
) -> httpx.Response:
    response = await http.send(request, auth=auth, stream=True, follow_redirects=False)
    try:
        body = _Body(response, o)
        async for chunk in response.aiter_bytes():
            body.add(chunk)
        return body.done()
    finally:
        await response.aclose()


def _failed(error: httpx.RequestError, options: Options) -> APIConnectionError:
    logger.debug("%s %s failed: %s", error.request.method, error.request.url.path, type(error))
    return _connection_error(error, options)


def _scrub(request: httpx.Request) -> None:
    # The auth flow sets the key again on every send. Once the call is over, the request
    # lives on only inside results and exceptions (`error.request.headers`), and httpx masks
    # only `authorization` when headers are printed.
    if API_KEY_HEADER in request.headers:
        request.headers[API_KEY_HEADER] = REDACTED


def send(http: httpx.Client, auth: ApiKeyAuth, call: Call[T], options: Options) -> T:
    """Make ``call`` over ``http``, retrying what may safely be retried."""
    request = _build(http, call, options)
    started = time.perf_counter()

    def attempt() -> httpx.Response:
        response = _attempt(http, auth, request, options)
        if not response.is_success and _wants_retry(response, call.idempotent):
            raise _RetryableResponse(response)
        return response

    try:
        failure: Exception | None = None
        try:
            response = attempt()
        except (_RetryableResponse, httpx.RequestError) as error:
            failure = error
        if failure is not None:
            # Outside the except clause, so later errors are not chained to this one.
            response = _retry(attempt, failure, call, request, options)
    except _RetryableResponse as final:
        response = final.response
    except httpx.RequestError as error:
        raise _failed(error, options) from error
    finally:
        _scrub(request)
    return _finish(call, response, options, started)


def _retry(
    attempt: Callable[[], httpx.Response],
    failure: Exception,
    call: Call[Any],
    request: httpx.Request,
    options: Options,
) -> httpx.Response:
    # The first attempt is made outside the retry loop, so a call that succeeds (nearly all
    # of them) never sets one up. The loop's own first attempt re-raises that failure, so the
    # decision, the wait and the count of attempts are exactly what they would have been.
    last = failure
    for retry in _retrying(call, request, options):
        with retry:
            if retry.num == 1:
                raise failure
            _log_retry(retry.num, request, options, last)
            try:
                response = attempt()
            except Exception as error:  # noted for the next attempt's log line, then re-raised
                last = error
                raise
    return response


async def send_async(
    http: httpx.AsyncClient, auth: ApiKeyAuth, call: Call[T], options: Options
) -> T:
    """Make ``call`` over ``http`` without blocking the event loop."""
    request = _build(http, call, options)
    started = time.perf_counter()

    async def attempt() -> httpx.Response:
        response = await _attempt_async(http, auth, request, options)
        if not response.is_success and _wants_retry(response, call.idempotent):
            raise _RetryableResponse(response)
        return response

    try:
        failure: Exception | None = None
        try:
            response = await attempt()
        except (_RetryableResponse, httpx.RequestError) as error:
            failure = error
        if failure is not None:
            # Outside the except clause, so later errors are not chained to this one.
            response = await _retry_async(attempt, failure, call, request, options)
    except _RetryableResponse as final:
        response = final.response
    except httpx.RequestError as error:
        raise _failed(error, options) from error
    finally:
        _scrub(request)
    return _finish(call, response, options, started)


async def _retry_async(
    attempt: Callable[[], Awaitable[httpx.Response]],
    failure: Exception,
    call: Call[Any],
    request: httpx.Request,
    options: Options,
) -> httpx.Response:
    # As _retry: the loop starts by re-raising the first attempt's failure.
    last = failure
    async for retry in _retrying(call, request, options):
        with retry:
            if retry.num == 1:
                raise failure
            _log_retry(retry.num, request, options, last)
            try:
                response = await attempt()
            except Exception as error:  # noted for the next attempt's log line, then re-raised
                last = error
                raise
    return response


__all__ = ["Call", "Options", "send", "send_async"]
