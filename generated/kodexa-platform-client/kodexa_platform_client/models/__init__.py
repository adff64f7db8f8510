"""Contains all the data models used in inputs/outputs"""

from .auth_group_link import AuthGroupLink
from .legacy_error import LegacyError
from .legacy_error_errors_type_0 import LegacyErrorErrorsType0
from .membership import Membership
from .organization import Organization
from .organization_features_type_0 import OrganizationFeaturesType0
from .organization_memory import OrganizationMemory
from .organization_properties_type_0 import OrganizationPropertiesType0
from .page_membership import PageMembership
from .page_organization import PageOrganization
from .page_sort import PageSort
from .pageable import Pageable
from .problem_details import ProblemDetails
from .user import User

__all__ = (
    "AuthGroupLink",
    "LegacyError",
    "LegacyErrorErrorsType0",
    "Membership",
    "Organization",
    "OrganizationFeaturesType0",
    "OrganizationMemory",
    "OrganizationPropertiesType0",
    "Pageable",
    "PageMembership",
    "PageOrganization",
    "PageSort",
    "ProblemDetails",
    "User",
)
