"""The sandbox's routes: the API of openapi.yaml as a Starlette application."""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from kodexa_platform.testing import _filters
from kodexa_platform.testing._errors import ApiError, error_response
from kodexa_platform.testing._schema import body_errors, has_field
from kodexa_platform.testing._store import ConflictError, NotFoundError, Store

JSON = dict[str, Any]
Handler = Callable[[Request], Awaitable[Response]]

_INT32_MAX = 2**31 - 1
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
_BOOLEANS |= {"on": True, "off": False}

# The text fields a full-text ``query`` looks into.
_SEARCHABLE: dict[str, list[tuple[str, ...]]] = {
    "Organization": [("name",), ("slug",), ("description",)],
    "Membership": [
        ("role",),
        ("userId",),
        ("organizationId",),
        ("organization", "name"),
        ("organization", "slug"),
        ("user", "email"),
        ("user", "firstName"),
        ("user", "lastName"),
    ],
}


@dataclass(frozen=True)
class AppOptions:
    """How the sandbox answers where real deployments differ."""

    api_key: str | None = None
    create_status: int = 201
    delete_status: int = 204

    def __post_init__(self) -> None:
        if self.create_status not in (200, 201):
            raise ValueError("create_status must be 200 (legacy) or 201")
        if self.delete_status not in (200, 204):
            raise ValueError("delete_status must be 200 (legacy) or 204")
        if self.api_key is not None and not self.api_key:
            raise ValueError("api_key must be None (accept any key) or a non-empty string")


