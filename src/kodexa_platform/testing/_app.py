"""The sandbox's routes: the API of openapi.yaml as a Starlette application."""

from __future__ import annotations

import hmac
import json
import logging
import math
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kodexa_platform.testing import _filters
from kodexa_platform.testing._errors import ApiError, error_response
from kodexa_platform.testing._schema import body_errors, has_field
from kodexa_platform.testing._store import ConflictError, NotFoundError, Store

JSON = dict[str, Any]
Handler = Callable[[Request], Awaitable[Response]]

_log = logging.getLogger("kodexa_platform.testing")

_INT32_MAX = 2**31 - 1
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
# What Spring's Jackson converter reads: application/json and application/*+json.
_JSON_MEDIA = re.compile(r"application/(?:[!#$&^\w.+-]+\+)?json", re.ASCII | re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")
# The sandbox's limit, not the platform's (Jackson allows 1000 levels): Python's JSON encoder
# recurses once per level, and a body nested a few hundred levels deep would fail to render
# on the way out, after it was stored. Real bodies are a few levels deep.
_MAX_BODY_DEPTH = 256
# How much of a bad filter an error message repeats: the filter itself may be 16 KiB.
_SHOWN_FILTER = 200
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
    text = raw.strip()
    if not _INTEGER.fullmatch(text):
        raise ApiError(400, f"Parameter '{name}' must be an integer", {name: "must be an integer"})
    # int() refuses more than 4300 digits, leading zeros included; more digits than the
    # highest value has is out of range anyway.
    digits = text.lstrip("+-").lstrip("0") or "0"
    value = -1 if text.startswith("-") or len(digits) > len(str(highest)) else int(digits)
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


def _finite(text: str) -> float:
    # 1e400 overflows to infinity, which could be stored but never sent back as JSON: every
    # later answer holding it would fail.
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _unreadable(document: object) -> str | None:
    """Say why a parsed body cannot be stored and sent back, or None when it can."""
    # Iterative, since the body may be nested deeper than the recursion limit allows.
    pending: list[tuple[object, int]] = [(document, 0)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict | list):
            if depth >= _MAX_BODY_DEPTH:
                return f"nested deeper than {_MAX_BODY_DEPTH} levels"
            children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
            pending.extend((child, depth + 1) for child in children)
        elif isinstance(node, str) and (surrogate := _SURROGATE.search(node)):
            # JSON's \uXXXX escapes (and json.loads, which decodes with surrogatepass) let a
            # lone UTF-16 surrogate in; it is not Unicode text, and SQLite cannot store it.
            return f"a string holds the lone surrogate {surrogate.group()!a}"
    return None


async def _body(request: Request, schema: str) -> JSON:
    raw = await request.body()
    content_type = request.headers.get("content-type")
    media = (content_type or "").split(";")[0].strip()
    if not _JSON_MEDIA.fullmatch(media):
        if content_type is None and not raw:
            raise ApiError(400, "Required request body is missing")
        # Spring answers 415; the spec lists no 415, so this is its documented 400.
        shown = content_type or "application/octet-stream"
        message = f"Content-Type '{shown}' is not supported"
        raise ApiError(400, message, {"content-type": "must be application/json"})
    try:
        document = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite)
    except (ValueError, RecursionError) as error:
        raise ApiError(400, f"Malformed JSON request body: {error}") from None
    problem = _unreadable(document)
    if problem is not None:
        raise ApiError(400, f"Malformed JSON request body: {problem}")
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
            shown = text if len(text) <= _SHOWN_FILTER else text[:_SHOWN_FILTER] + "..."
            message = f"Invalid filter {shown!r}: {error}"
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
    if query is not None and len(query) > _filters.MAX_PATTERN_LENGTH:
        problem = f"must not be longer than {_filters.MAX_PATTERN_LENGTH} characters"
        raise ApiError(400, f"Parameter 'query' {problem}", {"query": problem})
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
            _RawPathRoute(path, _dispatch(handlers), methods=list(handlers))
            for path, handlers in table.items()
        ]


def _escape_segment(segment: str) -> str:
    return unquote(segment).replace("%", "%25").replace("/", "%2F")


class _RawPathRoute(Route):
    """A route matched on the path as sent, where ``%2F`` inside an id is not a separator.

    Starlette matches the decoded path, so ``PUT /api/organizations/x%2Fsuspend`` (an id that
    holds a slash) would suspend organization ``x``. Here each segment of the raw path is
    decoded on its own, with ``%`` and ``/`` escaped again, and the parameters are decoded
    once matched: the request goes to ``/api/organizations/{id}`` with the id ``x/suspend``.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        raw = scope.get("raw_path")
        if scope["type"] != "http" or raw is None or scope.get("root_path"):
            return super().matches(scope)
        segments = raw.decode("latin-1").split("/")
        path = "/".join(_escape_segment(segment) for segment in segments)
        match, child = super().matches({**scope, "path": path})
        if "path_params" in child:
            child["path_params"] = {
                name: unquote(value) if isinstance(value, str) else value
                for name, value in child["path_params"].items()
            }
        return match, child


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


class _LastResort:
    """Answer an unexpected exception with a 500 and the legacy body, and swallow it.

    Starlette's own last handler re-raises after answering, and uvicorn then closes the
    connection: a client that reuses it for its next request (keep-alive) gets a reset. The
    exception is logged instead. Only when the answer had already started is it re-raised,
    since the half-sent answer cannot be completed and the connection must close.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = finished = False

        async def sending(message: Message) -> None:
            nonlocal started, finished
            started = True
            finished = message["type"] == "http.response.body" and not message.get("more_body")
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            _log.exception("Unexpected error answering %s %s", scope["method"], scope["path"])
            if finished:
                return
            if started:
                raise
            response = await _error(Request(scope, receive), exc)
            await response(scope, receive, send)


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
        middleware=[Middleware(_LastResort)],
        # No handler for Exception: Starlette would give it to its outermost middleware, which
        # re-raises into uvicorn; _LastResort answers those.
        exception_handlers=dict.fromkeys(
            (ApiError, NotFoundError, ConflictError, HTTPException, ClientDisconnect), _error
        ),
    )
    # The platform has no trailing-slash redirects; a 307 would be an answer the spec lacks.
    app.router.redirect_slashes = False
    return _RequireKey(app, options.api_key)
