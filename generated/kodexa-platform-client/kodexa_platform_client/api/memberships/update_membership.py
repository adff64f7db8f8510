from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.legacy_error import LegacyError
from ...models.membership import Membership
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: Membership,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/memberships/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LegacyError | Membership | None:
    if response.status_code == 200:
        response_200 = Membership.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = LegacyError.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = LegacyError.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = LegacyError.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = LegacyError.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[LegacyError | Membership]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: Membership,
) -> Response[LegacyError | Membership]:
    """Replace a membership

     Replaces the whole membership. Send back the `changeSequence` that was read: the
    platform uses it for optimistic locking.

    Args:
        id (str):
        body (Membership): A membership links a user to an organization with a specific role. The
            published
            schema marks no field required; the server assigns `id`, `uuid`, `createdOn` and
            `updatedOn`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | Membership]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: Membership,
) -> LegacyError | Membership | None:
    """Replace a membership

     Replaces the whole membership. Send back the `changeSequence` that was read: the
    platform uses it for optimistic locking.

    Args:
        id (str):
        body (Membership): A membership links a user to an organization with a specific role. The
            published
            schema marks no field required; the server assigns `id`, `uuid`, `createdOn` and
            `updatedOn`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | Membership
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: Membership,
) -> Response[LegacyError | Membership]:
    """Replace a membership

     Replaces the whole membership. Send back the `changeSequence` that was read: the
    platform uses it for optimistic locking.

    Args:
        id (str):
        body (Membership): A membership links a user to an organization with a specific role. The
            published
            schema marks no field required; the server assigns `id`, `uuid`, `createdOn` and
            `updatedOn`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | Membership]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: Membership,
) -> LegacyError | Membership | None:
    """Replace a membership

     Replaces the whole membership. Send back the `changeSequence` that was read: the
    platform uses it for optimistic locking.

    Args:
        id (str):
        body (Membership): A membership links a user to an organization with a specific role. The
            published
            schema marks no field required; the server assigns `id`, `uuid`, `createdOn` and
            `updatedOn`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | Membership
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
