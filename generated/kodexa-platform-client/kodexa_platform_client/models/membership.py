from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.organization import Organization
    from ..models.user import User


T = TypeVar("T", bound="Membership")


@_attrs_define
class Membership:
    """A membership links a user to an organization with a specific role. The published
    schema marks no field required; the server assigns `id`, `uuid`, `createdOn` and
    `updatedOn`.

    """

    id: None | str | Unset = UNSET
    """ The membership's id, a UUID string, assigned by the server. """
    uuid: None | str | Unset = UNSET
    """ A secondary id, assigned by the server. """
    change_sequence: int | None | Unset = UNSET
    """ Optimistic-locking version. Send back the value read on update. """
    created_on: datetime.datetime | None | Unset = UNSET
    """ When the membership was created, assigned by the server. """
    updated_on: datetime.datetime | None | Unset = UNSET
    """ When the membership last changed, assigned by the server. """
    organization: None | Organization | Unset = UNSET
    """ The organization the user belongs to. """
    organization_id: None | str | Unset = UNSET
    """ The organization's id. """
    role: None | str | Unset = UNSET
    """ The user's role in the organization. The API reference's prose names owner,
    admin, member and viewer; the SDK and the older generated client use OWNER, READ
    and WRITE. The set is open: a value not listed here is kept as it arrives.
     """
    user: None | str | Unset | User = UNSET
    """ The member. The current API reference renders this field as a base64 string (its
    example payload carries one), while the older reference, the older generated
    client and the SDK carry a full User object. The base64 form also appears on
    other relation fields of the new reference, which points to an artefact of its
    generator. Both forms are accepted.
     """
    user_id: None | str | Unset = UNSET
    """ The user's id. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.organization import Organization  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        uuid: None | str | Unset
        if isinstance(self.uuid, Unset):
            uuid = UNSET
        else:
            uuid = self.uuid

        change_sequence: int | None | Unset
        if isinstance(self.change_sequence, Unset):
            change_sequence = UNSET
        else:
            change_sequence = self.change_sequence

        created_on: None | str | Unset
        if isinstance(self.created_on, Unset):
            created_on = UNSET
        elif isinstance(self.created_on, datetime.datetime):
            created_on = self.created_on.isoformat()
        else:
            created_on = self.created_on

        updated_on: None | str | Unset
        if isinstance(self.updated_on, Unset):
            updated_on = UNSET
        elif isinstance(self.updated_on, datetime.datetime):
            updated_on = self.updated_on.isoformat()
        else:
            updated_on = self.updated_on

        organization: dict[str, Any] | None | Unset
        if isinstance(self.organization, Unset):
            organization = UNSET
        elif isinstance(self.organization, Organization):
            organization = self.organization.to_dict()
        else:
            organization = self.organization

        organization_id: None | str | Unset
        if isinstance(self.organization_id, Unset):
            organization_id = UNSET
        else:
            organization_id = self.organization_id

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        else:
            role = self.role

        user: dict[str, Any] | None | str | Unset
        if isinstance(self.user, Unset):
            user = UNSET
        elif isinstance(self.user, User):
            user = self.user.to_dict()
        else:
            user = self.user

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        else:
            user_id = self.user_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if uuid is not UNSET:
            field_dict["uuid"] = uuid
        if change_sequence is not UNSET:
            field_dict["changeSequence"] = change_sequence
        if created_on is not UNSET:
            field_dict["createdOn"] = created_on
        if updated_on is not UNSET:
            field_dict["updatedOn"] = updated_on
        if organization is not UNSET:
            field_dict["organization"] = organization
        if organization_id is not UNSET:
            field_dict["organizationId"] = organization_id
        if role is not UNSET:
            field_dict["role"] = role
        if user is not UNSET:
            field_dict["user"] = user
        if user_id is not UNSET:
            field_dict["userId"] = user_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id: None | str | Unset = d.pop("id", UNSET)

        uuid: None | str | Unset = d.pop("uuid", UNSET)

        change_sequence: int | None | Unset = d.pop("changeSequence", UNSET)

        created_on__data = d.pop("createdOn", UNSET)
        created_on: datetime.datetime | None | Unset
        if isinstance(created_on__data, str):
            try:
                created_on_type_0 = datetime.datetime.fromisoformat(created_on__data)

                created_on = created_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                created_on = cast(datetime.datetime | None | Unset, created_on__data)
        else:
            created_on = created_on__data

        updated_on__data = d.pop("updatedOn", UNSET)
        updated_on: datetime.datetime | None | Unset
        if isinstance(updated_on__data, str):
            try:
                updated_on_type_0 = datetime.datetime.fromisoformat(updated_on__data)

                updated_on = updated_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                updated_on = cast(datetime.datetime | None | Unset, updated_on__data)
        else:
            updated_on = updated_on__data

        organization__data = d.pop("organization", UNSET)
        organization: None | Organization | Unset
        if isinstance(organization__data, dict):
            try:
                organization_type_0 = Organization.from_dict(organization__data)

                organization = organization_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                organization = cast(None | Organization | Unset, organization__data)
        else:
            organization = organization__data

        organization_id: None | str | Unset = d.pop("organizationId", UNSET)

        role: None | str | Unset = d.pop("role", UNSET)

        user__data = d.pop("user", UNSET)
        user: None | str | Unset | User
        if isinstance(user__data, dict):
            try:
                user_type_0 = User.from_dict(user__data)

                user = user_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                user = cast(None | str | Unset | User, user__data)
        else:
            user = user__data

        user_id: None | str | Unset = d.pop("userId", UNSET)

        membership = cls(
            id=id,
            uuid=uuid,
            change_sequence=change_sequence,
            created_on=created_on,
            updated_on=updated_on,
            organization=organization,
            organization_id=organization_id,
            role=role,
            user=user,
            user_id=user_id,
        )

        membership.additional_properties = d
        return membership

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# Imported here, once the class above exists, for from_dict: see the note in the template.
from ..models.organization import Organization
from ..models.user import User
