"""A hospital's database as the tests see it, on whichever storage the run uses (SQLite
files, or PostgreSQL under HMS_TEST_BACKEND=postgresql): present, missing, or something
in the way of a new one."""

from __future__ import annotations

from pathlib import Path

from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.pipeline import template_name
from apps.tenancy.storage import database_name, storage_for, storages
from apps.tenancy.storage.sqlite import TEMPLATE_PREFIX, SqliteStorage


def template_path() -> Path:
    """The file of the current template on local SQLite storage."""
    return SqliteStorage().path(template_name())


def database_exists(hospital: Hospital) -> bool:
    return storage_for(hospital).exists(database_name(hospital))


def database_remove(hospital: Hospital) -> None:
    storage_for(hospital).drop(database_name(hospital))


def database_in_the_way(hospital: Hospital) -> None:
    """Something that is not a hospital database where its database would go: a file
    of junk, or an empty PostgreSQL database."""
    storage, name = storage_for(hospital), database_name(hospital)
    if isinstance(storage, SqliteStorage):
        storage.path(name).write_bytes(b"in the way")
    else:
        storage.drop(name)
        storage.create_empty(name)


def templates_remove() -> None:
    """No template on any PostgreSQL server, so the next build takes the slow path (a
    SQLite test points HMS_TEMPLATE_DB_DIR at an empty directory for that)."""
    for storage in storages():
        if not isinstance(storage, SqliteStorage):
            for name in storage.names(TEMPLATE_PREFIX):
                storage.drop(name)
