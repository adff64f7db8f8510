from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OrganizationMemory")


@_attrs_define
class OrganizationMemory:
    """Remembered user-interface state of an organization."""

    ordered_dashboards: list[str] | None | Unset = UNSET
    """ Dashboard ids in display order. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ordered_dashboards: list[str] | None | Unset
        if isinstance(self.ordered_dashboards, Unset):
            ordered_dashboards = UNSET
        elif isinstance(self.ordered_dashboards, list):
            ordered_dashboards = self.ordered_dashboards

        else:
            ordered_dashboards = self.ordered_dashboards

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if ordered_dashboards is not UNSET:
            field_dict["orderedDashboards"] = ordered_dashboards

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ordered_dashboards__data = d.pop("orderedDashboards", UNSET)
        ordered_dashboards: list[str] | None | Unset
        if isinstance(ordered_dashboards__data, list):
            try:
                ordered_dashboards_type_0 = cast(list[str], ordered_dashboards__data)

                ordered_dashboards = ordered_dashboards_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                ordered_dashboards = cast(list[str] | None | Unset, ordered_dashboards__data)
        else:
            ordered_dashboards = ordered_dashboards__data

        organization_memory = cls(
            ordered_dashboards=ordered_dashboards,
        )

        organization_memory.additional_properties = d
        return organization_memory

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
