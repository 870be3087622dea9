"""Copies of hospital databases.

A recreate backs the old database up to ``tenant_databases/backups/`` first and keeps
the copy (the job lists it); a migrate takes a copy first and writes it back if a
migration fails, so a hospital is left at its previous consistent state.

Copies go through SQLite's online backup API rather than a file copy: the result is
consistent even while another connection writes, and includes what is still in the WAL.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone

from apps.tenancy.connections import (
    alias_for_code,
    database_path,
    forget_database,
    safe_path_in,
    tenant_db_dir,
)
from apps.tenancy.files import create_private, durable_replace
from apps.tenancy.provisioning.failpoints import failpoint

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

#: how long a copy waits for another connection's write lock before giving up
LOCK_TIMEOUT = 30.0


def backups_dir() -> Path:
    return tenant_db_dir() / "backups"


def backup_path(hospital: Hospital, reason: str) -> Path:
    """A new, unused path for a copy of ``hospital``'s database taken before ``reason``."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    unique = uuid.uuid4().hex[:6]
    name = f"hospital_{hospital.code.lower()}.{stamp}.{unique}.before-{reason}.sqlite3"
    return safe_path_in(backups_dir(), name)


def database_copy(
    source: Path, target: Path, *, snapshot: Callable[[sqlite3.Connection], None] | None = None
) -> Path:
    """Write a consistent copy of the SQLite database ``source`` to ``target``.

    The copy is owner-only, and appears under its final name only once complete and
    fsynced, so an interrupted copy never looks like a backup (its ``.partial`` is
    cleaned up by ``remove_stale_working_files``). ``snapshot`` is called with the
    source connection inside the read transaction the copy is taken from.
    """
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
                # One read transaction: ``snapshot`` sees exactly what is copied.
                origin.execute("BEGIN")
                snapshot(origin)
            origin.backup(copy)
        failpoint("backup-copy")
        durable_replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def database_restore(copy: Path, hospital: Hospital) -> None:
    """Write ``copy`` back over ``hospital``'s database, page by page through SQLite,
    so connections other processes may still hold see the restored content, not a
    half-replaced file."""
    if not copy.exists():
        raise FileNotFoundError(f"{copy.name} does not exist")
    forget_database(alias_for_code(hospital.code))
    with (
        closing(sqlite3.connect(copy)) as origin,
        closing(sqlite3.connect(database_path(hospital), timeout=LOCK_TIMEOUT)) as live,
    ):
        origin.backup(live)


def display_path(path: Path | str) -> str:
    """``path`` relative to the tenant databases directory, for pages and logs."""
    try:
        return str(Path(path).relative_to(tenant_db_dir().parent))
    except ValueError:
        return str(path)
