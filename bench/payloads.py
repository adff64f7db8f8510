"""Canned, spec-valid response bodies shared by the loopback server and the parse figures.

The membership carries a nested organization and user, as the platform's legacy listing does,
so parsing exercises nested models and timestamps rather than a flat record. Ids differ per
item so no layer can get away with caching one object.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

#: The largest page the API allows, and the page size the listing figures use.
MAX_PAGE = 1000


#: Stands for the page number inside each pre-serialised membership id, so ids differ from
#: page to page (the pager rightly refuses a server that sends the same page twice).
_PAGE_MARK = "@@@@"


def membership(index: int, page_mark: str = "0000") -> dict[str, Any]:
    """One membership, distinct by ``index`` (and ``page_mark``), shaped like the platform's."""
    org_id = str(uuid.UUID(int=0xC4CC3366_261A_42ED_B883_000000000000 + index))
    user_id = str(uuid.UUID(int=0x5E8F7A10_1111_4C2B_9D3E_000000000000 + index))
    member_id = f"9b2f0d3e-5a61-4c2b-{page_mark}-{index:012x}"
    # Every timestamp differs from item to item, so no cache of parsed timestamps flatters
    # the figures; the formats are the platform's (milliseconds, microseconds, whole seconds).
    second = f"{index % 60:02d}"
    minute = f"{index // 60 % 60:02d}"
    return {
        "id": member_id,
        "uuid": member_id.replace("-", ""),
        "changeSequence": index % 7,
        "createdOn": f"2024-03-01T09:{minute}:{second}.118Z",
        "updatedOn": f"2025-10-12T17:{minute}:{second}.902331Z",
        "role": ("OWNER", "READ", "WRITE")[index % 3],
        "organizationId": org_id,
        "userId": user_id,
        "organization": {
            "id": org_id,
            "uuid": org_id.replace("-", ""),
            "changeSequence": 4,
            "createdOn": f"2024-03-01T08:{minute}:{second}.118Z",
            "updatedOn": f"2025-10-12T16:{minute}:{second}.902331Z",
            "name": f"Acme Corp {index}",
            "slug": f"acme-corp-{index}",
            "description": "Document processing organization for Acme Corp.",
            "organizationStatus": "ACTIVE",
            "features": None,
            "properties": {"region": "eu"},
            "memory": {"orderedDashboards": []},
            "publicAccess": False,
            "supportAccess": False,
            "supportAccessExpiresAt": None,
            "hasImage": False,
            "enterpriseOrganization": True,
            "defaultToPrivateTemplates": True,
            "searchText": f"acme corp {index} acme-corp-{index}",
        },
        "user": {
            "id": user_id,
            "email": f"user{index}@example.com",
            "firstName": "Ada",
            "lastName": "Example",
            "activated": True,
            "platformAdmin": False,
            "hasImage": False,
            "lastConnected": f"2025-11-30T07:{minute}:{second}Z",
            "userType": "HUMAN",
        },
    }


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


#: The body every ``GET /api/memberships/{id}`` gets.
MEMBERSHIP = _dumps(membership(0))

#: Each item pre-serialised once, so the server only joins bytes (and marks the page) per page.
ITEMS = [_dumps(membership(i, _PAGE_MARK)) for i in range(MAX_PAGE)]


def page(number: int, size: int, total: int) -> bytes:
    """Page ``number`` (counted from 1, as the ``page`` parameter is) of a ``total``-item listing.

    The body's ``number`` counts from 0, as Spring's does.
    """
    start = (number - 1) * size
    count = max(0, min(size, total - start))
    total_pages = -(-total // size)
    tail = {
        "number": number - 1,
        "size": size,
        "numberOfElements": count,
        "totalElements": total,
        "totalPages": total_pages,
        "first": number == 1,
        "last": number >= total_pages,
        "empty": count == 0,
        "sort": {"empty": True, "sorted": False, "unsorted": True},
        "pageable": {
            "offset": start,
            "pageNumber": number - 1,
            "pageSize": size,
            "paged": True,
            "unpaged": False,
            "sort": {"empty": True, "sorted": False, "unsorted": True},
        },
    }
    # Items repeat every MAX_PAGE within a page; the page mark keeps ids apart across pages.
    items = ITEMS if count <= MAX_PAGE else ITEMS * (count // MAX_PAGE + 1)
    mark = b"%04x" % (number & 0xFFFF)
    content = b",".join(items[:count]).replace(_PAGE_MARK.encode(), mark)
    return b'{"content":[' + content + b"]," + _dumps(tail)[1:]
