from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PageSort")


@_attrs_define
class PageSort:
    """How a page was sorted."""

    empty: bool | None | Unset = UNSET
    sorted_: bool | None | Unset = UNSET
    unsorted: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        empty: bool | None | Unset
        if isinstance(self.empty, Unset):
            empty = UNSET
        else:
            empty = self.empty

        sorted_: bool | None | Unset
        if isinstance(self.sorted_, Unset):
            sorted_ = UNSET
        else:
            sorted_ = self.sorted_

        unsorted: bool | None | Unset
        if isinstance(self.unsorted, Unset):
            unsorted = UNSET
        else:
            unsorted = self.unsorted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if empty is not UNSET:
            field_dict["empty"] = empty
        if sorted_ is not UNSET:
            field_dict["sorted"] = sorted_
        if unsorted is not UNSET:
            field_dict["unsorted"] = unsorted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        empty: bool | None | Unset = d.pop("empty", UNSET)

        sorted_: bool | None | Unset = d.pop("sorted", UNSET)

        unsorted: bool | None | Unset = d.pop("unsorted", UNSET)

        page_sort = cls(
            empty=empty,
            sorted_=sorted_,
            unsorted=unsorted,
        )

        page_sort.additional_properties = d
        return page_sort

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
