"""Hospital databases registered in ``django.db.connections`` at run time.

A hospital's alias (``hospital_<code>``) is built from its Hospital row the first time a
process needs it — web, worker, command or test — so no hospital is ever listed in
settings and a hospital created a second ago is usable at once, with no restart.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from apps.core.exceptions import ValidationError

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

#: marks a connection settings dict as a hospital database (Django ignores unknown keys)
TENANT_MARKER = "HMS_TENANT"
ALIAS_PREFIX = "hospital_"
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")


def tenant_db_dir() -> Path:
    return Path(settings.HMS_TENANT_DB_DIR)


def safe_path_in(directory: Path, file_name: str) -> Path:
    """``directory / file_name``, refusing any name that would land outside it."""
    if not _SAFE_NAME.match(file_name) or ".." in file_name:
        raise ValidationError(f"{file_name!r} is not a safe database file name")
    root = _resolved(str(directory))
    # The name has no separator, so only a symlink could lead out of the directory.
    path = root / file_name
    if path.is_symlink() and path.resolve().parent != root:
        raise ValidationError(f"{file_name!r} would escape {root}")
    return path


@lru_cache(maxsize=64)
def _resolved(directory: str) -> Path:
    """``directory`` with symlinks resolved: asked on every provisioning step, and a
    full resolve stats every component of the path."""
    return Path(directory).resolve()


def database_file_name(code: str) -> str:
    return f"{ALIAS_PREFIX}{code.lower()}.sqlite3"


def database_path(hospital: Hospital) -> Path:
    return safe_path_in(tenant_db_dir(), database_file_name(hospital.code))


def alias_for_code(code: str) -> str:
    return f"{ALIAS_PREFIX}{code.lower()}"


def register_database(alias: str, path: Path) -> str:
    """Register (or re-point) ``alias`` to the SQLite file at ``path``."""
    existing = connections.settings.get(alias)
    if existing is not None and existing.get("NAME") == str(path):
        return alias
    if existing is not None:
        forget_database(alias)
    config: dict[str, Any] = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    config.update(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": copy.deepcopy(settings.SQLITE_OPTIONS),
            "TEST": {
                "CHARSET": None,
                "COLLATION": None,
                "MIGRATE": True,
                "MIRROR": None,
                "NAME": None,
            },
            TENANT_MARKER: True,
        }
    )
    connections.settings[alias] = config
    return alias


def hospital_alias(hospital: Hospital) -> str:
    """The hospital's database alias, registered in this process if it is not yet."""
    return register_database(alias_for_code(hospital.code), database_path(hospital))


def is_tenant_alias(alias: str) -> bool:
    config = connections.settings.get(alias)
    return bool(config and config.get(TENANT_MARKER))


def close_database(alias: str) -> None:
    """Close this thread's connection to ``alias`` (SQLite checkpoints WAL on close)."""
    # ``_connections`` (the per-thread holder) is not in django-stubs; asking it avoids
    # opening a connection just to close it.
    if alias in connections.settings and hasattr(connections._connections, alias):  # type: ignore[attr-defined]
        connections[alias].close()


def forget_database(alias: str) -> None:
    """Close and unregister ``alias`` in this process (e.g. before its file moves)."""
    close_database(alias)
    if hasattr(connections._connections, alias):  # type: ignore[attr-defined]
        del connections[alias]
    connections.settings.pop(alias, None)


def forget_all_tenant_databases() -> None:
    for alias in [a for a in connections.settings if is_tenant_alias(a)]:
        forget_database(alias)
