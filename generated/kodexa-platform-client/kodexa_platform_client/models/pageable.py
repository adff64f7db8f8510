from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.page_sort import PageSort


T = TypeVar("T", bound="Pageable")


@_attrs_define
class Pageable:
    """The page that was asked for, as Spring describes it."""

    offset: int | None | Unset = UNSET
    """ Index of the page's first item in the whole result. """
    page_number: int | None | Unset = UNSET
    """ The page's number, counted from 0. """
    page_size: int | None | Unset = UNSET
    """ The page size that was asked for. """
    paged: bool | None | Unset = UNSET
    unpaged: bool | None | Unset = UNSET
    sort: None | PageSort | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.page_sort import PageSort  # noqa: PLC0415

        offset: int | None | Unset
        if isinstance(self.offset, Unset):
            offset = UNSET
        else:
            offset = self.offset

        page_number: int | None | Unset
        if isinstance(self.page_number, Unset):
            page_number = UNSET
        else:
            page_number = self.page_number

        page_size: int | None | Unset
        if isinstance(self.page_size, Unset):
            page_size = UNSET
        else:
            page_size = self.page_size

        paged: bool | None | Unset
        if isinstance(self.paged, Unset):
            paged = UNSET
        else:
            paged = self.paged

        unpaged: bool | None | Unset
        if isinstance(self.unpaged, Unset):
            unpaged = UNSET
        else:
            unpaged = self.unpaged

        sort: dict[str, Any] | None | Unset
        if isinstance(self.sort, Unset):
            sort = UNSET
        elif isinstance(self.sort, PageSort):
            sort = self.sort.to_dict()
        else:
            sort = self.sort

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if offset is not UNSET:
            field_dict["offset"] = offset
        if page_number is not UNSET:
            field_dict["pageNumber"] = page_number
        if page_size is not UNSET:
            field_dict["pageSize"] = page_size
        if paged is not UNSET:
            field_dict["paged"] = paged
        if unpaged is not UNSET:
            field_dict["unpaged"] = unpaged
        if sort is not UNSET:
            field_dict["sort"] = sort

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        offset: int | None | Unset = d.pop("offset", UNSET)

        page_number: int | None | Unset = d.pop("pageNumber", UNSET)

        page_size: int | None | Unset = d.pop("pageSize", UNSET)

        paged: bool | None | Unset = d.pop("paged", UNSET)

        unpaged: bool | None | Unset = d.pop("unpaged", UNSET)

        sort__data = d.pop("sort", UNSET)
        sort: None | PageSort | Unset
        if isinstance(sort__data, dict):
            try:
                sort_type_0 = PageSort.from_dict(sort__data)

                sort = sort_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                sort = cast(None | PageSort | Unset, sort__data)
        else:
            sort = sort__data

        pageable = cls(
            offset=offset,
            page_number=page_number,
            page_size=page_size,
            paged=paged,
            unpaged=unpaged,
            sort=sort,
        )

        pageable.additional_properties = d
        return pageable

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
from ..models.page_sort import PageSort
