"""SQLite storage: each object kept as JSON beside the columns it is looked up by."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS memberships (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    organization_id TEXT,
    user_id TEXT,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS memberships_organization ON memberships (organization_id);
CREATE INDEX IF NOT EXISTS memberships_user ON memberships (user_id);
"""

# Values the server owns: whatever a client sends for them on create is replaced.
_SERVER_FIELDS = ("id", "uuid", "createdOn", "updatedOn", "changeSequence")


class NotFoundError(LookupError):
    """No object has the id that was asked for."""


class ConflictError(ValueError):
    """The write would duplicate another object or break a reference."""


class StaleError(ConflictError):
    """The ``changeSequence`` sent on an update is not the stored one."""


def now() -> str:
    """Return the current UTC time as the platform writes it: milliseconds and ``Z``."""
    moment = datetime.now(UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


# What Java's String.trim() removes: the platform is a Java service. str.strip() would also
# remove spaces such as U+00A0, which trim() keeps.
_TRIMMED = "".join(map(chr, range(0x21)))


def slug_key(slug: str) -> str:
    """Return the form in which two slugs are compared: the platform trims and lowercases them."""
    return slug.strip(_TRIMMED).lower()


def _dumps(document: JSON) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _new(document: JSON) -> JSON:
    stamp = now()
    identifier = uuid.uuid4()
    return {
        **document,
        "id": str(identifier),
        "uuid": identifier.hex,
        "createdOn": stamp,
        "updatedOn": stamp,
        "changeSequence": 0,
    }


def _replacement(stored: JSON, document: JSON, kind: str) -> JSON:
    sent = document.get("changeSequence")
    if sent is not None and sent != stored["changeSequence"]:
        raise StaleError(
            f"Stale changeSequence {sent}: the {kind} is at {stored['changeSequence']}; "
            "read it again and reapply the change"
        )
    replaced = {key: value for key, value in document.items() if key not in _SERVER_FIELDS}
    return {
        **replaced,
        "id": stored["id"],
        "uuid": stored["uuid"],
        "createdOn": stored["createdOn"],
        "updatedOn": now(),
        "changeSequence": stored["changeSequence"] + 1,
    }


def _organization_ref(membership: JSON) -> str | None:
    organization = membership.get("organization")
    nested = organization.get("id") if isinstance(organization, dict) else None
    ref = membership.get("organizationId") or nested
    return ref if isinstance(ref, str) else None


def _user_ref(membership: JSON) -> str | None:
    user = membership.get("user")
    ref = membership.get("userId") or (user.get("id") if isinstance(user, dict) else None)
    return ref if isinstance(ref, str) else None


class Store:
    """Organizations and memberships in one SQLite database.

    One connection serves every thread; a lock makes each operation atomic, and writes that
    touch several rows also run in one transaction, so a file shared with another process
    stays consistent too.
    """

    def __init__(self, path: str | None = None) -> None:
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            path or ":memory:", check_same_thread=False, isolation_level=None
        )
        # Comparing in Python rather than with SQLite's lower(), which folds ASCII only.
        self._db.create_function("slug_key", 1, slug_key, deterministic=True)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    def reset(self) -> None:
        """Delete every object."""
        with self._transaction():
            self._db.execute("DELETE FROM memberships")
            self._db.execute("DELETE FROM organizations")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _load(self, table: str, object_id: str) -> JSON:
        row = self._db.execute(f"SELECT doc FROM {table} WHERE id = ?", (object_id,)).fetchone()  # noqa: S608
        if row is None:
            kind = table.removesuffix("s").capitalize()
            raise NotFoundError(f"{kind} {object_id} not found")
        document: JSON = json.loads(row[0])
        return document

    def _all(self, query: str, parameters: tuple[Any, ...] = ()) -> list[JSON]:
        return [json.loads(row[0]) for row in self._db.execute(query, parameters)]

    # Organizations

    def _check_slug(self, slug: str, own_id: str | None = None) -> None:
        # The slug column keeps the slug as sent (files written before slugs were compared
        # this way hold it so too), hence a scan with the key function and not a lookup.
        rows = self._db.execute(
            "SELECT id, slug FROM organizations WHERE slug_key(slug) = ?", (slug_key(slug),)
        )
        for row_id, taken in rows:
            if row_id == own_id:
                continue
            message = f"An organization with slug {slug!r} already exists"
            if taken != slug:
                message += f" as {taken!r} (slugs are compared trimmed and lowercased)"
            raise ConflictError(message)

    @staticmethod
    def _indexed(organization: JSON) -> JSON:
        # searchText is generated by the platform from the name and the slug.
        name, slug = organization["name"], organization["slug"]
        return {**organization, "searchText": f"{name.lower()} {slug}"}

    def create_organization(self, document: JSON) -> JSON:
        """Store a new organization; an absent status starts ACTIVE."""
        organization = self._indexed(_new(document))
        organization["organizationStatus"] = document.get("organizationStatus") or "ACTIVE"
        with self._transaction():
            self._check_slug(organization["slug"])
            self._db.execute(
                "INSERT INTO organizations (id, slug, doc) VALUES (?, ?, ?)",
                (organization["id"], organization["slug"], _dumps(organization)),
            )
        return organization

    def get_organization(self, organization_id: str) -> JSON:
        """Return one organization."""
        with self._lock:
            return self._load("organizations", organization_id)

    def organizations(self) -> list[JSON]:
        """Return every organization, oldest first."""
        with self._lock:
            return self._all("SELECT doc FROM organizations ORDER BY seq")

    def _write_organization(self, organization: JSON) -> None:
        self._db.execute(
            "UPDATE organizations SET slug = ?, doc = ? WHERE id = ?",
            (organization["slug"], _dumps(organization), organization["id"]),
        )

    def replace_organization(self, organization_id: str, document: JSON) -> JSON:
        """Replace an organization; an absent status keeps the stored one."""
        with self._transaction():
            stored = self._load("organizations", organization_id)
            organization = self._indexed(_replacement(stored, document, "organization"))
            if organization.get("organizationStatus") is None:
                organization["organizationStatus"] = stored.get("organizationStatus")
            self._check_slug(organization["slug"], organization_id)
            self._write_organization(organization)
        return organization

    def suspend_organization(self, organization_id: str) -> JSON:
        """Set an organization's status to SUSPENDED."""
        with self._transaction():
            stored = self._load("organizations", organization_id)
            organization = _replacement(stored, {**stored, "changeSequence": None}, "organization")
            organization["organizationStatus"] = "SUSPENDED"
            self._write_organization(organization)
        return organization

    def delete_organization(self, organization_id: str, *, force: bool) -> None:
        """Delete an organization; ``force`` also deletes its memberships instead of refusing."""
        with self._transaction():
            self._load("organizations", organization_id)
            (count,) = self._db.execute(
                "SELECT count(*) FROM memberships WHERE organization_id = ?", (organization_id,)
            ).fetchone()
            if count and not force:
                raise ConflictError(
                    f"Organization {organization_id} still has {count} membership(s); "
                    "delete them first or pass force=true"
                )
            self._db.execute(
                "DELETE FROM memberships WHERE organization_id = ?", (organization_id,)
            )
            self._db.execute("DELETE FROM organizations WHERE id = ?", (organization_id,))

    # Memberships

    def _embed(self, membership: JSON, organizations: dict[str, JSON] | None = None) -> JSON:
        ref = _organization_ref(membership)
        if ref is None:
            return membership
        if organizations is None:
            try:
                organization = self._load("organizations", ref)
            except NotFoundError:
                return membership
        elif ref in organizations:
            organization = organizations[ref]
        else:
            return membership
        return {**membership, "organizationId": ref, "organization": organization}

    def _embed_all(self, memberships: list[JSON]) -> list[JSON]:
        organizations = {o["id"]: o for o in self._all("SELECT doc FROM organizations")}
        return [self._embed(membership, organizations) for membership in memberships]

    def _write_membership(self, membership: JSON, *, insert: bool) -> JSON:
        row = (_organization_ref(membership), _user_ref(membership), _dumps(membership))
        if insert:
            self._db.execute(
                "INSERT INTO memberships (organization_id, user_id, doc, id) VALUES (?, ?, ?, ?)",
                (*row, membership["id"]),
            )
        else:
            self._db.execute(
                "UPDATE memberships SET organization_id = ?, user_id = ?, doc = ? WHERE id = ?",
                (*row, membership["id"]),
            )
        return self._embed(membership)

    def create_membership(self, document: JSON) -> JSON:
        """Store a new membership, embedding its organization when that is stored here."""
        with self._transaction():
            return self._write_membership(_new(document), insert=True)

    def get_membership(self, membership_id: str) -> JSON:
        """Return one membership."""
        with self._lock:
            return self._embed(self._load("memberships", membership_id))

    def memberships(self, *, user_id: str | None = None) -> list[JSON]:
        """Return every membership, or one user's, oldest first."""
        with self._lock:
            if user_id is None:
                found = self._all("SELECT doc FROM memberships ORDER BY seq")
            else:
                found = self._all(
                    "SELECT doc FROM memberships WHERE user_id = ? ORDER BY seq", (user_id,)
                )
            return self._embed_all(found)

    def replace_membership(self, membership_id: str, document: JSON) -> JSON:
        """Replace a membership."""
        with self._transaction():
            stored = self._load("memberships", membership_id)
            membership = _replacement(stored, document, "membership")
            return self._write_membership(membership, insert=False)

    def delete_membership(self, membership_id: str) -> None:
        """Delete a membership."""
        with self._transaction():
            self._load("memberships", membership_id)
            self._db.execute("DELETE FROM memberships WHERE id = ?", (membership_id,))
