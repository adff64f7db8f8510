"""Builds each API call from the generated layer's request description.

The generated ``_get_kwargs`` functions are the one place that knows an operation's method,
path (with the id percent-encoded) and parameter names, so every request starts there; the
generator is pinned, which keeps that private function stable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Generic, Protocol, TypeVar, cast

import httpx
from kodexa_platform_client.api.memberships import (
    create_membership,
    delete_membership,
    get_membership,
    list_memberships,
    update_membership,
)
from kodexa_platform_client.api.organizations import (
    create_organization,
    delete_organization,
    get_organization,
    list_organizations,
    suspend_organization,
    update_organization,
)
from kodexa_platform_client.api.users import list_user_memberships
from kodexa_platform_client.models import Membership, Organization, PageMembership, PageOrganization

from . import _responses, _schema
from ._constants import MAX_PAGE_SIZE
from ._exceptions import APIResponseValidationError, RequestValidationError
from ._pagination import Page
from ._transport import Call

M = TypeVar("M", Membership, Organization)


class _Model(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class _Json:
    """Hands a ready JSON body to a generated ``_get_kwargs``, which calls ``to_dict()``."""

    payload: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.payload


@dataclass(frozen=True, slots=True)
class Kind(Generic[M]):
    """What differs between the memberships and the organizations endpoints."""

    schema: str
    model: type[M]
    page_schema: str
    page_model: type[PageMembership] | type[PageOrganization]
    create: ModuleType
    get: ModuleType
    update: ModuleType
    delete: ModuleType
    list: ModuleType


MEMBERSHIPS = Kind(
    "Membership",
    Membership,
    "PageMembership",
    PageMembership,
    create_membership,
    get_membership,
    update_membership,
    delete_membership,
    list_memberships,
)
ORGANIZATIONS = Kind(
    "Organization",
    Organization,
    "PageOrganization",
    PageOrganization,
    create_organization,
    get_organization,
    update_organization,
    delete_organization,
    list_organizations,
)


def check_id(value: object, name: str = "id") -> str:
    """Refuse ids that would address the wrong URL (``""`` would list instead of get).

    ``.`` and ``..`` are refused too: URL normalisation removes them as dot segments, so
    ``get("..")`` would reach ``/api`` itself.
    """
    if not isinstance(value, str) or not value.strip() or value in (".", ".."):
        raise RequestValidationError(
            f"{name} must be a non-empty string, got {value!r}", {name: "empty or not a string"}
        )
    if len(value) > _MAX_ID or not value.isprintable() or not _encodable(value):
        # Ids are UUIDs; anything this odd cannot be one, and would fail deep in URL encoding.
        raise RequestValidationError(
            f"{name} is not a usable id (too long, control or unencodable characters)",
            {name: "not a usable id"},
        )
    return value


_MAX_ID = 1024


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, say, from a mis-decoded byte string
        return False
    return True


def body(value: _Model | Mapping[str, Any], schema: str) -> dict[str, Any]:
    """The JSON to send for a model or a plain mapping, checked against the spec first."""
    if isinstance(value, Mapping):
        payload = dict(value)
    elif callable(getattr(value, "to_dict", None)):
        payload = value.to_dict()
    else:
        raise RequestValidationError(
            f"expected a {schema} or a mapping, got {type(value).__name__}",
            {"$": "not a model or mapping"},
        )
    try:
        # What json cannot encode (a set, a naive datetime object, a lone surrogate such as
        # "\ud800", which is no Unicode text) fails here, not mid-send.
        text = json.dumps(payload, allow_nan=False, ensure_ascii=False)
        payload = json.loads(text.encode("utf-8"))
    except (TypeError, ValueError, RecursionError) as error:
        raise RequestValidationError(
            f"{schema} body is not JSON: {error}", {"$": str(error)}
        ) from None
    found = _schema.problems(payload, schema) | _schema.misspellings(payload, schema)
    if found:
        listed = "; ".join(f"{where}: {why}" for where, why in found.items())
        raise RequestValidationError(f"{schema} body is not valid: {listed}", found)
    return cast(dict[str, Any], payload)


def _page_size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        raise RequestValidationError(
            f"page_size must be an integer from 1 to {MAX_PAGE_SIZE}, got {value!r}",
            {"page_size": "out of range"},
        )
    return value


def _text_option(value: object, name: str, *, optional: bool) -> None:
    if (value is None and optional) or isinstance(value, str):
        return
    raise RequestValidationError(
        f"{name} must be a string{' or None' if optional else ''}, got {type(value).__name__}",
        {name: "not a string"},
    )


def _filters(value: str | Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    # A one-shot iterator would be used up by the first page, and the next pages would
    # then go out unfiltered: only a real sequence is accepted.
    if not isinstance(items, Sequence) or not all(
        isinstance(item, str) and item.strip() for item in items
    ):
        raise RequestValidationError(
            "filter must be a string or a sequence of non-empty strings", {"filter": "bad"}
        )
    return list(items)


def _to_page(response: httpx.Response, kind: Kind[M], number: int, size: int) -> Page[M]:
    raw = kind.page_model.from_dict(_responses.json_body(response, kind.page_schema))
    items = cast(list[M], raw.content if isinstance(raw.content, list) else [])
    sent = raw.number
    if isinstance(sent, int) and sent != number - 1:
        # A server (or proxy) that ignores `page` would make the pager loop for ever.
        raise APIResponseValidationError(
            f"asked for page {number} (number {number - 1} in the body) but got number {sent}",
            response=response,
            body=response.text,
        )
    total_items = raw.total_elements if isinstance(raw.total_elements, int) else None
    total_pages = raw.total_pages if isinstance(raw.total_pages, int) else None
    if total_pages is None and total_items is not None:
        total_pages = -(-total_items // size)  # integer ceiling: JSON totals can exceed a float
    # Any one signal that this is the end is believed: a server whose `last` disagrees with
    # its own totals must not keep the walk going for ever.
    is_last = (
        raw.last is True
        or (total_pages is not None and number >= total_pages)
        or (not isinstance(raw.last, bool) and total_pages is None and len(items) < size)
    )
    return Page(items, number, size, total_items, total_pages, is_last, raw, response)


def create(kind: Kind[M], value: M | Mapping[str, Any]) -> Call[M]:
    payload = body(value, kind.schema)
    request = kind.create._get_kwargs(body=_Json(payload))
    return Call(request, False, _parser(kind))


def get(kind: Kind[M], id: str) -> Call[M]:
    request = kind.get._get_kwargs(check_id(id))
    return Call(request, True, _parser(kind))


def update(kind: Kind[M], id: str, value: M | Mapping[str, Any]) -> Call[M]:
    checked = check_id(id)  # first, so a bad id is the error reported, not the body
    payload = body(value, kind.schema)
    if isinstance(payload.get("changeSequence"), bool) or not isinstance(
        payload.get("changeSequence"), int
    ):
        # Without it the platform cannot tell a stale write from a fresh one, and the update
        # would silently overwrite whatever changed since the object was read.
        raise RequestValidationError(
            f"an update needs the {kind.schema}'s changeSequence: get it, change it, send it back",
            {"$.changeSequence": "required on update"},
        )
    request = kind.update._get_kwargs(checked, body=_Json(payload))
    return Call(request, True, _parser(kind))


def delete(kind: Kind[M], id: str, *, force: bool | None) -> Call[None]:
    if force is not None and not isinstance(force, bool):
        raise RequestValidationError(
            f"force must be True, False or None, got {force!r}", {"force": "not a bool"}
        )
    options = {} if force is None else {"force": force}
    request = kind.delete._get_kwargs(check_id(id), **options)
    # 200 with an empty body (legacy) and 204 both mean done; there is nothing to read.
    return Call(request, True, lambda response: None)


def list_page(
    kind: Kind[M],
    *,
    page: int,
    page_size: int,
    query: str,
    filter: str | Sequence[str] | None,
    sort: str | None,
) -> Call[Page[M]]:
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page < 2**31:
        raise RequestValidationError(
            f"page counts from 1, got {page!r}", {"page": "must be an integer >= 1"}
        )
    size = _page_size(page_size)
    _text_option(query, "query", optional=False)
    _text_option(sort, "sort", optional=True)
    request = kind.list._get_kwargs(
        query=query, page=page, page_size=size, sort=sort, filter_=_filters(filter)
    )
    return Call(request, True, lambda response: _to_page(response, kind, page, size))


def suspend(id: str) -> Call[Organization]:
    request = suspend_organization._get_kwargs(check_id(id))
    return Call(request, True, _parser(ORGANIZATIONS))


def user_memberships(user_id: str) -> Call[list[Membership]]:
    request = list_user_memberships._get_kwargs(check_id(user_id, "user_id"))
    return Call(
        request,
        True,
        lambda response: _responses.models(response, "Membership", Membership.from_dict),
    )


def _parser(kind: Kind[M]) -> Callable[[httpx.Response], M]:
    def parse(response: httpx.Response) -> M:
        return _responses.model(response, kind.schema, kind.model.from_dict)

    return parse
