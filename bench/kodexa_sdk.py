"""Times the official ``kodexa`` SDK against the canned server (figure 7).

Runs inside the SDK's own virtual environment (``bench/.venv-kodexa``), since the SDK's
dependencies (requests, pydantic, deepdiff and more) have no place in this project's. It
imports nothing of this project: it prints one JSON object of per-call seconds on stdout for
``bench.run`` to read.

Usage: ``python bench/kodexa_sdk.py BASE_URL CALLS REPEATS``
"""

from __future__ import annotations

import json
import sys
import time
from importlib.metadata import version

#: The page size of the list-1,000 comparison, the largest the API allows.
PAGE = 1000


def main() -> None:
    base_url, calls, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    from kodexa.platform.client import KodexaClient  # noqa: PLC0415 - timed apart from the calls

    client = KodexaClient(url=base_url, access_token="bench-key")
    member = client.memberships.get("9b2f0d3e-5a61-4c2b-0000-000000000000")
    listed = client.memberships.list(page=1, page_size=PAGE)
    # Parsed, not just fetched: the nested organization must come back as a model.
    assert member.organization is not None
    assert member.organization.slug
    assert len(listed.content) == PAGE
    get_s: list[float] = []
    list_s: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(calls):
            client.memberships.get("9b2f0d3e-5a61-4c2b-0000-000000000000")
        get_s.append((time.perf_counter() - started) / calls)
        started = time.perf_counter()
        client.memberships.list(page=1, page_size=PAGE)
        list_s.append(time.perf_counter() - started)
    json.dump({"version": version("kodexa"), "get_s": get_s, "list_s": list_s}, sys.stdout)


if __name__ == "__main__":
    main()
