from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.legacy_error import LegacyError
from ...models.organization import Organization
from ...types import Response


def _get_kwargs(
    *,
    body: Organization,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/organizations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LegacyError | Organization | None:
    if response.status_code == 200:
        response_200 = Organization.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Organization.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = LegacyError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = LegacyError.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = LegacyError.from_dict(response.json())

        return response_403

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
) -> Response[LegacyError | Organization]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Organization,
) -> Response[LegacyError | Organization]:
    """Create an organization

     Creates an organization. The legacy server answers 200 and the API reference lists
    201; both carry the created organization.

    Args:
        body (Organization): An organization is the top-level tenant in Kodexa.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | Organization]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: Organization,
) -> LegacyError | Organization | None:
    """Create an organization

     Creates an organization. The legacy server answers 200 and the API reference lists
    201; both carry the created organization.

    Args:
        body (Organization): An organization is the top-level tenant in Kodexa.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | Organization
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Organization,
) -> Response[LegacyError | Organization]:
    """Create an organization

     Creates an organization. The legacy server answers 200 and the API reference lists
    201; both carry the created organization.

    Args:
        body (Organization): An organization is the top-level tenant in Kodexa.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegacyError | Organization]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: Organization,
) -> LegacyError | Organization | None:
    """Create an organization

     Creates an organization. The legacy server answers 200 and the API reference lists
    201; both carry the created organization.

    Args:
        body (Organization): An organization is the top-level tenant in Kodexa.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegacyError | Organization
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
