from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """A platform user, as it appears inside a membership."""

    id: None | str | Unset = UNSET
    """ The user's id, a UUID string. """
    uuid: None | str | Unset = UNSET
    """ A secondary id. """
    change_sequence: int | None | Unset = UNSET
    """ Optimistic-locking version. """
    created_on: datetime.datetime | None | Unset = UNSET
    """ When the user was created. """
    updated_on: datetime.datetime | None | Unset = UNSET
    """ When the user last changed. """
    email: None | str | Unset = UNSET
    """ The user's email address. """
    first_name: None | str | Unset = UNSET
    """ Given name. """
    last_name: None | str | Unset = UNSET
    """ Family name. """
    activated: bool | None | Unset = UNSET
    """ Whether the user has activated the account. """
    platform_admin: bool | None | Unset = UNSET
    """ Whether the user administers the whole platform. """
    last_connected: datetime.datetime | None | Unset = UNSET
    """ When the user was last seen. """
    has_image: bool | None | Unset = UNSET
    """ Whether the user has an avatar image. """
    user_type: None | str | Unset = UNSET
    """ The kind of user, such as HUMAN. An open set. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
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

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        first_name: None | str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_name: None | str | Unset
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name

        activated: bool | None | Unset
        if isinstance(self.activated, Unset):
            activated = UNSET
        else:
            activated = self.activated

        platform_admin: bool | None | Unset
        if isinstance(self.platform_admin, Unset):
            platform_admin = UNSET
        else:
            platform_admin = self.platform_admin

        last_connected: None | str | Unset
        if isinstance(self.last_connected, Unset):
            last_connected = UNSET
        elif isinstance(self.last_connected, datetime.datetime):
            last_connected = self.last_connected.isoformat()
        else:
            last_connected = self.last_connected

        has_image: bool | None | Unset
        if isinstance(self.has_image, Unset):
            has_image = UNSET
        else:
            has_image = self.has_image

        user_type: None | str | Unset
        if isinstance(self.user_type, Unset):
            user_type = UNSET
        else:
            user_type = self.user_type

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
        if email is not UNSET:
            field_dict["email"] = email
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if last_name is not UNSET:
            field_dict["lastName"] = last_name
        if activated is not UNSET:
            field_dict["activated"] = activated
        if platform_admin is not UNSET:
            field_dict["platformAdmin"] = platform_admin
        if last_connected is not UNSET:
            field_dict["lastConnected"] = last_connected
        if has_image is not UNSET:
            field_dict["hasImage"] = has_image
        if user_type is not UNSET:
            field_dict["userType"] = user_type

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

        email: None | str | Unset = d.pop("email", UNSET)

        first_name: None | str | Unset = d.pop("firstName", UNSET)

        last_name: None | str | Unset = d.pop("lastName", UNSET)

        activated: bool | None | Unset = d.pop("activated", UNSET)

        platform_admin: bool | None | Unset = d.pop("platformAdmin", UNSET)

        last_connected__data = d.pop("lastConnected", UNSET)
        last_connected: datetime.datetime | None | Unset
        if isinstance(last_connected__data, str):
            try:
                last_connected_type_0 = datetime.datetime.fromisoformat(last_connected__data)

                last_connected = last_connected_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                last_connected = cast(datetime.datetime | None | Unset, last_connected__data)
        else:
            last_connected = last_connected__data

        has_image: bool | None | Unset = d.pop("hasImage", UNSET)

        user_type: None | str | Unset = d.pop("userType", UNSET)

        user = cls(
            id=id,
            uuid=uuid,
            change_sequence=change_sequence,
            created_on=created_on,
            updated_on=updated_on,
            email=email,
            first_name=first_name,
            last_name=last_name,
            activated=activated,
            platform_admin=platform_admin,
            last_connected=last_connected,
            has_image=has_image,
            user_type=user_type,
        )

        user.additional_properties = d
        return user

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
