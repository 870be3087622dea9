"""Hospital databases as SQLite files in ``settings.HMS_TENANT_DB_DIR`` (key ``""``).

A database named ``hospital_cgh`` is the file ``hospital_cgh.sqlite3`` there; working
databases (names starting ``work_``) live in its ``tmp/`` subdirectory and templates
(``template_…``) in ``settings.HMS_TEMPLATE_DB_DIR``, so a directory listing still tells
what is what. Nothing outside ``apps.tenancy.storage`` knows these are files.

The rules this module keeps (each learnt the hard way):

* a file moved into place is fsynced before the rename and its directory after
  (``files.durable_replace``); every file is owner-only (0600) from its creation;
* a copy is written to a ``.partial`` and renamed, so it appears complete or not at
  all; a crashed run's ``.partial`` is swept by ``remove_leftovers``;
* a database's WAL/SHM/journal sidecars are removed before another file takes its
  name — SQLite would otherwise replay a WAL written for the old file into the new one;
* a consistent copy of a database in use goes through SQLite's online backup API (it
  includes what is still in the WAL, and holds one read transaction);
* a file's identity is ``device:inode``: kept by a rename, so it tells which file is
  in place after a move.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from apps.core.exceptions import ValidationError
from apps.tenancy.provisioning.failpoints import failpoint
from apps.tenancy.storage.base import (
    TEMPLATE_PREFIX,
    WORK_PREFIX,
    BackupContents,
    FillValue,
    Refilled,
    Schema,
    TenantStorage,
    checked_name,
    database_name,
)
from apps.tenancy.storage.files import (
    copy_private,
    create_private,
    durable_replace,
    resolved_directory,
    safe_path_in,
    write_private_text,
)
from apps.tenancy.storage.sqlite_schema import read_schema_of, refill_from

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

SUFFIX = ".sqlite3"
SIDECARS = ("-wal", "-shm", "-journal")
#: how long a copy waits for another connection's write lock before giving up
LOCK_TIMEOUT = 30.0


def remove_database_files(path: Path) -> None:
    """Remove a database file and its sidecars (missing ones are fine)."""
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SIDECARS)):
        candidate.unlink(missing_ok=True)


def remove_sidecars(path: Path) -> None:
    for suffix in SIDECARS:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def file_identity(path: Path) -> str:
    """``device:inode`` of ``path``; "" when there is no file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return ""
    return f"{info.st_dev}:{info.st_ino}"


