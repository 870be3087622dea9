"""What a hospital database lives on: one interface, two implementations.

A *storage* is one place hospital databases live: the local directory of SQLite files
(``tenant_databases/``, key ``""``) or one PostgreSQL server (key ``pg1``, ``pg2`` … in
the order of ``HMS_TENANT_SERVERS``). A database on it is named by a plain name
(``hospital_cgh``, a working name, a template name) — a file name for SQLite, a database
name for PostgreSQL. Nothing outside ``apps.tenancy.storage`` knows which kind runs:
provisioning, backups, recovery and the admin ask the hospital's storage.

Names are ``[a-z0-9_]``, at most 63 characters (PostgreSQL's identifier limit). The names
callers use:

* a hospital's database: ``hospital_<code>`` (``database_name``);
* working databases: ``work_<code>_<hex12>`` (``work_0template_<hex12>`` while a template
  is built); a finished build is ``move(work, "hospital_<code>", replace=<a recreate>)``,
  and the reaper's ``remove_leftovers("work_<code>_")`` sweeps what a killed run left;
* templates: ``template_<first 24 hex of the template state>``.

Backups are always local files, whatever the storage:
``<HMS_TENANT_DB_DIR>/backups/hospital_<code>.<stamp>.<hex>.before-<reason><backup_suffix>``.
``backup(name, target)`` is given the full path; it writes ``target.name + ".partial"``
and renames it when complete (the reaper removes a ``hospital_<code>.*.partial`` there).
``restore(source, name)`` is also called when ``name`` does not exist yet.

A storage that can describe a database's schema (``compares_schema``: SQLite, which
reads its own catalogue) supports schema drift detection and repair (``schema``,
``refill``); on any other, verify skips the schema step and repair refuses before it
touches anything.
"""

from __future__ import annotations

import re
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apps.core.exceptions import ValidationError

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
#: working databases: built under this prefix, then moved into place
WORK_PREFIX = "work_"
#: templates of the current migration state, cloned for a new hospital
TEMPLATE_PREFIX = "template_"


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
        """A Django DATABASES entry for database ``name`` on this storage, complete
        (ENGINE, NAME, USER, PASSWORD, HOST, PORT, OPTIONS, TEST as needed):
        ``connections.register_database`` lays it over a copy of the platform's
        ``default`` entry, whose OPTIONS would otherwise leak into it."""

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
    #: over another), and then ``identity`` must be cheap (it runs on every request); a
    #: storage that refuses that (PostgreSQL) sets it False
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
        """What the backup file ``source`` holds (checked before a restore and after a
        backup). The file is untrusted input: ValueError("<file> is not a readable
        database (…)") when it is damaged or foreign, ValueError("<file> is not a
        hospital database") when it has no django_migrations."""

    @abstractmethod
    def row_counts(self, name: str) -> dict[str, int]:
        """Rows of every table of database ``name``, by the same table names as
        ``backup_check`` (a restore is verified against the backup's counts)."""

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
        storage can tell — only one job runs per hospital, so removing them all is safe
        too. Returns how many were removed."""
        leftovers = self.names(prefix)
        for name in leftovers:
            self.drop(name)
        return len(leftovers)

    # -- schema drift: only where the storage can describe a schema ------------------

    #: whether ``schema`` and ``refill`` work here (schema drift detection and repair)
    compares_schema: bool = False

    def schema(self, name: str) -> Schema:
        """The tables of database ``name`` as the engine describes them (columns,
        indexes, foreign keys, constraints), comparable with another database's."""
        raise NotImplementedError(f"{type(self).__name__} cannot describe a schema")

    def refill(self, name: str, source: Path, fill: FillValue) -> Refilled:
        """Empty every table of database ``name`` (a closed copy of a template: the right
        schema) and fill it with every row of the backup file ``source``, column by
        column where both have the column; a column only ``name`` has gets
        ``fill(table, column)`` (which raises when there is nothing sensible). Raises
        RowsRefused when the rows break a rule of the new schema."""
        raise NotImplementedError(f"{type(self).__name__} cannot refill a database")


@dataclass(frozen=True)
class BackupContents:
    """What a backup file holds: the migrations it records ((app, name) pairs) and the
    rows of every table."""

    migrations: frozenset[tuple[str, str]]
    row_counts: dict[str, int]


@dataclass(frozen=True)
class TableSchema:
    """One table as its database describes it: each item a tuple of what counts about a
    column, index, foreign key or named CHECK/UNIQUE constraint (its first element the
    name), so two descriptions compare item by item."""

    columns: frozenset[tuple[Any, ...]]
    indexes: frozenset[tuple[Any, ...]]
    foreign_keys: frozenset[tuple[Any, ...]]
    constraints: frozenset[tuple[str, str, str]]

    @property
    def column_names(self) -> frozenset[str]:
        return frozenset(column[0] for column in self.columns)


#: a database's tables by name
Schema = dict[str, TableSchema]

#: the value for ``table.column`` in rows copied from a database that had no such column
FillValue = Callable[[str, str], Any]


@dataclass(frozen=True)
class Refilled:
    """What ``refill`` did: the rows of each table it copied, as counted in the source
    (to check against the refilled database), and what the new schema has no place for
    (it stays in the source only)."""

    copied_rows: dict[str, int] = field(default_factory=dict)
    tables_left_behind: list[str] = field(default_factory=list)
    columns_left_behind: list[str] = field(default_factory=list)


class RowsRefused(Exception):
    """The rows of a database do not fit the schema they are copied into (a unique rule
    broken, a foreign key pointing at nothing)."""
