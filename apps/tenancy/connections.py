"""Hospital databases registered in ``django.db.connections`` at run time.

A hospital's alias (``hospital_<code>``) is built from its Hospital row the first time a
process needs it — web, worker, command or test — so no hospital is ever listed in
settings and a hospital created a second ago is usable at once, with no restart.

A process keeps at most ``HMS_TENANT_ALIAS_CAP`` hospital aliases registered (least
recently used ones beyond it are closed and forgotten, never one in use): Django walks
every registered alias several times per request (``close_old_connections``,
``reset_queries``), so a request costs the same in a process that has served one hospital
as in one that has served a thousand. A hospital's connection is kept across requests
(``HMS_TENANT_CONN_MAX_AGE`` seconds) and dropped when its database is replaced (a
restore, a recreate) or moved away, so a kept connection never reads a database that is
no longer the hospital's.

The platform database's connection is kept across requests too (``CONN_MAX_AGE`` in
settings). Kept connections belong to the threads that opened them; when a web worker or
a Celery process exits, :func:`close_process_connections` closes every one of them, so a
PostgreSQL server sees each session end cleanly instead of a dropped socket.
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections import Counter, OrderedDict
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from apps.tenancy.storage import TenantStorage, database_name, storage_by_key, storage_for

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

#: marks a connection settings dict as a hospital database (Django ignores unknown keys)
TENANT_MARKER = "HMS_TENANT"
#: which storage and database name a hospital connection is for (see alias_enter)
STORAGE_KEY = "HMS_STORAGE"
DATABASE_NAME = "HMS_DATABASE"
ALIAS_PREFIX = "hospital_"


def alias_for_code(code: str) -> str:
    return f"{ALIAS_PREFIX}{code.lower()}"


def register_database(alias: str, storage: TenantStorage, name: str) -> str:
    """Register (or re-point) ``alias`` to database ``name`` on ``storage``."""
    wanted = storage.connection_settings(name)
    existing = connections.settings.get(alias)
    if (
        existing is not None
        and existing.get(STORAGE_KEY) == storage.key
        and existing.get("NAME") == wanted.get("NAME")
    ):
        return alias
    if existing is not None:
        forget_database(alias)
    config: dict[str, Any] = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    config.update(copy.deepcopy(wanted))
    config.update(
        {
            "CONN_MAX_AGE": settings.HMS_TENANT_CONN_MAX_AGE,
            TENANT_MARKER: True,
            STORAGE_KEY: storage.key,
            DATABASE_NAME: name,
        }
    )
    connections.settings[alias] = config
    return alias


def hospital_alias(hospital: Hospital) -> str:
    """The hospital's database alias, registered in this process if it is not yet."""
    alias = register_database(
        alias_for_code(hospital.code), storage_for(hospital), database_name(hospital)
    )
    _recently_used(alias)
    return alias


# -- a bounded set of aliases -------------------------------------------------------------

_lock = threading.Lock()
#: hospital aliases registered by hospital_alias, least recently used first
_recent: OrderedDict[str, None] = OrderedDict()
#: aliases selected by a tenant_context in some thread right now: never evicted
_in_use: Counter[str] = Counter()
#: per thread: the hospital aliases this thread has used (to close its connections to
#: aliases another thread has evicted)
_local = threading.local()


def alias_cap() -> int:
    return int(settings.HMS_TENANT_ALIAS_CAP)


def _recently_used(alias: str) -> None:
    with _lock:
        _recent[alias] = None
        _recent.move_to_end(alias)
        excess = len(_recent) - alias_cap()
        evicted = [a for a in _recent if not _in_use[a] and a != alias][: max(0, excess)]
        for old in evicted:
            del _recent[old]
    for old in evicted:
        forget_database(old)
    used: set[str] = _local.__dict__.setdefault("used", set())
    used.add(alias)


def registered_hospital_aliases() -> list[str]:
    """Hospital aliases registered in this process, least recently used first."""
    with _lock:
        return list(_recent)


def alias_enter(alias: str) -> None:
    """``alias`` is selected (tenant_context): keep it registered until alias_exit, close
    this thread's connections to aliases evicted meanwhile, and drop a kept connection
    whose database was replaced or moved since it opened (the storage's identity)."""
    with _lock:
        _in_use[alias] += 1
    used: set[str] = _local.__dict__.setdefault("used", set())
    for stale in [a for a in used if a not in connections.settings]:
        used.discard(stale)
        holder = connections._connections  # type: ignore[attr-defined]
        if hasattr(holder, stale):
            getattr(holder, stale).close()
            delattr(holder, stale)
    if hasattr(connections._connections, alias):  # type: ignore[attr-defined]
        connection = connections[alias]
        if connection.connection is not None and not connection.in_atomic_block:
            opened = getattr(connection, "hms_file_identity", None)
            if opened is not None and opened != _database_identity(connection):
                connection.close()


def alias_exit(alias: str) -> None:
    with _lock:
        _in_use[alias] -= 1
        if _in_use[alias] <= 0:
            del _in_use[alias]


def _database_identity(connection: BaseDatabaseWrapper) -> str | None:
    """Which database a hospital connection's name points at now (see alias_enter);
    None when its storage need not be asked."""
    config = connection.settings_dict
    try:
        storage = storage_by_key(config[STORAGE_KEY])
    except (KeyError, ImproperlyConfigured):
        return None
    if not storage.check_identity_on_reuse:
        return None
    return storage.identity(config[DATABASE_NAME])


def remember_file_identity(sender: Any, connection: BaseDatabaseWrapper, **_: Any) -> None:
    """connection_created: note which database a hospital connection opened (see
    alias_enter)."""
    if connection.settings_dict.get(TENANT_MARKER):
        connection.hms_file_identity = _database_identity(connection)  # type: ignore[attr-defined]


#: every connection this process has opened, in any thread (see close_process_connections)
_opened: weakref.WeakSet[BaseDatabaseWrapper] = weakref.WeakSet()


def remember_connection(sender: Any, connection: BaseDatabaseWrapper, **_: Any) -> None:
    """connection_created: keep track of the connection for close_process_connections."""
    with _lock:
        _opened.add(connection)


def close_process_connections() -> None:
    """Close every database connection of this process, whichever thread opened it: a
    web worker or a Celery process that is about to exit (gunicorn's worker_exit,
    Celery's shutdown signals). Django's own close_all() reaches only the calling
    thread's connections, and each gunicorn thread keeps its own."""
    with _lock:
        opened = list(_opened)
    for connection in opened:
        if connection.connection is None:
            continue
        # closing another thread's connection is what this is for: its thread is done
        connection.inc_thread_sharing()
        try:
            connection.close()
        except Exception:  # exiting: one broken connection must not keep the others open
            pass
        finally:
            connection.dec_thread_sharing()


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
    with _lock:
        _recent.clear()
