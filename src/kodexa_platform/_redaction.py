"""Keeps the API key out of everything a person might read or a log might keep."""

from __future__ import annotations

from collections.abc import Generator

import httpx

from ._constants import API_KEY_HEADER

REDACTED = "[redacted]"
_MASKABLE = 6


class Secret:
    """A string that never shows itself in ``repr``, ``str`` or a format string."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def mask(self, text: str) -> str:
        """Replace every occurrence of the secret in ``text``; servers sometimes echo it."""
        # A key of a few characters would turn every "e" of a message into [redacted]; such
        # a key is not a secret worth the noise.
        if len(self._value) < _MASKABLE:
            return text
        return text.replace(self._value, REDACTED)

    def __repr__(self) -> str:
        return f"Secret({REDACTED})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would write the key to disk or a queue in clear text.
        raise TypeError("a Secret cannot be pickled")


class ApiKeyAuth(httpx.Auth):
    """Adds the ``x-api-key`` header to each request; its ``repr`` hides the key.

    Give it to an ``httpx.Client`` of your own to call the generated layer directly.
    """

    def __init__(self, api_key: str | Secret) -> None:
        self._key = api_key if isinstance(api_key, Secret) else Secret(api_key)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[API_KEY_HEADER] = self._key.reveal()
        yield request

    def __repr__(self) -> str:
        return f"ApiKeyAuth({REDACTED})"
