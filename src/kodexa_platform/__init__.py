"""A Python client for the Kodexa platform's memberships and organizations API.

    from kodexa_platform import Kodexa

    with Kodexa() as client:  # KODEXA_API_KEY and KODEXA_URL come from the environment
        org = client.organizations.create({"name": "Acme", "slug": "acme"})

The models are the generated ones (:mod:`kodexa_platform.models`); the generated client
itself is one attribute away (``client.generated``).
"""

from ._client import AsyncKodexa, Kodexa
from ._constants import DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    KodexaError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    UnprocessableEntityError,
)
from ._pagination import AsyncPager, Page, SyncPager
from ._redaction import ApiKeyAuth
from ._settings import USER_AGENT, VERSION

__version__ = VERSION

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "ApiKeyAuth",
    "AsyncKodexa",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "Kodexa",
    "KodexaError",
    "NotFoundError",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "SyncPager",
    "UnprocessableEntityError",
]
