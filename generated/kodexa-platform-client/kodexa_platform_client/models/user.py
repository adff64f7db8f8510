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

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_uuid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        uuid = _parse_uuid(d.pop("uuid", UNSET))

        def _parse_change_sequence(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        change_sequence = _parse_change_sequence(d.pop("changeSequence", UNSET))

        def _parse_created_on(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_on_type_0 = datetime.datetime.fromisoformat(data)

                return created_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created_on = _parse_created_on(d.pop("createdOn", UNSET))

        def _parse_updated_on(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_on_type_0 = datetime.datetime.fromisoformat(data)

                return updated_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_on = _parse_updated_on(d.pop("updatedOn", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_first_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_name = _parse_first_name(d.pop("firstName", UNSET))

        def _parse_last_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_name = _parse_last_name(d.pop("lastName", UNSET))

        def _parse_activated(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        activated = _parse_activated(d.pop("activated", UNSET))

        def _parse_platform_admin(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        platform_admin = _parse_platform_admin(d.pop("platformAdmin", UNSET))

        def _parse_last_connected(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_connected_type_0 = datetime.datetime.fromisoformat(data)

                return last_connected_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_connected = _parse_last_connected(d.pop("lastConnected", UNSET))

        def _parse_has_image(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        has_image = _parse_has_image(d.pop("hasImage", UNSET))

        def _parse_user_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_type = _parse_user_type(d.pop("userType", UNSET))

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