def _int_param(request: Request, name: str, default: int, highest: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not _INTEGER.fullmatch(raw.strip()):
        raise ApiError(400, f"Parameter '{name}' must be an integer", {name: "must be an integer"})
    value = int(raw)
    if not 1 <= value <= highest:
        message = f"must be between 1 and {highest}"
        raise ApiError(400, f"Parameter '{name}' {message}", {name: message})
    return value


def _bool_param(request: Request, name: str) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return False
    if raw.strip().lower() not in _BOOLEANS:
        raise ApiError(400, f"Parameter '{name}' must be true or false", {name: "must be boolean"})
    return _BOOLEANS[raw.strip().lower()]


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


async def _body(request: Request, schema: str) -> JSON:
    raw = await request.body()
    try:
        document = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise ApiError(400, f"Malformed JSON request body: {error}") from None
    errors = body_errors(schema, document)
    if errors:
        raise ApiError(400, f"Validation failed for {schema}", errors)
    result: JSON = document
    return result


def _page(items: Sequence[JSON], page: int, size: int, is_sorted: bool) -> JSON:
    start = (page - 1) * size
    content = list(items[start : start + size])
    total_pages = -(-len(items) // size)
    number = page - 1

    def sort() -> JSON:
        return {"empty": not is_sorted, "sorted": is_sorted, "unsorted": not is_sorted}

    return {
        "content": content,
        "first": number == 0,
        "last": number >= total_pages - 1,
        "number": number,
        "numberOfElements": len(content),
        "size": size,
        "totalElements": len(items),
        "totalPages": total_pages,
        "empty": not content,
        "pageable": {
            "offset": start,
            "pageNumber": number,
            "pageSize": size,
            "paged": True,
            "unpaged": False,
            "sort": sort(),
        },
        "sort": sort(),
    }


def _sort_keys(request: Request, schema: str) -> list[_filters.SortKey]:
    try:
        keys = _filters.parse_sort(request.query_params.getlist("sort"))
    except _filters.SortSyntaxError as error:
        raise ApiError(400, f"Invalid sort: {error}", {"sort": str(error)}) from None
    for key in keys:
        if not has_field(schema, key.path):
            name = ".".join(key.path)
            raise ApiError(400, f"No property '{name}' found for type '{schema}'", {"sort": name})
    return keys


def _filter_nodes(request: Request, schema: str) -> list[_filters.Node]:
    nodes = []
    for text in request.query_params.getlist("filter"):
        if not text.strip():
            continue
        try:
            node = _filters.parse_filter(text)
        except _filters.FilterSyntaxError as error:
            message = f"Invalid filter {text!r}: {error}"
            raise ApiError(400, message, {"filter": str(error)}) from None
        for path in _filters.paths(node):
            if not has_field(schema, path):
                # The platform hands the name to its ORM, which fails: the client gets a 500.
                name = ".".join(path)
                raise ApiError(500, f"Unable to locate attribute [{name}] on type [{schema}]")
        nodes.append(node)
    return nodes


def _listing(request: Request, schema: str, documents: list[JSON]) -> JSONResponse:
    page = _int_param(request, "page", 1, _INT32_MAX)
    size = _int_param(request, "pageSize", 20, 1000)
    keys = _sort_keys(request, schema)
    nodes = _filter_nodes(request, schema)
    query = request.query_params.get("query")
    selected = [
        document
        for document in documents
        if _filters.matches_query(document, query, _SEARCHABLE[schema])
        and all(_filters.matches(node, document) for node in nodes)
    ]
    return JSONResponse(_page(_filters.sort_documents(selected, keys), page, size, bool(keys)))


def _require_text(document: JSON, fields: Sequence[str]) -> None:
    errors = {f: "must not be blank" for f in fields if not str(document.get(f) or "").strip()}
    if errors:
        raise ApiError(422, "The organization is not valid", errors)


class _Api:
    def __init__(self, store: Store, options: AppOptions) -> None:
        self.store = store
        self.options = options

    def _created(self, document: JSON) -> JSONResponse:
        return JSONResponse(document, status_code=self.options.create_status)

    def _deleted(self) -> Response:
        return Response(status_code=self.options.delete_status)

    async def list_memberships(self, request: Request) -> Response:
        return _listing(request, "Membership", self.store.memberships())

    async def create_membership(self, request: Request) -> Response:
        return self._created(self.store.create_membership(await _body(request, "Membership")))

    async def get_membership(self, request: Request) -> Response:
        return JSONResponse(self.store.get_membership(request.path_params["id"]))

    async def update_membership(self, request: Request) -> Response:
        document = await _body(request, "Membership")
        return JSONResponse(self.store.replace_membership(request.path_params["id"], document))

    async def delete_membership(self, request: Request) -> Response:
        _bool_param(request, "force")
        self.store.delete_membership(request.path_params["id"])
        return self._deleted()

    async def list_user_memberships(self, request: Request) -> Response:
        return JSONResponse(self.store.memberships(user_id=request.path_params["id"]))

    async def list_organizations(self, request: Request) -> Response:
        return _listing(request, "Organization", self.store.organizations())

    async def create_organization(self, request: Request) -> Response:
        document = await _body(request, "Organization")
        _require_text(document, ("name", "slug"))
        return self._created(self.store.create_organization(document))

    async def get_organization(self, request: Request) -> Response:
        return JSONResponse(self.store.get_organization(request.path_params["id"]))

    async def update_organization(self, request: Request) -> Response:
        document = await _body(request, "Organization")
        _require_text(document, ("name", "slug"))
        return JSONResponse(self.store.replace_organization(request.path_params["id"], document))

    async def delete_organization(self, request: Request) -> Response:
        force = _bool_param(request, "force")
        self.store.delete_organization(request.path_params["id"], force=force)
        return self._deleted()

    async def suspend_organization(self, request: Request) -> Response:
        return JSONResponse(self.store.suspend_organization(request.path_params["id"]))

    def routes(self) -> list[Route]:
        table: dict[str, dict[str, Handler]] = {
            "/api/memberships": {"GET": self.list_memberships, "POST": self.create_membership},
            "/api/memberships/{id}": {
                "GET": self.get_membership,
                "PUT": self.update_membership,
                "DELETE": self.delete_membership,
            },
            "/api/users/{id}/memberships": {"GET": self.list_user_memberships},
            "/api/organizations": {
                "GET": self.list_organizations,
                "POST": self.create_organization,
            },
            "/api/organizations/{id}": {
                "GET": self.get_organization,
                "PUT": self.update_organization,
                "DELETE": self.delete_organization,
            },
            "/api/organizations/{id}/suspend": {"PUT": self.suspend_organization},
        }
        # One route per path, so a wrong method gets 405 listing every method the path has.
        return [
            Route(path, _dispatch(handlers), methods=list(handlers))
            for path, handlers in table.items()
        ]


def _dispatch(handlers: Mapping[str, Handler]) -> Handler:
    async def endpoint(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        return await handlers[method](request)

    return endpoint


async def _error(request: Request, exc: Exception) -> Response:
    path = request.url.path
    if isinstance(exc, ApiError):
        return error_response(exc.status, exc.message, path, exc.errors)
    if isinstance(exc, NotFoundError):
        return error_response(404, str(exc), path)
    if isinstance(exc, ConflictError):
        return error_response(409, str(exc), path)
    if isinstance(exc, HTTPException):
        return error_response(exc.status_code, exc.detail, path, headers=exc.headers)
    if isinstance(exc, ClientDisconnect):
        # Nobody is left to read this; answering keeps the failure out of the error log.
        return error_response(400, "The client disconnected", path)
    return error_response(500, f"Internal error: {type(exc).__name__}", path)


class _RequireKey:
    """Answer 401 unless the request carries an accepted API key.

    ``x-api-key`` wins over the legacy ``x-access-token`` when both are sent.
    """

    def __init__(self, app: ASGIApp, api_key: str | None) -> None:
        self.app = app
        self.api_key = api_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            key = headers.get("x-api-key") or headers.get("x-access-token") or ""
            problem = None
            if not key:
                problem = "Full authentication is required: send an x-api-key header"
            elif self.api_key is not None and not hmac.compare_digest(
                key.encode(), self.api_key.encode()
            ):
                problem = "The API key is not valid"
            if problem is not None:
                await error_response(401, problem, scope["path"])(scope, receive, send)
                return
        await self.app(scope, receive, send)


def build_app(store: Store, options: AppOptions) -> ASGIApp:
    """Build the sandbox's ASGI application over ``store``."""
    app = Starlette(
        routes=_Api(store, options).routes(),
        exception_handlers=dict.fromkeys(
            (ApiError, NotFoundError, ConflictError, HTTPException, ClientDisconnect, Exception),
            _error,
        ),
    )
    # The platform has no trailing-slash redirects; a 307 would be an answer the spec lacks.
    app.router.redirect_slashes = False
    return _RequireKey(app, options.api_key)
