"""Hospital databases on one PostgreSQL server: one database per hospital.

Every operation runs on a short maintenance connection to the server's ``postgres``
database (autocommit: CREATE and DROP DATABASE refuse to run inside a transaction), with
every database name checked (``checked_name``) and quoted by ``psycopg.sql``.

PostgreSQL refuses to copy, rename or drop a database somebody is connected to. Before
each of these the storage closes this thread's Django connections to it (Django would
otherwise hold a connection the server has killed) and terminates everybody else's.

Two kinds of scratch database are named after the database they serve, so cleanup finds
them by name: ``replaced_<target>`` (the database a ``move(..., replace=True)`` pushed
aside: always garbage, see ``move``) and ``restoring_<target>`` (a restore being loaded:
garbage unless a restore of ``<target>`` is running). ``leftovers()`` lists both.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from psycopg import sql

from apps.core.exceptions import Conflict, NotFound, ValidationError
from apps.tenancy.files import create_private, durable_replace
from apps.tenancy.storage.base import TenantStorage, checked_name
from apps.tenancy.storage.throwaway import postgres_bin_dir

MAINTENANCE_DATABASE = "postgres"
#: databases every PostgreSQL server has; never a hospital's
SYSTEM_DATABASES = frozenset({"postgres", "template0", "template1"})
REPLACED_PREFIX = "replaced_"
RESTORING_PREFIX = "restoring_"
CONNECT_TIMEOUT_SECONDS = 10
#: how often a copy, rename or drop retries after a connection slipped in between the
#: termination of the others and the statement (each try already waits up to 5 s)
BUSY_RETRIES = 3
_NAME_LIMIT = 63
_PREFIX = re.compile(r"^[a-z0-9_]{0,63}$")


def scratch_name(prefix: str, target: str) -> str:
    """``<prefix><target>``, shortened with a digest of ``target`` past 63 characters."""
    name = f"{prefix}{target}"
    if len(name) <= _NAME_LIMIT:
        return name
    digest = hashlib.sha256(target.encode()).hexdigest()[:8]
    return f"{name[: _NAME_LIMIT - 9]}_{digest}"


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern matching names that start with ``prefix`` (``_`` and ``%`` are
    wildcards in LIKE: escaped, so ``hospital_a`` does not match ``hospitalxa``)."""
    escaped = prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
    return f"{escaped}%"


