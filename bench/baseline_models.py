"""The pydantic v2 baseline: models of the same shape as the generated ones.

Same fields, the same camelCase names on the wire, timestamps parsed to ``datetime``, unknown
fields kept (``extra="allow"``, as the generated ``additional_properties`` keep them), and the
``user`` field's object-or-string union. What pydantic checks here is what the wrapper's
schema check plus ``from_dict`` do, so the two paths do comparable work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")


class AuthGroupLink(_Model):
    auth_group: str | None = None


class OrganizationMemory(_Model):
    ordered_dashboards: list[str] | None = None


class Organization(_Model):
    name: str
    slug: str
    id: str | None = None
    uuid: str | None = None
    change_sequence: int | None = None
    created_on: dt.datetime | None = None
    updated_on: dt.datetime | None = None
    description: str | None = None
    organization_status: str | None = None
    features: dict[str, Any] | None = None
    properties: dict[str, Any] | None = None
    memory: OrganizationMemory | None = None
    auth_group_link: AuthGroupLink | None = None
    default_to_private_templates: bool | None = None
    enterprise_organization: bool | None = None
    has_image: bool | None = None
    public_access: bool | None = None
    support_access: bool | None = None
    support_access_expires_at: dt.datetime | None = None
    search_text: str | None = None
    stripe_customer_id: str | None = None


class User(_Model):
    id: str | None = None
    uuid: str | None = None
    change_sequence: int | None = None
    created_on: dt.datetime | None = None
    updated_on: dt.datetime | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    activated: bool | None = None
    platform_admin: bool | None = None
    has_image: bool | None = None
    last_connected: dt.datetime | None = None
    user_type: str | None = None


class Membership(_Model):
    id: str | None = None
    uuid: str | None = None
    change_sequence: int | None = None
    created_on: dt.datetime | None = None
    updated_on: dt.datetime | None = None
    organization: Organization | None = None
    organization_id: str | None = None
    role: str | None = None
    user: User | str | None = None
    user_id: str | None = None


class PageSort(_Model):
    empty: bool | None = None
    sorted: bool | None = None
    unsorted: bool | None = None


class Pageable(_Model):
    offset: int | None = None
    page_number: int | None = None
    page_size: int | None = None
    paged: bool | None = None
    unpaged: bool | None = None
    sort: PageSort | None = None


class PageMembership(_Model):
    content: list[Membership] | None = None
    empty: bool | None = None
    first: bool | None = None
    last: bool | None = None
    number: int | None = None
    number_of_elements: int | None = None
    pageable: Pageable | None = None
    size: int | None = None
    sort: PageSort | None = None
    total_elements: int | None = None
    total_pages: int | None = None
