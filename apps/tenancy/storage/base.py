"""What a hospital database lives on: one interface, two implementations.

A *storage* is one place hospital databases live: the local directory of SQLite files
(``tenant_databases/``, key ``""``) or one PostgreSQL server (key ``pg1``, ``pg2`` … in
the order of ``HMS_TENANT_SERVERS``). A database on it is named by a plain name
(``hospital_cgh``, a working name, a template name) — a file name for SQLite, a database
name for PostgreSQL. Nothing outside ``apps.tenancy.storage`` knows which kind runs:
provisioning, backups, recovery and the admin ask the hospital's storage.

Names are ``[a-z0-9_]``, at most 63 characters (PostgreSQL's identifier limit).
"""

from __future__ import annotations

import re
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apps.core.exceptions import ValidationError

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def checked_name(name: str) -> str:
    """``name`` if it is a safe database name on every storage, else ValidationError."""
    if not _NAME.match(name):
        raise ValidationError(f"{name!r} is not a safe database name")
    return name


def database_name(hospital: Hospital) -> str:
    """The name of ``hospital``'s database on its storage."""
    return checked_name(f"hospital_{hospital.code.lower()}")


class TenantStorage(ABC):
    """One place hospital databases live (see the module docstring)."""

    #: recorded on Hospital.server: "" for the local SQLite directory, else pg1, pg2 …
    key: str
    #: Django's vendor string of the databases here: "sqlite" or "postgresql"
    vendor: str
    #: the suffix of this storage's backup files (".sqlite3", ".dump")
    backup_suffix: str

    @abstractmethod
    def connection_settings(self, name: str) -> dict[str, Any]:
        """A Django DATABASES entry for database ``name`` on this storage."""

    @abstractmethod
    def exists(self, name: str) -> bool: ...

    @abstractmethod
    def create_empty(self, name: str) -> None:
        """Create ``name`` with no tables (it must not exist)."""

    @abstractmethod
    def clone(self, template: str, name: str) -> None:
        """Create ``name`` as a copy of the closed database ``template``."""

    @abstractmethod
    def move(self, source: str, target: str, *, replace: bool = False) -> None:
        """Give database ``source`` the name ``target``, durably. With ``replace`` an
        existing ``target`` is dropped in the same step; without it an existing target
        is an error. Connections to either name must be closed first."""

    @abstractmethod
    def drop(self, name: str) -> None:
        """Remove ``name`` and everything that belongs to it; a missing one is fine."""

    @abstractmethod
    def backup(self, name: str, target: Path) -> Path:
        """Write a consistent copy of ``name`` to the local file ``target`` (owner-only,
        fsynced, appearing complete or not at all); returns the path."""

    @abstractmethod
    def restore(self, source: Path, name: str) -> None:
        """Make database ``name`` hold exactly the backup file ``source`` (replacing
        what is there, all or nothing)."""

    @abstractmethod
    def size(self, name: str) -> int:
        """Bytes ``name`` takes on this storage (0 when missing)."""

    @abstractmethod
    def names(self, prefix: str = "") -> list[str]:
        """The databases on this storage whose names start with ``prefix``."""

    @abstractmethod
    def identity(self, name: str) -> str:
        """A token that changes when another database takes the name ``name`` (a file's
        device:inode, a PostgreSQL database's oid); "" when there is none."""

    # -- not abstract: every storage has them, some do better than the default --------

    #: whether a kept connection must be checked (``identity``) before each reuse: true
    #: where another database can take a name under an open connection (a file renamed
    #: over another); a storage that refuses that (PostgreSQL) sets it False
    check_identity_on_reuse: bool = True

    def describe(self, name: str) -> str:
        """Where database ``name`` is, for pages and logs ("pg1/hospital_x")."""
        return f"{self.key}/{name}" if self.key else name

    def counted_backup(self, name: str, target: Path) -> dict[str, int]:
        """``backup(name, target)``, returning the rows of every table in what was
        copied (the backup is read back and compared with them)."""
        self.backup(name, target)
        return dict(self.backup_check(target).row_counts)

    @abstractmethod
    def backup_check(self, source: Path) -> BackupContents:
        """What the backup file ``source`` holds; ValueError when it is not a readable
        hospital database (damaged, not a database, no django_migrations)."""

    @abstractmethod
    def row_counts(self, name: str) -> dict[str, int]:
        """Rows of every table of database ``name``."""

    def save_template(self, source: str, template: str) -> None:
        """Keep a copy of the closed, verified database ``source`` as ``template``
        (replacing an older one); ``source`` stays."""
        work = f"{template[:50]}_{uuid.uuid4().hex[:8]}"
        self.clone(source, work)
        self.move(work, template, replace=True)

    def clone_is_exact(self, template: str, name: str) -> bool:
        """Whether ``name`` is certainly an exact copy of ``template`` (then it needs no
        verification of its own); False when the storage cannot tell cheaply."""
        return False

    def remove_leftovers(self, prefix: str, *, older_than: float | None = None) -> int:
        """Remove the databases named ``prefix…`` a crashed run left behind (and copies
        cut short); with ``older_than`` (a timestamp) only those older, where the
        storage can tell. Returns how many were removed."""
        leftovers = self.names(prefix)
        for name in leftovers:
            self.drop(name)
        return len(leftovers)


@dataclass(frozen=True)
class BackupContents:
    """What a backup file holds: the migrations it records ((app, name) pairs) and the
    rows of every table."""

    migrations: frozenset[tuple[str, str]]
    row_counts: dict[str, int]