def copy_file_atomically(source: Path, target: Path, *, point: str = "") -> None:
    """Copy a closed file so ``target`` appears complete or not at all (and, once it
    has appeared, survives a power cut)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        copy_private(source, partial)
        if point:
            failpoint(point)
        durable_replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def row_counts_of(connection: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        for table in sorted(tables)
    }


class SqliteStorage(TenantStorage):
    """The local directory of SQLite files (see the module docstring)."""

    key = ""
    vendor = "sqlite"
    backup_suffix = SUFFIX

    # -- where -----------------------------------------------------------------------

    @property
    def root(self) -> Path:
        return Path(settings.HMS_TENANT_DB_DIR)

    def directory_for(self, name: str) -> Path:
        if name.startswith(WORK_PREFIX):
            return self.root / "tmp"
        if name.startswith(TEMPLATE_PREFIX):
            return Path(settings.HMS_TEMPLATE_DB_DIR)
        return self.root

    def path(self, name: str) -> Path:
        """The file of database ``name`` (SQLite only: for this module, tests, tools)."""
        return safe_path_in(self.directory_for(checked_name(name)), f"{name}{SUFFIX}")

    def describe(self, name: str) -> str:
        path = self.path(name)
        try:
            return str(path.relative_to(resolved_directory(str(self.root.parent))))
        except ValueError:
            return str(path)

    # -- the interface ------------------------------------------------------------------

    def connection_settings(self, name: str) -> dict[str, Any]:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(self.path(name)),
            "OPTIONS": dict(settings.SQLITE_OPTIONS),
            "TEST": {
                "CHARSET": None,
                "COLLATION": None,
                "MIGRATE": True,
                "MIRROR": None,
                "NAME": None,
            },
        }

    def exists(self, name: str) -> bool:
        return self.path(name).exists()

    def create_empty(self, name: str) -> None:
        path = self.path(name)
        if path.exists():
            raise FileExistsError(f"{path.name} already exists")
        remove_sidecars(path)
        create_private(path)  # SQLite takes an empty file as a new database

    def clone(self, template: str, name: str) -> None:
        source, target = self.path(template), self.path(name)
        if not source.exists():
            raise FileNotFoundError(f"{source.name} does not exist")
        remove_sidecars(target)
        copy_file_atomically(source, target)

    def move(self, source: str, target: str, *, replace: bool = False) -> None:
        origin, destination = self.path(source), self.path(target)
        if not origin.exists():
            raise FileNotFoundError(f"{origin.name} does not exist")
        if destination.exists() and not replace:
            raise FileExistsError(f"{destination.name} already exists")
        destination.parent.mkdir(parents=True, exist_ok=True)
        remove_sidecars(destination)
        durable_replace(origin, destination)
        remove_sidecars(origin)

    def drop(self, name: str) -> None:
        remove_database_files(self.path(name))

    def backup(
        self,
        name: str,
        target: Path,
        *,
        snapshot: Callable[[sqlite3.Connection], None] | None = None,
    ) -> Path:
        """Through SQLite's online backup API, to a ``.partial`` renamed when complete.
        ``snapshot`` is called with the source connection inside the one read
        transaction the copy is taken from."""
        source = self.path(name)
        if not source.exists():
            raise FileNotFoundError(f"{source.name} does not exist")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.partial")
        try:
            create_private(partial)
            with (
                closing(sqlite3.connect(source, timeout=LOCK_TIMEOUT)) as origin,
                closing(sqlite3.connect(partial)) as copy,
            ):
                if snapshot is not None:
                    origin.execute("BEGIN")
                    snapshot(origin)
                origin.backup(copy)
            failpoint("backup-copy")
            durable_replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return target

    def counted_backup(self, name: str, target: Path) -> dict[str, int]:
        counts: dict[str, int] = {}
        self.backup(name, target, snapshot=lambda db: counts.update(row_counts_of(db)))
        return counts

    def restore(self, source: Path, name: str) -> None:
        """Page by page through SQLite, so connections other processes may still hold
        see the restored content, not a half-replaced file."""
        if not source.exists():
            raise FileNotFoundError(f"{source.name} does not exist")
        target = self.path(name)
        if not target.exists():
            remove_sidecars(target)
            create_private(target)
        with (
            closing(sqlite3.connect(source)) as origin,
            closing(sqlite3.connect(target, timeout=LOCK_TIMEOUT)) as live,
        ):
            origin.backup(live)

    def backup_check(self, source: Path) -> BackupContents:
        if not source.is_file():
            raise ValueError(f"{source} does not exist")
        try:
            with closing(
                sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=LOCK_TIMEOUT)
            ) as db:
                (verdict,) = db.execute("PRAGMA integrity_check").fetchone()
                if verdict != "ok":
                    raise ValueError(f"{source.name} is damaged: {verdict}")
                tables = {
                    n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                if "django_migrations" not in tables:
                    raise ValueError(f"{source.name} is not a hospital database")
                recorded = frozenset(db.execute("SELECT app, name FROM django_migrations"))
                return BackupContents(recorded, row_counts_of(db))
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{source.name} is not a readable database ({exc})") from exc

    def row_counts(self, name: str) -> dict[str, int]:
        with closing(sqlite3.connect(self.path(name), timeout=LOCK_TIMEOUT)) as db:
            return row_counts_of(db)

    def size(self, name: str) -> int:
        try:
            return self.path(name).stat().st_size
        except FileNotFoundError:
            return 0

    def names(self, prefix: str = "") -> list[str]:
        directories = {self.root, self.root / "tmp", Path(settings.HMS_TEMPLATE_DB_DIR)}
        found: set[str] = set()
        for directory in directories:
            if not directory.is_dir():
                continue
            for path in directory.glob(f"{prefix}*{SUFFIX}"):
                name = path.name.removesuffix(SUFFIX)
                if _is_name(name) and self.directory_for(name) == directory and path.is_file():
                    found.add(name)
        return sorted(found)

    def identity(self, name: str) -> str:
        return file_identity(self.path(name))

    # -- optional capabilities ------------------------------------------------------------

    def seal(self, name: str) -> None:
        """Record the SHA-256 of closed database ``name`` beside it (``clone_is_exact``)."""
        path = self.path(name)
        digest_path = digest_path_of(path)
        partial = digest_path.with_name(f"{digest_path.name}.{uuid.uuid4().hex[:8]}.partial")
        try:
            write_private_text(partial, file_sha256(path))
            durable_replace(partial, digest_path)
        finally:
            partial.unlink(missing_ok=True)

    def save_template(self, source: str, template: str) -> None:
        """Keep a sealed copy of the closed, verified database ``source`` as ``template``."""
        digest = file_sha256(self.path(source))
        target = self.path(template)
        remove_sidecars(target)
        copy_file_atomically(self.path(source), target, point="template-copy")
        digest_path = digest_path_of(target)
        partial = digest_path.with_name(f"{digest_path.name}.{uuid.uuid4().hex[:8]}.partial")
        try:
            write_private_text(partial, digest)
            durable_replace(partial, digest_path)
        finally:
            partial.unlink(missing_ok=True)

    def clone_is_exact(self, template: str, name: str) -> bool:
        """Whether ``name`` is byte for byte the sealed ``template`` (no digest: False)."""
        try:
            expected = digest_path_of(self.path(template)).read_text().strip()
        except FileNotFoundError:
            return False
        return bool(expected) and file_sha256(self.path(name)) == expected

    def remove_leftovers(self, prefix: str, *, older_than: float | None = None) -> int:
        """Remove working databases named ``prefix…`` and any template copy cut short
        (``.partial``), with ``older_than`` only files last written before it."""
        patterns = [(self.directory_for(prefix), f"{prefix}*{SUFFIX}*")]
        patterns.append((Path(settings.HMS_TEMPLATE_DB_DIR), "*.partial"))
        removed = 0
        for directory, pattern in patterns:
            if not directory.is_dir():
                continue
            for path in directory.glob(pattern):
                try:
                    if older_than is not None and path.stat().st_mtime >= older_than:
                        continue
                except FileNotFoundError:
                    continue
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    # SQLite describes every table in its own catalogue (sqlite_schema.py)
    compares_schema = True

    def schema(self, name: str) -> Schema:
        return read_schema_of(self.path(name))

    def refill(self, name: str, source: Path, fill: FillValue) -> Refilled:
        return refill_from(source, into=self.path(name), fill=fill)


def digest_path_of(path: Path) -> Path:
    return path.with_name(f"{path.name}.sha256")


def _is_name(name: str) -> bool:
    try:
        checked_name(name)
    except ValidationError:
        return False
    return True


def database_path(hospital: Hospital) -> Path:
    """The file of a hospital on local SQLite storage — for tests and tools only."""
    return SqliteStorage().path(database_name(hospital))


def working_dir() -> Path:
    """Where working databases are built on local SQLite storage — for tests and tools."""
    return SqliteStorage().directory_for(WORK_PREFIX)


def templates_dir() -> Path:
    return SqliteStorage().directory_for(TEMPLATE_PREFIX)
