"""Request bodies are checked before anything is sent."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import httpx
import pytest

from kodexa_platform import Kodexa, RequestValidationError


def _client(sent: list[httpx.Request]) -> Kodexa:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201, json={"id": "m1"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Kodexa(api_key="k", base_url="http://127.0.0.1:9", http_client=http)


@pytest.mark.parametrize(
    ("body", "path", "spelling"),
    [
        ({"organization_id": "o1"}, "$.organization_id", "organizationId"),
        ({"user": {"first_name": "Ada"}}, "$.user.first_name", "firstName"),
        (
            {"organization": {"name": "A", "slug": "a", "organization_status": "ACTIVE"}},
            "$.organization.organization_status",
            "organizationStatus",
        ),
    ],
)
def test_python_style_keys_are_refused_with_the_api_spelling(
    body: dict[str, Any], path: str, spelling: str
) -> None:
    sent: list[httpx.Request] = []
    with pytest.raises(RequestValidationError) as caught:
        _client(sent).memberships.create(body)
    assert sent == []
    assert path in caught.value.errors
    assert spelling in caught.value.errors[path]


def test_unknown_keys_that_are_not_misspellings_are_sent_as_they_are() -> None:
    sent: list[httpx.Request] = []
    _client(sent).memberships.create({"futureField": {"a": 1}, "some_new_thing": 2})
    assert len(sent) == 1
    assert b'"futureField"' in sent[0].content
    assert b'"some_new_thing"' in sent[0].content


def test_retries_print_nothing_when_the_application_has_not_set_up_logging() -> None:
    # A fresh interpreter: logging untouched, as in a small script using the client.
    script = """
import httpx, stamina
from kodexa_platform import Kodexa, InternalServerError
stamina.set_testing(True, attempts=10, cap=True)
http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503)))
client = Kodexa(api_key="k", base_url="http://127.0.0.1:9", http_client=http, max_retries=3)
try:
    client.memberships.get("m1")
except InternalServerError:
    print("raised")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.stdout.strip() == "raised"
    assert result.stderr == ""
