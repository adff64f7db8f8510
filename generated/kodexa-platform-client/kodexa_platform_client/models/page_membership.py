from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.membership import Membership
    from ..models.page_sort import PageSort
    from ..models.pageable import Pageable


T = TypeVar("T", bound="PageMembership")


@_attrs_define
class PageMembership:
    """One page of memberships, in Spring's page shape. `number` counts from 0 although the
    `page` parameter counts from 1.

    """

    content: list[Membership] | None | Unset = UNSET
    first: bool | None | Unset = UNSET
    """ Whether this is the first page. """
    last: bool | None | Unset = UNSET
    """ Whether this is the last page. """
    number: int | None | Unset = UNSET
    """ This page's number, counted from 0. """
    number_of_elements: int | None | Unset = UNSET
    """ How many items this page holds. """
    size: int | None | Unset = UNSET
    """ The page size that was asked for. """
    total_elements: int | None | Unset = UNSET
    """ How many items match, over all pages. """
    total_pages: int | None | Unset = UNSET
    """ How many pages there are. """
    empty: bool | None | Unset = UNSET
    """ Whether this page holds nothing. """
    pageable: None | Pageable | Unset = UNSET
    sort: None | PageSort | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.page_sort import PageSort  # noqa: PLC0415
        from ..models.pageable import Pageable  # noqa: PLC0415

        content: list[dict[str, Any]] | None | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        elif isinstance(self.content, list):
            content = []
            for content_type_0_item_data in self.content:
                content_type_0_item = content_type_0_item_data.to_dict()
                content.append(content_type_0_item)

        else:
            content = self.content

        first: bool | None | Unset
        if isinstance(self.first, Unset):
            first = UNSET
        else:
            first = self.first

        last: bool | None | Unset
        if isinstance(self.last, Unset):
            last = UNSET
        else:
            last = self.last

        number: int | None | Unset
        if isinstance(self.number, Unset):
            number = UNSET
        else:
            number = self.number

        number_of_elements: int | None | Unset
        if isinstance(self.number_of_elements, Unset):
            number_of_elements = UNSET
        else:
            number_of_elements = self.number_of_elements

        size: int | None | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        else:
            size = self.size

        total_elements: int | None | Unset
        if isinstance(self.total_elements, Unset):
            total_elements = UNSET
        else:
            total_elements = self.total_elements

        total_pages: int | None | Unset
        if isinstance(self.total_pages, Unset):
            total_pages = UNSET
        else:
            total_pages = self.total_pages

        empty: bool | None | Unset
        if isinstance(self.empty, Unset):
            empty = UNSET
        else:
            empty = self.empty

        pageable: dict[str, Any] | None | Unset
        if isinstance(self.pageable, Unset):
            pageable = UNSET
        elif isinstance(self.pageable, Pageable):
            pageable = self.pageable.to_dict()
        else:
            pageable = self.pageable

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
        if content is not UNSET:
            field_dict["content"] = content
        if first is not UNSET:
            field_dict["first"] = first
        if last is not UNSET:
            field_dict["last"] = last
        if number is not UNSET:
            field_dict["number"] = number
        if number_of_elements is not UNSET:
            field_dict["numberOfElements"] = number_of_elements
        if size is not UNSET:
            field_dict["size"] = size
        if total_elements is not UNSET:
            field_dict["totalElements"] = total_elements
        if total_pages is not UNSET:
            field_dict["totalPages"] = total_pages
        if empty is not UNSET:
            field_dict["empty"] = empty
        if pageable is not UNSET:
            field_dict["pageable"] = pageable
        if sort is not UNSET:
            field_dict["sort"] = sort

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content__data = d.pop("content", UNSET)
        content: list[Membership] | None | Unset
        if isinstance(content__data, list):
            try:
                content_type_0 = []
                _content_type_0 = content__data
                for content_type_0_item_data in _content_type_0:
                    content_type_0_item = Membership.from_dict(content_type_0_item_data)

                    content_type_0.append(content_type_0_item)

                content = content_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                content = cast(list[Membership] | None | Unset, content__data)
        else:
            content = content__data

        first: bool | None | Unset = d.pop("first", UNSET)

        last: bool | None | Unset = d.pop("last", UNSET)

        number: int | None | Unset = d.pop("number", UNSET)

        number_of_elements: int | None | Unset = d.pop("numberOfElements", UNSET)

        size: int | None | Unset = d.pop("size", UNSET)

        total_elements: int | None | Unset = d.pop("totalElements", UNSET)

        total_pages: int | None | Unset = d.pop("totalPages", UNSET)

        empty: bool | None | Unset = d.pop("empty", UNSET)

        pageable__data = d.pop("pageable", UNSET)
        pageable: None | Pageable | Unset
        if isinstance(pageable__data, dict):
            try:
                pageable_type_0 = Pageable.from_dict(pageable__data)

                pageable = pageable_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pageable = cast(None | Pageable | Unset, pageable__data)
        else:
            pageable = pageable__data

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

        page_membership = cls(
            content=content,
            first=first,
            last=last,
            number=number,
            number_of_elements=number_of_elements,
            size=size,
            total_elements=total_elements,
            total_pages=total_pages,
            empty=empty,
            pageable=pageable,
            sort=sort,
        )

        page_membership.additional_properties = d
        return page_membership

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
from ..models.membership import Membership
from ..models.page_sort import PageSort
from ..models.pageable import Pageable
