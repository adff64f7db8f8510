from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.legacy_error import LegacyError
from ...models.page_membership import PageMembership
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    query: str | Unset = "*",
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    sort: str | Unset = UNSET,
    filter_: list[str] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["query"] = query

    params["page"] = page

    params["pageSize"] = page_size

    params["sort"] = sort

    json_filter_: list[str] | Unset = UNSET
    if not isinstance(filter_, Unset):
        json_filter_ = filter_

    params["filter"] = json_filter_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/memberships",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LegacyError | PageMembership | None:
    if response.status_code == 200:
        response_200 = PageMembership.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = LegacyError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = LegacyError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = LegacyError.from_dict(response.json())

        return response_403

    if response.status_code == 500:
        response_500 = LegacyError.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[LegacyError | PageMembership]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    query: str | Unset = "*",
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    sort: str | Unset = UNSET,
    filter_: list[str] | Unset = UNSET,
) -> Response[LegacyError | PageMembership]:
    """List memberships

     One page of memberships matching the query and filters.

    Args:
        query (str | Unset):  Default: '*'.
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        sort (str | Unset):
        filter_ (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | PageMembership]
    """

    kwargs = _get_kwargs(
        query=query,
        page=page,
        page_size=page_size,
        sort=sort,
        filter_=filter_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    query: str | Unset = "*",
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    sort: str | Unset = UNSET,
    filter_: list[str] | Unset = UNSET,
) -> LegacyError | PageMembership | None:
    """List memberships

     One page of memberships matching the query and filters.

    Args:
        query (str | Unset):  Default: '*'.
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        sort (str | Unset):
        filter_ (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | PageMembership
    """

    return sync_detailed(
        client=client,
        query=query,
        page=page,
        page_size=page_size,
        sort=sort,
        filter_=filter_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    query: str | Unset = "*",
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    sort: str | Unset = UNSET,
    filter_: list[str] | Unset = UNSET,
) -> Response[LegacyError | PageMembership]:
    """List memberships

     One page of memberships matching the query and filters.

    Args:
        query (str | Unset):  Default: '*'.
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        sort (str | Unset):
        filter_ (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | PageMembership]
    """

    kwargs = _get_kwargs(
        query=query,
        page=page,
        page_size=page_size,
        sort=sort,
        filter_=filter_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    query: str | Unset = "*",
    page: int | Unset = 1,
    page_size: int | Unset = 20,
    sort: str | Unset = UNSET,
    filter_: list[str] | Unset = UNSET,
) -> LegacyError | PageMembership | None:
    """List memberships

     One page of memberships matching the query and filters.

    Args:
        query (str | Unset):  Default: '*'.
        page (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 20.
        sort (str | Unset):
        filter_ (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | PageMembership
    """

    return (
        await asyncio_detailed(
            client=client,
            query=query,
            page=page,
            page_size=page_size,
            sort=sort,
            filter_=filter_,
        )
    ).parsed
