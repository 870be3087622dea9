"""Copies of hospital databases.

A recreate backs the old database up to ``tenant_databases/backups/`` first and keeps
the copy (the job lists it); a migrate takes a copy first and writes it back if a
migration fails, so a hospital is left at its previous consistent state.

Copies are taken by the hospital's storage (``apps.tenancy.storage``): consistent even
while another connection writes, owner-only, fsynced, and under their final name only
once complete. A backup is always a local file, whatever the storage; its suffix is the
storage's (``.sqlite3``, ``.dump``).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from apps.tenancy.connections import (
    alias_for_code,
    forget_database,
)
from apps.tenancy.storage import database_name, storage_for
from apps.tenancy.storage.files import safe_path_in

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital


def backups_dir() -> Path:
    return Path(settings.HMS_TENANT_DB_DIR) / "backups"


def backup_path(hospital: Hospital, reason: str) -> Path:
    """A new, unused path for a copy of ``hospital``'s database taken before ``reason``."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    unique = uuid.uuid4().hex[:6]
    suffix = storage_for(hospital).backup_suffix
    name = f"hospital_{hospital.code.lower()}.{stamp}.{unique}.before-{reason}{suffix}"
    return safe_path_in(backups_dir(), name)


def database_copy(hospital: Hospital, target: Path) -> Path:
    """Write a consistent copy of ``hospital``'s database to the file ``target``.

    An interrupted copy never looks like a backup (the storage writes a ``.partial``
    that ``jobs`` clean-up removes)."""
    return storage_for(hospital).backup(database_name(hospital), target)


def database_restore(copy: Path, hospital: Hospital) -> None:
    """Write the backup ``copy`` back over ``hospital``'s database (all or nothing)."""
    if not copy.exists():
        raise FileNotFoundError(f"{copy.name} does not exist")
    forget_database(alias_for_code(hospital.code))
    storage_for(hospital).restore(copy, database_name(hospital))


def remove_partial_backups(code: str, *, older_than: float | None = None) -> int:
    """Remove backup copies of hospital ``code`` cut short (``hospital_<code>.*.partial``)."""
    directory = backups_dir()
    if not directory.is_dir():
        return 0
    removed = 0
    for path in directory.glob(f"hospital_{code.lower()}.*.partial"):
        try:
            if older_than is not None and path.stat().st_mtime >= older_than:
                continue
        except FileNotFoundError:
            continue
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def display_path(path: Path | str) -> str:
    """``path`` relative to the tenant databases directory, for pages and logs."""
    try:
        return str(Path(path).relative_to(Path(settings.HMS_TENANT_DB_DIR).parent))
    except ValueError:
        return str(path)
