"""Where hospital databases live (see base.py): SQLite files or PostgreSQL servers.

The registry: ``storages()`` lists what is configured — the local SQLite directory when
``settings.HMS_TENANT_SERVERS`` is empty, else one PostgreSQL server per URL there (keys
``pg1``, ``pg2`` … in order); ``storage_for(hospital)`` is the one a hospital's database
is on (``Hospital.server``); ``placement_choose`` picks one for a new hospital.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.utils.translation import gettext as _

from apps.core.exceptions import ValidationError
from apps.tenancy.storage.base import (
    TEMPLATE_PREFIX,
    WORK_PREFIX,
    FillValue,
    Refilled,
    RowsRefused,
    Schema,
    TableSchema,
    TenantStorage,
    checked_name,
    database_name,
)
from apps.tenancy.storage.sqlite import SqliteStorage

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

__all__ = [
    "TEMPLATE_PREFIX",
    "WORK_PREFIX",
    "FillValue",
    "Refilled",
    "RowsRefused",
    "Schema",
    "TableSchema",
    "TenantStorage",
    "checked_name",
    "database_name",
    "placement_choose",
    "storage_by_key",
    "storage_for",
    "storages",
]


def server_urls() -> tuple[str, ...]:
    configured = settings.HMS_TENANT_SERVERS
    if isinstance(configured, str):
        configured = configured.split(",")
    return tuple(url.strip() for url in configured if url.strip())


@lru_cache(maxsize=8)
def _postgres_storages(urls: tuple[str, ...]) -> tuple[TenantStorage, ...]:
    from apps.tenancy.storage.postgresql import PostgresStorage  # type: ignore[import-not-found,unused-ignore]

    return tuple(PostgresStorage(f"pg{number}", url) for number, url in enumerate(urls, 1))


def storages() -> list[TenantStorage]:
    """Every configured storage, in order (see the module docstring)."""
    urls = server_urls()
    if not urls:
        return [SqliteStorage()]
    return list(_postgres_storages(urls))


def storage_by_key(key: str) -> TenantStorage:
    for storage in storages():
        if storage.key == key:
            return storage
    where = f"server {key!r}" if key else "the local SQLite directory"
    raise ImproperlyConfigured(
        f"Hospital databases on {where} are not configured (HMS_TENANT_SERVERS lists "
        f"{', '.join(s.key or 'the local SQLite directory' for s in storages())})."
    )


def storage_for(hospital: Hospital) -> TenantStorage:
    """The storage ``hospital``'s database is on; ImproperlyConfigured when its server
    is no longer configured."""
    return storage_by_key(hospital.server)


def placement_choose(server: str | None = None) -> str:
    """The key of the storage a new hospital's database goes to: ``server`` when given
    (refused if not configured), else the least loaded — the one with the fewest
    hospitals recorded on it, the first in order on a tie."""
    from apps.tenancy.models import Hospital

    keys = [storage.key for storage in storages()]
    if server is not None and server != "":
        if server not in keys:
            raise ValidationError(
                _("There is no database server %(server)r; choose one of: %(servers)s.")
                % {"server": server, "servers": ", ".join(k or "local" for k in keys)},
                field="server",
            )
        return server
    if len(keys) == 1:
        return keys[0]
    load = dict.fromkeys(keys, 0)
    counted = Hospital.objects.filter(server__in=keys).values("server").annotate(n=Count("pk"))
    for row in counted:
        load[row["server"]] = row["n"]
    return min(keys, key=lambda key: (load[key], keys.index(key)))
