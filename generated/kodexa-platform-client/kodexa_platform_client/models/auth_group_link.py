from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AuthGroupLink")


@_attrs_define
class AuthGroupLink:
    """Link to an external authentication group."""

    auth_group: None | str | Unset = UNSET
    """ The authentication group's name. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auth_group: None | str | Unset
        if isinstance(self.auth_group, Unset):
            auth_group = UNSET
        else:
            auth_group = self.auth_group

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if auth_group is not UNSET:
            field_dict["authGroup"] = auth_group

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        auth_group: None | str | Unset = d.pop("authGroup", UNSET)

        auth_group_link = cls(
            auth_group=auth_group,
        )

        auth_group_link.additional_properties = d
        return auth_group_link

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
