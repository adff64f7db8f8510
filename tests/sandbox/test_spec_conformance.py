"""Every operation of the spec answers, success and errors alike, with what the spec declares."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from kodexa_platform.testing import SandboxServer
from kodexa_platform.testing._schema import operation_for, spec


def _all_operations() -> set[str]:
    return {
        operation["operationId"]
        for item in spec()["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def test_every_operation_and_error_answer_matches_the_spec(
    server: Any, api_key: str, check_spec: Any, load: Any
) -> None:
    seen: list[tuple[str | None, int, list[str]]] = []

    def record(response: httpx.Response) -> None:
        request = response.request
        operation = operation_for(request.method, request.url.path)
        seen.append((operation, response.status_code, check_spec(response)))

    with httpx.Client(
        base_url=server.base_url, headers={"x-api-key": api_key}, event_hooks={"response": [record]}
    ) as http:
        org = http.post("/api/organizations", json={"name": "Acme", "slug": "acme"}).json()
        member = http.post(
            "/api/memberships", json={**load("create-membership.json"), "organizationId": org["id"]}
        ).json()
        missing = str(uuid.uuid4())
        http.get("/api/organizations", params={"sort": "name,desc", "filter": "slug: 'acme'"})
        http.get("/api/organizations", params={"page": 0})
        http.get("/api/organizations", params={"filter": "nope: 1"})
        http.get("/api/organizations", headers={"x-api-key": "wrong"})
        http.get("/api/memberships", params={"query": "acme"})
        http.get("/api/memberships", params={"pageSize": 5000})
        http.get("/api/memberships", params={"filter": "nope: 1"})
        http.post("/api/organizations", json={"name": "Acme", "slug": "acme"})
        http.post("/api/organizations", json={"name": " ", "slug": "blank"})
        http.post("/api/organizations", json={"slug": "nameless"})
        http.post("/api/memberships", json={"role": 1})
        http.get(f"/api/organizations/{org['id']}")
        http.get(f"/api/organizations/{missing}")
        http.get(f"/api/memberships/{member['id']}")
        http.get(f"/api/memberships/{missing}")
        http.get(f"/api/users/{member['userId']}/memberships")
        http.put(f"/api/memberships/{member['id']}", json={**member, "role": "WRITE"})
        http.put(f"/api/memberships/{member['id']}", json=member)
        http.put(f"/api/memberships/{missing}", json={})
        http.put(f"/api/memberships/{member['id']}", json={"user": 1})
        http.put(f"/api/organizations/{org['id']}", json={**org, "name": "Acme 2"})
        http.put(f"/api/organizations/{org['id']}", json=org)
        http.put(f"/api/organizations/{org['id']}", json={**org, "name": ""})
        http.put(f"/api/organizations/{org['id']}", json={"name": "x"})
        http.put(f"/api/organizations/{missing}", json=org)
        http.put(f"/api/organizations/{org['id']}/suspend")
        http.put(f"/api/organizations/{missing}/suspend")
        http.delete(f"/api/organizations/{org['id']}")
        http.delete(f"/api/organizations/{org['id']}", params={"force": "no way"})
        http.delete(f"/api/memberships/{member['id']}", params={"force": "false"})
        http.delete(f"/api/memberships/{missing}")
        http.delete(f"/api/organizations/{org['id']}", params={"force": "true"})
        http.delete(f"/api/organizations/{missing}")

    assert [entry for entry in seen if entry[2]] == []
    assert {operation for operation, _, _ in seen} == _all_operations()
    assert {status for _, status, _ in seen} == {200, 201, 204, 400, 401, 404, 409, 422, 500}


def _response(method: str, path: str, status: int, body: Any, **headers: str) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.Response(
        status,
        content=content,
        headers={"content-type": "application/json", **headers},
        request=httpx.Request(method, f"http://127.0.0.1{path}"),
    )


@pytest.mark.parametrize(
    ("response", "problem"),
    [
        (_response("GET", "/api/organizations/x", 200, {"name": 1, "slug": "s"}), "name"),
        (_response("GET", "/api/organizations/x", 200, {"name": "n"}), "slug"),
        (_response("GET", "/api/organizations", 200, {"content": [{}]}), "content[0]"),
        (_response("GET", "/api/organizations", 200, {"number": "0"}), "number"),
        (_response("GET", "/api/organizations/x", 418, {}), "declares no 418"),
        (_response("DELETE", "/api/memberships/x", 204, {}), "declares no body"),
        (_response("GET", "/api/users/x/memberships", 200, b"<html>"), "not JSON"),
        (_response("GET", "/api/memberships/x", 404, {"errors": {"a": 1}}), "errors.a"),
        (_response("GET", "/api/nowhere", 200, {}), "no operation"),
    ],
)
def test_the_spec_check_catches_wrong_answers(
    check_spec: Any, response: httpx.Response, problem: str
) -> None:
    problems = check_spec(response)
    assert any(problem in text for text in problems), problems


@pytest.mark.parametrize("value", [2**31, -(2**31) - 1])
def test_change_sequence_beyond_int32_is_refused(value: int) -> None:
    with SandboxServer(api_key="k") as server:
        response = httpx.post(
            f"{server.base_url}/api/memberships",
            json={"changeSequence": value},
            headers={"x-api-key": "k"},
        )
    assert response.status_code == 400
    assert "changeSequence" in response.text
