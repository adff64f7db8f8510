"""The API's data models: the generated attrs classes, re-exported under a stable name.

Fields the platform adds after this client was generated are kept in each model's
``additional_properties`` and sent back on update.
"""

from kodexa_platform_client.models import (
    AuthGroupLink,
    LegacyError,
    Membership,
    Organization,
    OrganizationMemory,
    Pageable,
    PageMembership,
    PageOrganization,
    PageSort,
    ProblemDetails,
    User,
)
from kodexa_platform_client.types import UNSET, Unset

__all__ = [
    "UNSET",
    "AuthGroupLink",
    "LegacyError",
    "Membership",
    "Organization",
    "OrganizationMemory",
    "PageMembership",
    "PageOrganization",
    "PageSort",
    "Pageable",
    "ProblemDetails",
    "Unset",
    "User",
]
