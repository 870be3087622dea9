"""Hospital databases on one PostgreSQL server: one database per hospital.

Every operation runs on a short maintenance connection to the server's ``postgres``
database (autocommit: CREATE and DROP DATABASE refuse to run inside a transaction), with
every database name checked (``checked_name``) and quoted by ``psycopg.sql``.

PostgreSQL refuses to copy, rename or drop a database somebody is connected to. Before
each of these the storage closes this thread's Django connections to it (Django would
otherwise hold a connection the server has killed) and terminates everybody else's.

Scratch databases are named after the database they serve, so cleanup finds them by
name: ``replaced_<target>`` (the database a ``move(..., replace=True)`` pushed aside:
always garbage, see ``move``; ``remove_leftovers`` drops every one), ``restoring_<target>``
(a restore being loaded) and ``saving_<template>`` (a template being saved): each of the
last two is dropped by the next restore or save of the same name, or by the reaper's
``remove_leftovers`` when nobody is connected to it; ``leftovers()`` lists all three kinds.

Templates are *sealed*: saved with connections disallowed (``ALLOW_CONNECTIONS false``,
like ``template0``), so nobody can change one after it was verified, a clone never has to
end anybody's session on it, and ``clone_is_exact`` can trust a copy of it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from psycopg import sql

from apps.core.exceptions import Conflict, NotFound, ValidationError
from apps.tenancy.provisioning.failpoints import failpoint
from apps.tenancy.storage.base import BackupContents, TenantStorage, checked_name
from apps.tenancy.storage.files import create_private, durable_replace
from apps.tenancy.storage.throwaway import postgres_bin_dir

MAINTENANCE_DATABASE = "postgres"
#: databases every PostgreSQL server has; never a hospital's
SYSTEM_DATABASES = frozenset({"postgres", "template0", "template1"})
REPLACED_PREFIX = "replaced_"
RESTORING_PREFIX = "restoring_"
SAVING_PREFIX = "saving_"
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
    # Drift detection compares SQLite's own description of each table; describing a
    # PostgreSQL schema the same way (pg_catalog) is not built: verify skips the schema
    # step here and a repair refuses before it touches anything.
    compares_schema = False

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

        # (not apps.tenancy.connections.close_database: connections import the storage)
        holder = connections._connections  # type: ignore[attr-defined]
        for alias, config in list(connections.settings.items()):
            if (
                config.get("ENGINE") == "django.db.backends.postgresql"
                and config.get("NAME") in names
                and (config.get("HOST") or "") == self._server["HOST"]
                and str(config.get("PORT") or "") == self._server["PORT"]
                and hasattr(holder, alias)
            ):
                connections[alias].close()

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

    def _connect(self, name: str) -> psycopg.Connection[Any]:
        """A connection to database ``name`` itself (not autocommit)."""
        return psycopg.connect(
            self.url,
            dbname=name,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            application_name="hms-maintenance",
        )

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
        return self._dump(name, target)

    def _dump(self, name: str, target: Path, *, snapshot: str = "") -> Path:
        partial = target.with_name(f"{target.name}.partial")
        create_private(partial)
        command = [binary("pg_dump"), "--format=custom", "--file", str(partial)]
        if snapshot:
            command.append(f"--snapshot={snapshot}")
        try:
            self._run(command, name)
            failpoint("backup-copy")
            durable_replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return target

    def counted_backup(self, name: str, target: Path) -> dict[str, int]:
        """The rows are counted in the very snapshot pg_dump copies (exported from a
        repeatable-read transaction held open during the dump), so comparing them with
        the backup read back checks the dump, not just the file against itself."""
        checked_name(name)
        if not self.exists(name):
            raise NotFound(f"database {name!r} does not exist")
        with closing(self._connect(name)) as connection:
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            row = connection.execute("SELECT pg_export_snapshot()").fetchone()
            assert row is not None
            counts = _row_counts(connection)
            self._dump(name, target, snapshot=str(row[0]))
            connection.rollback()
        return counts

    def backup_check(self, source: Path) -> BackupContents:
        """Read the whole dump back through ``pg_restore`` (which checks the archive and
        every compressed block): the rows of each table's COPY and the migrations
        recorded in django_migrations."""
        if not source.is_file():
            raise ValueError(f"{source} does not exist")
        command = [binary("pg_restore"), "--data-only", "--file=-", str(source)]
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            try:
                counts, migrations = _read_copy_data(process.stdout)
            finally:
                process.stdout.close()
                errors = process.stderr.read()
            returncode = process.wait()
        if returncode != 0:
            raise ValueError(f"{source.name} is not a readable dump ({errors.strip()[-300:]})")
        if migrations is None:
            raise ValueError(f"{source.name} is not a hospital database")
        return BackupContents(frozenset(migrations), counts)

    def row_counts(self, name: str) -> dict[str, int]:
        checked_name(name)
        with closing(self._connect(name)) as connection:
            return _row_counts(connection)

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

    # -- optional capabilities (see base.py) --------------------------------------------

    #: a database cannot be renamed or replaced under an open session here (move ends
    #: them, and CONN_HEALTH_CHECKS reopens Django's), so a kept connection needs no check
    check_identity_on_reuse = False

    def save_template(self, source: str, template: str) -> None:
        """A sealed copy of ``source`` (see the module docstring) moved onto ``template``.
        Two builds saving the same template at once: the later one wins, the earlier one's
        move fails (NotFound) — both copies were of verified databases of the same state."""
        saving = scratch_name(SAVING_PREFIX, checked_name(template))
        self.drop(saving)  # a save of this template cut short earlier
        self.clone(source, saving)
        failpoint("template-copy")
        with self._maintenance() as connection:
            connection.execute(
                sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(
                    sql.Identifier(saving)
                )
            )
        self.move(saving, template, replace=True)

    def clone_is_exact(self, template: str, name: str) -> bool:
        """CREATE DATABASE … TEMPLATE copies inside the server, in one transaction: a clone
        of a sealed template (nobody could connect to change it after it was verified) is
        that template exactly."""
        checked_name(name)
        with self._maintenance() as connection:
            row = connection.execute(
                "SELECT datallowconn FROM pg_database WHERE datname = %s",
                [checked_name(template)],
            ).fetchone()
            cloned = self._oid(connection, name) is not None
        return row is not None and row[0] is False and cloned

    def remove_leftovers(self, prefix: str, *, older_than: float | None = None) -> int:
        """Drop the databases named ``prefix…``, every ``replaced_…`` (garbage by
        construction) and the scratch databases of restores and template saves cut short.
        PostgreSQL records no creation time, so with ``older_than`` a database somebody
        is connected to counts as in use and is kept (a killed process's sessions end
        with it)."""
        # A restore or template save cut short leaves its scratch database (restoring_…,
        # saving_…) too: dropped here unless someone is connected to it (one running).
        scratch = (REPLACED_PREFIX, RESTORING_PREFIX, SAVING_PREFIX)
        candidates = (
            [*self.names(prefix), *(n for p in scratch for n in self.names(p))] if prefix else []
        )
        removed = 0
        with self._maintenance() as connection:
            busy: set[str] = set()
            if older_than is not None:
                busy = {
                    row[0]
                    for row in connection.execute(
                        "SELECT DISTINCT datname FROM pg_stat_activity"
                        " WHERE datname IS NOT NULL AND pid <> pg_backend_pid()"
                    ).fetchall()
                }
            for name in dict.fromkeys(candidates):
                if name in busy and not name.startswith(REPLACED_PREFIX):
                    continue
                self._drop(connection, name)
                removed += 1
        return removed

    def leftovers(self) -> list[str]:
        """Scratch databases (see the module docstring)."""
        return sorted(
            self.names(REPLACED_PREFIX) + self.names(RESTORING_PREFIX) + self.names(SAVING_PREFIX)
        )


_COPY = re.compile(r'^COPY (?:public\.)?("(?:[^"]|"")+"|[a-z0-9_]+) \((.*)\) FROM stdin;$')


def _unquote(identifier: str) -> str:
    if identifier.startswith('"'):
        return identifier[1:-1].replace('""', '"')
    return identifier


_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r"}


def _unescape(value: str) -> str:
    """A COPY text field (only what migration names can hold needs undoing)."""
    return _ESCAPE.sub(lambda match: _ESCAPES.get(match[1], match[1]), value)


def _read_copy_data(
    lines: Iterable[str],
) -> tuple[dict[str, int], set[tuple[str, str]] | None]:
    """Rows per table from pg_restore's plain-text data (one line per row between
    ``COPY … FROM stdin;`` and ``\\.``), and django_migrations' (app, name) pairs (None
    when the dump has no such table)."""
    counts: dict[str, int] = {}
    migrations: set[tuple[str, str]] | None = None
    table: str | None = None
    columns: list[str] = []
    for raw in lines:
        line = raw.rstrip("\n")
        if table is None:
            match = _COPY.match(line)
            if match:
                table = _unquote(match[1])
                columns = [_unquote(column.strip()) for column in match[2].split(",")]
                counts[table] = 0
                if table == "django_migrations":
                    migrations = set()
            continue
        if line == "\\.":
            table = None
            continue
        counts[table] += 1
        if table == "django_migrations" and migrations is not None:
            fields = dict(zip(columns, line.split("\t"), strict=False))
            migrations.add((_unescape(fields["app"]), _unescape(fields["name"])))
    return dict(sorted(counts.items())), migrations


def _row_counts(connection: psycopg.Connection[Any]) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    counts: dict[str, int] = {}
    for table in tables:
        row = connection.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()
        counts[table] = int(row[0]) if row else 0
    return counts
