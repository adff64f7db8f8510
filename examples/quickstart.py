"""A tour of the client: create, read, update, list and delete memberships.

Runs against whatever KODEXA_URL and KODEXA_API_KEY name: `make demo` points them at the
local sandbox; point them at your platform to run it for real (it creates, then deletes,
one organization and its memberships).
"""

from __future__ import annotations

import json
import secrets
import sys
from pathlib import Path

from kodexa_platform import ConflictError, Kodexa, NotFoundError

# The Create Membership example from Kodexa's API reference, unchanged.
DOCS_EXAMPLE = json.loads((Path(__file__).parent / "create-membership.json").read_text())


def main() -> int:
    with Kodexa() as client:
        print(f"talking to {client.base_url}")

        slug = f"quickstart-{secrets.token_hex(4)}"
        org = client.organizations.create({"name": "Quickstart Inc.", "slug": slug})
        print(f"created organization {org.slug!r} ({org.id})")

        example = client.memberships.create(DOCS_EXAMPLE)
        print(f"created the docs example (placeholder values, sent as published): {example.id}")

        member = client.memberships.create(
            {"organizationId": org.id, "userId": "user-ada", "role": "READ"}
        )
        fetched = client.memberships.get(member.id)
        print(f"read back {fetched.id}: role {fetched.role!r}, version {fetched.change_sequence}")

        fetched.role = "WRITE"
        updated = client.memberships.update(fetched.id, fetched)
        print(f"updated role to {updated.role!r}, version {updated.change_sequence}")

        try:
            client.memberships.update(fetched.id, fetched)  # still carries the old version
        except ConflictError as error:
            print(f"a stale update is refused: {error.status_code} {type(error).__name__}")

        for number in range(5):
            client.memberships.create(
                {"organizationId": org.id, "userId": f"user-{number}", "role": "READ"}
            )
        in_org = f"organizationId: '{org.id}'"
        first = client.memberships.list_page(page_size=2, filter=in_org)
        print(f"{first.total_items} memberships in {org.slug}, {first.total_pages} pages of 2")
        listed = [m.user_id for m in client.memberships.list(page_size=2, filter=in_org)]
        print(f"listed across pages: {', '.join(str(u) for u in listed)}")

        client.memberships.delete(example.id)
        try:
            client.memberships.get(example.id)
        except NotFoundError:
            print(f"deleted {example.id}")
        client.organizations.delete(org.id, force=True)
        print(f"deleted organization {org.slug!r} and its memberships")
    return 0


if __name__ == "__main__":
    sys.exit(main())
