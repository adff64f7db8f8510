"""A client library for accessing Kodexa Platform Memberships and Organizations API"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
