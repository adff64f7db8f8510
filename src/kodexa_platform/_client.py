"""The clients: :class:`Kodexa` for ordinary code and :class:`AsyncKodexa` for asyncio."""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from . import _settings
from ._constants import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._redaction import ApiKeyAuth
from ._transport import Call, Options, send, send_async

if TYPE_CHECKING:
    import asyncio

    import kodexa_platform_client

T = TypeVar("T")

_UNCHANGED: Any = object()


class _Base:
    def __init__(
        self,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: float | httpx.Timeout,
        max_retries: int,
        allow_insecure_http: bool,
        environ: Mapping[str, str] | None,
    ) -> None:

        env = os.environ if environ is None else environ
        _settings.configure_logging(env)
        self._base_url = _settings.base_url(base_url, env, allow_insecure=allow_insecure_http)
        secret = _settings.api_key(api_key, env)
        self._auth = ApiKeyAuth(secret)
        self._options = Options(
            secret, _settings.timeout(timeout), _settings.max_retries(max_retries)
        )

    @property
    def base_url(self) -> str:
        """The platform the client talks to, such as ``https://platform.kodexa.ai``."""
        return self._base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._options.timeout

    @property
    def max_retries(self) -> int:
        return self._options.max_retries

    def _bind(self) -> None:
        """Give the client its resource namespaces, bound to its own ``_run``."""
        raise NotImplementedError

    def with_options(
        self, *, timeout: float | httpx.Timeout = _UNCHANGED, max_retries: int = _UNCHANGED
    ) -> Self:
        """A client sharing this one's connections, with another timeout or retry budget.

        For one call: ``client.with_options(max_retries=0).memberships.get(membership_id)``.
        """
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone._options = self._derive(timeout, max_retries)
        clone._bind()
        return clone

    def _derive(self, timeout: float | httpx.Timeout, max_retries: int) -> Options:
        return Options(
            self._options.secret,
            self._options.timeout if timeout is _UNCHANGED else _settings.timeout(timeout),
            self._options.max_retries
            if max_retries is _UNCHANGED
            else _settings.max_retries(max_retries),
        )

    #: Whether the connection pools are the client's own, made with its headers as defaults.
    _headers_on_pool: bool = False

    def _absolute(self, call: Call[T]) -> Call[T]:
        # Absolute URLs keep calls right on an http_client given without a base_url. Such a
        # client also lacks our default headers, so they go on each of its requests; our own
        # pools carry them already (merging them again costs a tenth of a call's overhead).
        request = {**call.request, "url": self._base_url + call.request["url"]}
        if not self._headers_on_pool:
            request["headers"] = {**self._headers(), **call.request.get("headers", {})}
        return Call(request, call.idempotent, call.parse)

    def _trust_env(self) -> bool:
        # Plain http is allowed to loopback only; an HTTP_PROXY from the environment would
        # carry the key in clear text off the machine, so proxies are not taken from it then.
        return not self._base_url.startswith("http://")

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": _settings.USER_AGENT, "Accept": "application/json"}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, "
            f"timeout={self.timeout!r}, max_retries={self.max_retries})"
        )


