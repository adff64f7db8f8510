"""The legacy platform's error body, which every error answer of the sandbox carries."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from starlette.responses import JSONResponse

from kodexa_platform.testing._store import now


class ApiError(Exception):
    """An error answer: raised by a route, rendered as the legacy error body."""

    def __init__(self, status: int, message: str, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = dict(errors or {})


def error_response(
    status: int,
    message: str,
    path: str,
    errors: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """Build a response carrying the legacy error body."""
    body: dict[str, object] = {
        "dateTime": now(),
        "message": message,
        "incidentId": uuid.uuid4().hex[:8],
        "contextPath": path,
        "errors": dict(errors or {}),
        "stackTrace": None,
        "rootCauseStackTrace": [],
    }
    return JSONResponse(body, status_code=status, headers=headers)
