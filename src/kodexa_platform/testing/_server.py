"""SandboxServer: the sandbox running under uvicorn in a background thread."""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import socket
import struct
import threading
import time
from types import TracebackType
from typing import Any, Self

import uvicorn
from starlette.types import Scope

from kodexa_platform.testing._app import AppOptions, build_app
from kodexa_platform.testing._faults import FaultHolder, FaultInjector, FaultMiddleware, FaultPlan
from kodexa_platform.testing._store import Store

_STARTUP_TIMEOUT = 10.0
_SHUTDOWN_TIMEOUT = 10.0


def is_loopback(host: str) -> bool:
    """Tell whether ``host`` names this machine only (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SandboxServer:
    """A local HTTP server implementing the Kodexa memberships and organizations API.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`::

        with SandboxServer() as server:
            client = Kodexa(api_key=server.api_key, base_url=server.base_url)

    ``api_key``: the only key accepted; with None, any non-empty ``x-api-key`` is, and
    :attr:`api_key` holds a generated one to use. ``db_path``: an SQLite file to keep data in
    (in memory by default). ``port``: 0 picks a free one. ``faults``: a :class:`FaultPlan`
    for robustness tests. ``create_status`` (201, or 200 as the legacy server answers) and
    ``delete_status`` (204, or 200 with an empty body as the legacy server answers) choose
    between the answers real deployments give. ``host`` must be a loopback address unless
    ``allow_non_loopback`` is set. ``access_log`` logs each request to ``uvicorn.access``.

    An update (PUT) whose ``changeSequence`` differs from the stored one is refused with
    409; an update that sends no ``changeSequence`` (or null) is accepted and simply wins,
    as on a platform that cannot lock what it was not told about.

    Slugs must be unique once trimmed and lowercased, since the platform lowercases them;
    each is kept and returned as sent. A request body must be sent as ``application/json``
    (or ``application/*+json``): Spring would answer 415 otherwise, but the spec lists no
    415, so the sandbox answers its documented 400.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        db_path: str | None = None,
        port: int = 0,
        faults: FaultPlan | None = None,
        host: str = "127.0.0.1",
        create_status: int = 201,
        delete_status: int = 204,
        allow_non_loopback: bool = False,
        access_log: bool = False,
    ) -> None:
        if not allow_non_loopback and not is_loopback(host):
            raise ValueError(f"refusing to listen on {host!r}: the sandbox is for loopback only")
        self._options = AppOptions(api_key, create_status, delete_status)
        self._key = api_key or f"sandbox-{secrets.token_hex(8)}"
        self._db_path = db_path
        self._host = host.strip("[]")
        self._port = port
        self._access_log = access_log
        self._faults = FaultHolder(faults)
        self._thread: threading.Thread | None = None
        self._server: Any = None
        self._socket: socket.socket | None = None
        self._store: Store | None = None
        self._failure: BaseException | None = None

    def __repr__(self) -> str:
        where = self.base_url if self._thread is not None else "stopped"
        return f"<SandboxServer {where}>"

    @property
    def api_key(self) -> str:
        """The key to send: the one given, or a generated one that is accepted."""
        return self._key

    @property
    def base_url(self) -> str:
        """Where the server listens, such as ``http://127.0.0.1:54321``."""
        if self._socket is None:
            raise RuntimeError("the sandbox is not running")
        host, port = self._socket.getsockname()[:2]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._socket is None:
            raise RuntimeError("the sandbox is not running")
        port: int = self._socket.getsockname()[1]
        return port

    @property
    def fault_stats(self) -> dict[str, int]:
        """Counters of the fault plan in force (requests, injected, per kind); {} without one."""
        injector = self._faults.injector
        return {} if injector is None else injector.stats()

    def set_faults(self, plan: FaultPlan | None) -> None:
        """Put a new fault plan in force (its counters start at 0), or None to stop faults."""
        self._faults.injector = None if plan is None else FaultInjector(plan)

    def reset(self) -> None:
        """Delete every stored object and restart the fault plan from its seed."""
        if self._store is None:
            raise RuntimeError("the sandbox is not running")
        self._store.reset()
        injector = self._faults.injector
        self.set_faults(None if injector is None else injector.plan)

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        # An explicit IPPROTO_TCP makes asyncio set TCP_NODELAY on accepted connections;
        # without it uvicorn's separate header and body writes wait 40 ms on delayed ACKs.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self._host, self._port))
            sock.listen(128)
        except OSError:
            sock.close()
            raise
        return sock

    async def _drop(self, scope: Scope, reset: bool) -> None:
        # ASGI cannot close a connection unanswered, so this reaches into uvicorn: its open
        # connections are in server_state, and the scope's client address names ours. When
        # none matches, the client has already closed it, which is all a drop asks for.
        for protocol in list(self._server.server_state.connections):
            if getattr(protocol, "client", None) == scope.get("client"):
                transport = protocol.transport
                if reset:
                    # Linger 0 turns the close into a TCP RST, a real "connection reset".
                    raw = transport.get_extra_info("socket")
                    raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                transport.abort()
                # Let uvicorn register the loss before the app returns, or it logs an error.
                await asyncio.sleep(0)
                return

    def _run(self, server: Any, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as failure:  # noqa: BLE001 - reported by start()
            self._failure = failure

    def start(self) -> Self:
        """Start serving; return once the socket accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the sandbox is already running")
        self._failure = None
        self._faults.closing.clear()
        self._store = Store(self._db_path)
        self._socket = self._bind()
        app = FaultMiddleware(build_app(self._store, self._options), self._faults, self._drop)
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=self._access_log,
            lifespan="off",
            interface="asgi3",
            http="h11",
            ws="none",
            loop="asyncio",
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._run, args=(self._server, self._socket), name="kodexa-sandbox", daemon=True
        )
        self._thread.start()
        self._wait_until_serving(self._socket.getsockname()[:2])
        return self

    def _wait_until_serving(self, address: tuple[str, int]) -> None:
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        while not self._server.started:
            thread = self._thread
            if thread is None or not thread.is_alive() or time.monotonic() > deadline:
                failure = self._failure
                self.stop()
                raise RuntimeError("the sandbox did not start") from failure
            time.sleep(0.005)
        with socket.create_connection(address, timeout=_STARTUP_TIMEOUT):
            pass

    def stop(self) -> None:
        """Stop serving and release the port, the thread and the database; idempotent."""
        thread, server = self._thread, self._server
        if thread is not None:
            self._faults.closing.set()
            server.should_exit = True
            thread.join(_SHUTDOWN_TIMEOUT)
            if thread.is_alive():
                server.force_exit = True
                thread.join(_SHUTDOWN_TIMEOUT)
        if self._socket is not None:
            self._socket.close()
        if self._store is not None:
            self._store.close()
        self._thread = self._server = self._socket = self._store = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