def binary(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: beside initdb (HMS_POSTGRES_BIN or Debian's newest
    version, which can dump any older server), else from PATH."""
    with suppress(RuntimeError):
        candidate = postgres_bin_dir() / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


class PostgresStorage(TenantStorage):
    """Hospital databases on the PostgreSQL server at ``url`` (see the module docstring)."""

    vendor = "postgresql"
    backup_suffix = ".dump"

    def __init__(self, key: str, url: str) -> None:
        self.key = key
        self.url = url
        parsed = dj_database_url.parse(url)
        if parsed.get("ENGINE") != "django.db.backends.postgresql":
            raise ValidationError(f"{key}: {url.split('@')[-1]!r} is not a postgresql:// URL")
        self._server: dict[str, Any] = {
            "HOST": parsed.get("HOST") or "",
            "PORT": str(parsed.get("PORT") or ""),
            "USER": parsed.get("USER") or "",
            "PASSWORD": parsed.get("PASSWORD") or "",
        }

    def __repr__(self) -> str:  # never the password
        return f"PostgresStorage({self.key!r}, {self._server['HOST']}:{self._server['PORT']})"

    # -- Django ----------------------------------------------------------------------------

    def connection_settings(self, name: str) -> dict[str, Any]:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": checked_name(name),
            **self._server,
            "OPTIONS": {
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "application_name": "hms",
            },
            # A kept connection (CONN_MAX_AGE, set by the caller) may have been terminated
            # by a clone, move or drop in another process: checked before each request's
            # first query and reopened, instead of failing that request.
            "CONN_HEALTH_CHECKS": True,
            # Django's server-side cursors (QuerySet.iterator) break behind a pooler in
            # transaction mode (PgBouncer); rows are fetched client-side, which is what
            # SQLite does anyway.
            "DISABLE_SERVER_SIDE_CURSORS": True,
            "TEST": {"CHARSET": None, "COLLATION": None, "MIGRATE": True, "MIRROR": None},
        }

    def _close_django_connections(self, *names: str) -> None:
        """Close this thread's Django connections to ``names`` on this server."""
        from django.db import connections

        from apps.tenancy.connections import close_database

        for alias, config in list(connections.settings.items()):
            if (
                config.get("ENGINE") == "django.db.backends.postgresql"
                and config.get("NAME") in names
                and (config.get("HOST") or "") == self._server["HOST"]
                and str(config.get("PORT") or "") == self._server["PORT"]
            ):
                close_database(alias)

    # -- the maintenance connection -------------------------------------------------------

    @contextmanager
    def _maintenance(self) -> Iterator[psycopg.Connection[Any]]:
        with psycopg.connect(
            self.url,
            dbname=MAINTENANCE_DATABASE,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            application_name="hms-maintenance",
        ) as connection:
            yield connection

    @staticmethod
    def _terminate(connection: psycopg.Connection[Any], *names: str) -> None:
        """End every other session on ``names`` (waiting up to 5 s for each to exit)."""
        connection.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = ANY(%s) AND pid <> pg_backend_pid()",
            [list(names)],
        )

    def _exclusive(
        self,
        connection: psycopg.Connection[Any],
        names: tuple[str, ...],
        statements: Sequence[sql.Composed],
    ) -> None:
        """Run ``statements`` (one transaction when several) once nobody else is connected
        to ``names``; a session that connects between the termination and the statement
        makes PostgreSQL refuse (ObjectInUse), and the whole is tried again."""
        self._close_django_connections(*names)
        for attempt in range(BUSY_RETRIES + 1):
            self._terminate(connection, *names)
            try:
                if len(statements) == 1:
                    connection.execute(statements[0])
                else:
                    with connection.transaction():
                        for statement in statements:
                            connection.execute(statement)
                return
            except psycopg.errors.ObjectInUse:
                if attempt == BUSY_RETRIES:
                    raise

    # -- the interface ---------------------------------------------------------------------

    def exists(self, name: str) -> bool:
        checked_name(name)
        with self._maintenance() as connection:
            return self._oid(connection, name) is not None

    @staticmethod
    def _oid(connection: psycopg.Connection[Any], name: str) -> int | None:
        row = connection.execute(
            "SELECT oid FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        return None if row is None else int(row[0])

    def create_empty(self, name: str) -> None:
        # template0: nothing anyone added to template1 leaks into a hospital. UTF8 whatever
        # the server's default (Azerbaijani names); the locale is the server's.
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
            sql.Identifier(checked_name(name))
        )
        with self._maintenance() as connection:
            connection.execute(statement)

    def clone(self, template: str, name: str) -> None:
        # WAL_LOG (PostgreSQL 15's default) copies the template block by block through
        # the WAL; FILE_COPY copies its files between two checkpoints. Measured on this
        # project's migrated template (56 tables, 10.8 MB) on a throwaway server, the two
        # strategies alternated, 15-30 clones each, on a 2-core machine shared with other
        # test runs: medians WAL_LOG 49-506 ms, FILE_COPY 54-581 ms with fsync off;
        # 101-351 ms against 64-340 ms with fsync on, also with 8 MB written elsewhere on
        # the server before each clone. No difference the machine could resolve, so the
        # deciding reason is the cost we could not load here: FILE_COPY's checkpoints
        # flush everything every other hospital on the server has dirty, WAL_LOG costs the
        # template's size only (and reaches replicas through the WAL like any write).
        statement = sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY WAL_LOG").format(
            sql.Identifier(checked_name(name)), sql.Identifier(checked_name(template))
        )
        with self._maintenance() as connection:
            self._exclusive(connection, (template,), [statement])

    def move(self, source: str, target: str, *, replace: bool = False) -> None:
        """Rename ``source`` to ``target``.

        With ``replace`` an existing ``target`` is first renamed to ``replaced_<target>``
        and ``source`` takes its name **in the same transaction** (ALTER DATABASE RENAME
        is transactional; DROP DATABASE is not and cannot join it), then the pushed-aside
        database is dropped. So whatever instant a crash hits, ``target`` is either the
        old database or the new one, never missing; at worst the old one is left behind
        as ``replaced_<target>``, which is garbage by construction (it exists only once
        the new one took the name): the next replace of the same target drops it first,
        and ``leftovers()`` lists it for the reaper."""
        checked_name(source)
        checked_name(target)
        if source == target:
            raise ValidationError(f"cannot move {source!r} onto itself")
        aside = scratch_name(REPLACED_PREFIX, target)
        with self._maintenance() as connection:
            if self._oid(connection, source) is None:
                raise NotFound(f"database {source!r} does not exist")
            target_exists = self._oid(connection, target) is not None
            if target_exists and not replace:
                raise Conflict(f"database {target!r} already exists")
            rename = sql.SQL("ALTER DATABASE {} RENAME TO {}")
            statements = [rename.format(sql.Identifier(source), sql.Identifier(target))]
            if target_exists:
                self._drop(connection, aside)
                statements.insert(0, rename.format(sql.Identifier(target), sql.Identifier(aside)))
            self._exclusive(connection, (source, target), statements)
            if target_exists:
                self._drop(connection, aside)

    def drop(self, name: str) -> None:
        checked_name(name)
        with self._maintenance() as connection:
            self._drop(connection, name)

    def _drop(self, connection: psycopg.Connection[Any], name: str) -> None:
        # WITH (FORCE) terminates the other sessions itself; Django's are closed first.
        self._close_django_connections(name)
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )

    def _environment(self, name: str) -> dict[str, str]:
        """libpq's variables for pg_dump / pg_restore: the password never appears on a
        command line (which any local user can read in ps)."""
        environment = dict(os.environ)
        for variable, value in (
            ("PGHOST", self._server["HOST"]),
            ("PGPORT", self._server["PORT"]),
            ("PGUSER", self._server["USER"]),
            ("PGPASSWORD", self._server["PASSWORD"]),
            ("PGDATABASE", name),
            ("PGCONNECT_TIMEOUT", str(CONNECT_TIMEOUT_SECONDS)),
        ):
            if value:
                environment[variable] = value
            else:
                environment.pop(variable, None)
        return environment

    def _run(self, command: list[str], name: str) -> None:
        result = subprocess.run(
            command, env=self._environment(name), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            tool = Path(command[0]).name
            raise RuntimeError(f"{tool} of {name!r} failed: {result.stderr.strip()[-2000:]}")

    def backup(self, name: str, target: Path) -> Path:
        """``pg_dump -Fc`` (one consistent snapshot) into ``<target>.partial`` created
        owner-only, fsynced and renamed into place: the backup appears complete or not at
        all."""
        checked_name(name)
        if not self.exists(name):
            raise NotFound(f"database {name!r} does not exist")
        partial = target.with_name(f"{target.name}.partial")
        create_private(partial)
        try:
            self._run([binary("pg_dump"), "--format=custom", "--file", str(partial)], name)
            durable_replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return target

    def restore(self, source: Path, name: str) -> None:
        """Load the dump into a fresh ``restoring_<name>`` (one transaction, stopping at
        the first error), then ``move`` it onto ``name`` with replace: ``name`` holds the
        old database until the new one is complete, never a half-loaded one."""
        checked_name(name)
        if not source.is_file():
            raise NotFound(f"backup {source} does not exist")
        working = scratch_name(RESTORING_PREFIX, name)
        self.drop(working)  # a restore of ``name`` cut short earlier
        self.create_empty(working)
        try:
            self._run(
                [
                    binary("pg_restore"),
                    "--exit-on-error",
                    "--single-transaction",
                    "--no-owner",
                    "--no-acl",
                    "--dbname",
                    working,
                    str(source),
                ],
                working,
            )
            self.move(working, name, replace=True)
        except BaseException:
            self.drop(working)
            raise

    def size(self, name: str) -> int:
        checked_name(name)
        with self._maintenance() as connection:
            row = connection.execute(
                "SELECT pg_database_size(oid) FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
        return 0 if row is None else int(row[0])

    def names(self, prefix: str = "") -> list[str]:
        if not _PREFIX.match(prefix):
            raise ValidationError(f"{prefix!r} is not a safe database name prefix")
        with self._maintenance() as connection:
            rows = connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s ESCAPE '\\'"
                " ORDER BY datname",
                [_like_prefix(prefix)],
            ).fetchall()
        return [row[0] for row in rows if row[0] not in SYSTEM_DATABASES]

    def identity(self, name: str) -> str:
        checked_name(name)
        with self._maintenance() as connection:
            oid = self._oid(connection, name)
        return "" if oid is None else str(oid)

    def leftovers(self) -> list[str]:
        """Scratch databases (see the module docstring): ``replaced_*`` always garbage,
        ``restoring_*`` garbage unless that restore is still running."""
        return self.names(REPLACED_PREFIX) + self.names(RESTORING_PREFIX)
