"""Works out a client's settings from its arguments, the environment and the defaults."""

from __future__ import annotations

import ipaddress
import logging
import math
import os
import platform
import re
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version

import httpx

from ._constants import (
    DEFAULT_BASE_URL,
    ENV_API_KEYS,
    ENV_BASE_URL,
    ENV_LOG,
    MAX_TIMEOUT,
)
from ._exceptions import ConfigurationError
from ._redaction import Secret

_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


def _version() -> str:
    try:
        return version("kodexa-platform")
    except PackageNotFoundError:  # pragma: no cover - only when run from an unbuilt tree
        return "0+unknown"


VERSION = _version()

USER_AGENT = (
    f"kodexa-platform-python/{VERSION} httpx/{httpx.__version__} python/{platform.python_version()}"
)


_KEY = re.compile(r"[\x21-\x7e]+")


def _checked_key(value: str, source: str) -> Secret:
    # A header value with a newline or a non-ASCII character fails deep in the HTTP layer,
    # whose error message quotes the value; refuse it here, without echoing it.
    if not _KEY.fullmatch(value):
        raise ConfigurationError(
            f"the API key from {source} contains spaces, control or non-ASCII characters; "
            "check that it was pasted whole and on one line"
        )
    return Secret(value)


def api_key(explicit: str | None, environ: Mapping[str, str]) -> Secret:
    if explicit is not None:
        if not isinstance(explicit, str) or not explicit.strip():
            raise ConfigurationError("api_key must be a non-empty string")
        return _checked_key(explicit.strip(), "api_key")
    for name in ENV_API_KEYS:
        value = environ.get(name, "").strip()
        if value:
            return _checked_key(value, name)
    names = " or ".join(ENV_API_KEYS)
    raise ConfigurationError(
        f"no API key: pass api_key=... or set {names} (create a key in the Kodexa platform "
        "under your profile's API keys)"
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def base_url(explicit: str | None, environ: Mapping[str, str], *, allow_insecure: bool) -> str:
    raw = explicit if explicit is not None else environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    if not isinstance(raw, str):
        raise ConfigurationError(f"base_url must be a string, got {type(raw).__name__}")
    try:
        url = httpx.URL(raw.strip())
    except httpx.InvalidURL as error:
        raise ConfigurationError(f"base_url {raw!r} is not a URL: {error}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"base_url must be an http(s) URL with a host, such as {DEFAULT_BASE_URL}; got {raw!r}"
        )
    # httpx parses any number as a port; the socket layer would wrap 99999 round to 34463.
    if url.port is not None and not 0 < url.port < 2**16:
        raise ConfigurationError(f"base_url has no valid port (1 to 65535): {raw!r}")
    if url.userinfo or url.query or url.fragment:
        raise ConfigurationError(
            "base_url must not carry credentials, a query or a fragment; "
            "the API key goes in api_key=..."
        )
    if url.scheme == "http" and not allow_insecure and not _is_loopback(url.host):
        raise ConfigurationError(
            f"refusing to send the API key in clear text to {url.host}: use https, or pass "
            "allow_insecure_http=True if this network is trusted"
        )
    return str(url).rstrip("/")


def timeout(value: float | httpx.Timeout) -> httpx.Timeout:
    """A finite timeout: an unbounded one would let a dead connection hang a caller."""
    result = value if isinstance(value, httpx.Timeout) else None
    if result is None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigurationError(f"timeout must be seconds or an httpx.Timeout, got {value!r}")
        result = httpx.Timeout(float(value))
    parts = (result.connect, result.read, result.write, result.pool)
    if not all(
        isinstance(part, int | float) and math.isfinite(part) and 0 < part <= MAX_TIMEOUT
        for part in parts
    ):
        raise ConfigurationError(
            f"every part of the timeout must be a positive number of seconds up to "
            f"{MAX_TIMEOUT:.0f}: {result}"
        )
    return result


def max_retries(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, got {value!r}")
    return value


def configure_logging(environ: Mapping[str, str] = os.environ) -> None:
    """Honour ``KODEXA_LOG=info|debug`` by printing the client's log to stderr.

    Applications that configure logging themselves should leave the variable unset and
    attach handlers to the ``kodexa_platform`` logger as they like.
    """
    level = _LOG_LEVELS.get(environ.get(ENV_LOG, "").strip().lower())
    if level is None:
        return
    logger = logging.getLogger("kodexa_platform")
    logger.setLevel(level)
    if not any(getattr(h, "_kodexa_env", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler._kodexa_env = True  # type: ignore[attr-defined]  # marks our own handler
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