class Kodexa(_Base):
    """A client for the Kodexa platform's memberships and organizations API.

    Reads the API key from ``KODEXA_API_KEY`` (or ``KODEXA_ACCESS_TOKEN``) and the platform
    from ``KODEXA_URL`` when they are not given. Use it as a context manager, or call
    :meth:`close`, to release its connections::

        with Kodexa() as client:
            for membership in client.memberships.list(filter="role: 'OWNER'"):
                print(membership.id)
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            environ=environ,
        )
        self._owns_http = self._headers_on_pool = http_client is None
        # The timeout is set here too for `generated`, whose calls share this pool.
        self._http = http_client or httpx.Client(
            base_url=self._base_url,
            headers=self._headers(),
            auth=self._auth,
            timeout=self._options.timeout,
            trust_env=self._trust_env(),
        )
        self._bind()

    def _bind(self) -> None:
        from . import _resources  # noqa: PLC0415 - the generated layer loads on first use

        self.memberships: _resources.Memberships = _resources.Memberships(self._run)
        self.organizations: _resources.Organizations = _resources.Organizations(self._run)
        self.users: _resources.Users = _resources.Users(self._run)

    def _run(self, call: Call[T]) -> T:
        return send(self._http, self._auth, self._absolute(call), self._options)

    def with_options(
        self, *, timeout: float | httpx.Timeout = _UNCHANGED, max_retries: int = _UNCHANGED
    ) -> Self:
        """A client sharing this one's connections, with another timeout or retry budget.

        For one call: ``client.with_options(max_retries=0).memberships.get(membership_id)``.
        """
        clone = super().with_options(timeout=timeout, max_retries=max_retries)
        clone._owns_http = False  # closing the clone must not close the original's pool
        return clone

    @property
    def generated(self) -> kodexa_platform_client.Client:
        """The generated client, sharing this one's connections, key and user agent.

        For what the wrapper does not cover: call any function of
        ``kodexa_platform_client.api`` with it. Those functions neither retry nor raise on
        error statuses; they return the generated ``Response``.
        """
        import kodexa_platform_client  # noqa: PLC0415

        client = kodexa_platform_client.Client(
            base_url=self._base_url,
            timeout=self._options.timeout,
            headers=self._headers(),
            httpx_args={"auth": self._auth},
        )
        if self._owns_http:
            client.set_httpx_client(self._http)
        return client

    def close(self) -> None:
        """Release the connections, unless they belong to an ``http_client`` you gave."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncKodexa(_Base):
    """The asyncio twin of :class:`Kodexa`: the same calls, awaited.

    One client may serve several event loops (say, successive ``asyncio.run`` calls): it
    keeps a connection pool per loop, since a connection cannot outlive its loop.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            allow_insecure_http=allow_insecure_http,
            environ=environ,
        )
        self._given = http_client
        self._headers_on_pool = http_client is None
        self._pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient]
        self._pools = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()
        self._bind()

    def _bind(self) -> None:
        from . import _resources  # noqa: PLC0415 - the generated layer loads on first use

        self.memberships: _resources.AsyncMemberships = _resources.AsyncMemberships(self._run)
        self.organizations: _resources.AsyncOrganizations = _resources.AsyncOrganizations(self._run)
        self.users: _resources.AsyncUsers = _resources.AsyncUsers(self._run)

    def _http(self) -> httpx.AsyncClient:
        if self._given is not None:
            return self._given
        import asyncio  # noqa: PLC0415 - 30 ms that sync users need not pay

        loop = asyncio.get_running_loop()
        with self._lock:
            pool = self._pools.get(loop)
            if pool is None or pool.is_closed:
                pool = httpx.AsyncClient(
                    base_url=self._base_url,
                    headers=self._headers(),
                    auth=self._auth,
                    timeout=self._options.timeout,
                    trust_env=self._trust_env(),
                )
                self._pools[loop] = pool
            # A pool holds its loop alive, so pools of loops that have ended are dropped
            # here; their sockets go with them.
            for ended in [other for other in self._pools if other.is_closed()]:
                del self._pools[ended]
        return pool

    async def _run(self, call: Call[T]) -> T:
        return await send_async(self._http(), self._auth, self._absolute(call), self._options)

    @property
    def generated(self) -> kodexa_platform_client.Client:
        """The generated client with this one's key and user agent (its own connections).

        Use its ``asyncio`` functions; they neither retry nor raise on error statuses.
        """
        import kodexa_platform_client  # noqa: PLC0415

        return kodexa_platform_client.Client(
            base_url=self._base_url,
            timeout=self._options.timeout,
            headers=self._headers(),
            httpx_args={"auth": self._auth},
        )

    async def close(self) -> None:
        """Release this event loop's connections (others go with their loops)."""
        if self._given is not None:
            return
        import asyncio  # noqa: PLC0415 - 30 ms that sync users need not pay

        loop = asyncio.get_running_loop()
        with self._lock:
            pool = self._pools.pop(loop, None)
        if pool is not None:
            await pool.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
