"""Schema drift: a hospital database whose tables, columns, indexes or constraints are
not what its recorded migrations produce — a column dropped by hand, an index lost, a
table left over. Recorded migrations alone cannot see it (the original system's "no
such column … hospital_id" behind a hospital marked healthy).

The reference is the template database of the current migration state (built by the
same migrations, verified): a hospital whose migrations are all recorded must have the
same schema. The comparison reads SQLite's own description of each object (PRAGMA
table_xinfo, index_list/index_xinfo, foreign_key_list, and the named CHECK/UNIQUE
constraints of each table), so cosmetic differences in the stored SQL do not count.

The repair keeps the data: a copy of the template (the right schema) is emptied and
filled with every row of the hospital's database — column by column where both have
the column — checked (foreign keys, integrity, no drift, the same row counts), and moved
into place; the old database is backed up first and kept.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_noop

from apps.tenancy.backups import backup_path, database_copy, display_path
from apps.tenancy.connections import alias_for_code, forget_database, register_database
from apps.tenancy.context import tenant_context
from apps.tenancy.exceptions import ProvisioningError
from apps.tenancy.migrations_state import apply_tenant_migrations, tenant_migration_state
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning import (
    BACKUP_STEP,
    mark_by_database_in_place,
    seed_reference_data,
    template_name,
    template_save,
    verify_alias,
    working_name,
)
from apps.tenancy.registry import is_tenant_app
from apps.tenancy.steps import Reporter, Step, StepRunner, silent
from apps.tenancy.storage import TenantStorage, checked_name, database_name, storage_for
from apps.tenancy.storage.sqlite import WORK_PREFIX, SqliteStorage

#: what a hospital whose database is not SQLite is told
SQLITE_ONLY = "schema repair is available for SQLite hospitals only"

_CLAUSE = re.compile(r'(?:CONSTRAINT\s+"(?P<name>[^"]+)"\s+)?\b(?P<kind>CHECK|UNIQUE)\s*\(', re.I)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _constraints(sql: str) -> frozenset[tuple[str, str, str]]:
    """Every CHECK (on a column or the table) and table UNIQUE clause of a CREATE TABLE:
    (name or "", kind, body), the body read up to its matching parenthesis."""
    found = set()
    for match in _CLAUSE.finditer(sql):
        depth, end = 1, match.end()
        while end < len(sql) and depth:
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            end += 1
        body = _normalise(sql[match.end() - 1 : end])
        found.add((match["name"] or "", match["kind"].upper(), body))
    return frozenset(found)


@dataclass(frozen=True)
class TableSchema:
    columns: frozenset[tuple[Any, ...]]
    indexes: frozenset[tuple[Any, ...]]
    foreign_keys: frozenset[tuple[Any, ...]]
    constraints: frozenset[tuple[str, str, str]]

    @property
    def column_names(self) -> frozenset[str]:
        return frozenset(column[0] for column in self.columns)


Schema = dict[str, TableSchema]


def _normalise(sql: str) -> str:
    return " ".join(sql.split())


def read_schema(db: sqlite3.Connection) -> Schema:
    tables = [
        (name, sql or "")
        for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    schema: Schema = {}
    for table, sql in tables:
        quoted = _quote(table)
        columns = frozenset(
            (name, (kind or "").upper(), notnull, default, pk, hidden)
            for _cid, name, kind, notnull, default, pk, hidden in db.execute(
                f"PRAGMA table_xinfo({quoted})"
            )
        )
        indexes = set()
        for _seq, name, unique, origin, partial in db.execute(f"PRAGMA index_list({quoted})"):
            keys = tuple(
                (column, descending)
                for _n, _cid, column, descending, _coll, key in db.execute(
                    f"PRAGMA index_xinfo({_quote(name)})"
                )
                if key
            )
            # An automatic index is named after its position; what it indexes is what counts.
            label = "(automatic)" if name.startswith("sqlite_autoindex_") else name
            indexes.add((label, unique, origin, partial, keys))
        foreign_keys = frozenset(
            (column, target, to, on_update, on_delete)
            for _id, _seq, target, column, to, on_update, on_delete, _match in db.execute(
                f"PRAGMA foreign_key_list({quoted})"
            )
        )
        schema[table] = TableSchema(columns, frozenset(indexes), foreign_keys, _constraints(sql))
    return schema


def read_schema_of(path: Path) -> Schema:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as db:
        return read_schema(db)


def schema_differences(live: Schema, reference: Schema) -> list[str]:
    """What differs, one line each (empty when the schemas match)."""
    found: list[str] = []
    for table in sorted(reference.keys() - live.keys()):
        found.append(f"table {table} is missing")
    for table in sorted(live.keys() - reference.keys()):
        found.append(f"table {table} is not in the schema")
    for table in sorted(reference.keys() & live.keys()):
        want, have = reference[table], live[table]
        for column in sorted(want.column_names - have.column_names):
            found.append(f"column {table}.{column} is missing")
        for column in sorted(have.column_names - want.column_names):
            found.append(f"column {table}.{column} is not in the schema")
        common = want.column_names & have.column_names
        wanted = {c[0]: c for c in want.columns if c[0] in common}
        for column in sorted(c[0] for c in have.columns if c[0] in common and c != wanted[c[0]]):
            found.append(f"column {table}.{column} has a different type or constraint")
        for index in sorted(want.indexes - have.indexes, key=str):
            found.append(f"index {index[0]} on {table} is missing or different")
        for index in sorted(have.indexes - want.indexes, key=str):
            if index[0] not in {i[0] for i in want.indexes} or index[0] == "(automatic)":
                found.append(f"index {index[0]} on {table} is not in the schema")
        if want.foreign_keys != have.foreign_keys:
            found.append(f"foreign keys of {table} differ")
        for name, kind, body in sorted(want.constraints - have.constraints):
            label = name or body
            found.append(f"{kind.lower()} constraint {label} on {table} is missing or different")
        for name, kind, body in sorted(have.constraints - want.constraints):
            if not name or name not in {c[0] for c in want.constraints}:
                label = name or body
                found.append(f"{kind.lower()} constraint {label} on {table} is not in the schema")
    return found


def schema_comparable(storage: TenantStorage) -> bool:
    """Whether drift detection and repair work on ``storage``'s databases: they read
    SQLite's own description of the schema, so SQLite only."""
    return isinstance(storage, SqliteStorage)


def _sqlite(storage: TenantStorage, step: str = "Compare the schema") -> SqliteStorage:
    if not isinstance(storage, SqliteStorage):
        raise ProvisioningError(SQLITE_ONLY, step=step)
    return storage


def schema_drift(storage: TenantStorage, live: str, reference: str) -> list[str]:
    """How database ``live`` differs from the reference (template) database."""
    files = _sqlite(storage)
    return schema_differences(
        read_schema_of(files.schema_path(live)), read_schema_of(files.schema_path(reference))
    )


# -- repair -----------------------------------------------------------------------------


def _fill_value(table: str, column: str) -> tuple[bool, Any]:
    """What to put in ``table.column`` for rows that had no such column: NULL where the
    field allows it, its constant default, or the empty value of its type. (False, None)
    when there is nothing sensible (say a required foreign key)."""
    for model in apps.get_models():
        if model._meta.db_table != table or not is_tenant_app(model._meta.app_label):
            continue
        for field in model._meta.concrete_fields:
            if field.column != column:
                continue
            if field.null:
                return True, None
            if field.has_default() and not callable(field.default):
                return True, field.get_prep_value(field.get_default())
            if isinstance(field, models.BooleanField | models.IntegerField | models.FloatField):
                return True, 0
            if isinstance(field, models.DecimalField):
                return True, "0"
            if isinstance(field, models.CharField | models.TextField) and not field.unique:
                return True, ""
            if isinstance(field, models.JSONField):
                return True, "[]" if field.default is list else "{}"
            return False, None
    return False, None


def copy_rows_into(work: Path, old: Path) -> dict[str, Any]:
    """Empty the template copy at ``work`` and fill it with every row of ``old``; returns
    what was left behind (tables and columns that are not in the schema)."""
    left_behind: dict[str, Any] = {"tables": [], "columns": []}
    with closing(sqlite3.connect(work, isolation_level=None, timeout=30)) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute("ATTACH DATABASE ? AS old", (f"file:{old}?mode=ro",))
        new_schema = read_schema(db)
        old_tables = {
            name
            for (name,) in db.execute(
                "SELECT name FROM old.sqlite_master "
                "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        # Full-text indexes (FTS5 virtual tables and their shadow tables) hold no data of
        # their own: the triggers fill them as rows are copied, and a rebuild at the end
        # makes sure; copying or emptying them directly is refused by SQLite.
        virtual = {
            name
            for (name,) in db.execute(
                "SELECT name FROM main.sqlite_master "
                "WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        }
        derived = {
            table
            for table in new_schema
            if table in virtual or any(table.startswith(f"{name}_") for name in virtual)
        }
        db.execute("BEGIN")
        for table, table_schema in new_schema.items():
            if table in derived:
                continue
            quoted = _quote(table)
            db.execute(f"DELETE FROM main.{quoted}")
            if table not in old_tables:
                continue
            old_columns = {row[1] for row in db.execute(f"PRAGMA old.table_xinfo({quoted})")}
            names: list[str] = []
            values: list[str] = []
            parameters: list[Any] = []
            for column in sorted(table_schema.column_names):
                quoted_column = _quote(column)
                if column in old_columns:
                    names.append(quoted_column)
                    values.append(quoted_column)
                    continue
                fillable, value = _fill_value(table, column)
                if not fillable:
                    raise ProvisioningError(
                        f"column {table}.{column} is missing and has no value to fill in; "
                        "restore the hospital from a backup instead",
                        step="Copy the data",
                    )
                names.append(quoted_column)
                values.append("?")
                parameters.append(value)
            left_behind["columns"] += [
                f"{table}.{c}" for c in sorted(old_columns - table_schema.column_names)
            ]
            db.execute(
                f"INSERT INTO main.{quoted} ({', '.join(names)}) "
                f"SELECT {', '.join(values)} FROM old.{quoted}",
                parameters,
            )
        has_sequence = db.execute(
            "SELECT COUNT(*) FROM old.sqlite_master WHERE name = 'sqlite_sequence'"
        ).fetchone()[0]
        if has_sequence:
            db.execute("DELETE FROM main.sqlite_sequence")
            db.execute("INSERT INTO main.sqlite_sequence SELECT * FROM old.sqlite_sequence")
        for name in sorted(virtual):
            db.execute(f"INSERT INTO main.{_quote(name)}({_quote(name)}) VALUES ('rebuild')")
        db.execute("COMMIT")
        left_behind["tables"] = sorted(old_tables - new_schema.keys() - derived)
        broken = db.execute("PRAGMA main.foreign_key_check").fetchall()
        if broken:
            table = broken[0][0]
            raise ProvisioningError(
                f"{len(broken)} rows point at rows that do not exist (first in {table})",
                step="Copy the data",
            )
        db.execute("DETACH DATABASE old")
    return left_behind


# -- schema drift repair ---------------------------------------------------------------

REPAIR_STEPS = (
    BACKUP_STEP,
    Step("copy", gettext_noop("Copy the data into the right schema"), 60),
    Step("verify", gettext_noop("Verify database"), 20),
    Step("finalize", gettext_noop("Move into place and mark ready"), 10),
)


def template_ensure(hospital: Hospital) -> str:
    """The template database of the current state on ``hospital``'s storage — built now
    (every migration, the reference data, verified) if no hospital has been built on the
    slow path yet."""
    storage = storage_for(hospital)
    template = template_name()
    if storage.exists(template):
        return template
    # "work_0…": a hospital code starts with a letter, so no hospital's clean-up of its
    # own working databases (work_<code>_…) can take a template being built
    work = checked_name(f"{WORK_PREFIX}0template_{uuid.uuid4().hex[:12]}")
    alias = f"template_build_{uuid.uuid4().hex[:8]}"
    try:
        storage.create_empty(work)
        register_database(alias, storage, work)
        apply_tenant_migrations(alias)
        with tenant_context(hospital, alias=alias):
            seed_reference_data(update_existing=True)
        verify_alias(alias)
        forget_database(alias)
        return template_save(storage, work)
    finally:
        forget_database(alias)
        storage.drop(work)


def hospital_repair_schema(
    hospital: Hospital,
    *,
    report: Reporter = silent,
    backup_to: Path | None = None,
    before_replace: Callable[[str], None] | None = None,
) -> str:
    """Give ``hospital``'s database the schema its migrations produce, keeping its data
    (see apps.tenancy.schema): backed up first (kept), every row copied into a copy of
    the template, checked, moved into place. Until the move the database is untouched;
    the caller keeps the hospital offline meanwhile (a job of an offline kind). Returns
    a one-line summary naming what could not be kept (it is in the backup).

    SQLite only: on another storage it refuses at once, before touching anything."""
    runner = StepRunner(REPAIR_STEPS, report)
    storage = storage_for(hospital)
    files = _sqlite(storage, step=BACKUP_STEP.label)
    final_name = database_name(hospital)
    work_name = working_name(hospital)
    work_path = files.schema_path(work_name)
    work_alias = f"repairing_{hospital.code.lower()}"
    try:
        with runner.step("backup") as step:
            if not storage.exists(final_name):
                raise ProvisioningError(
                    f"{storage.describe(final_name)} does not exist", step=step.step.label
                )
            forget_database(alias_for_code(hospital.code))
            backup = database_copy(hospital, backup_to or backup_path(hospital, "repair"))
            step.summary = f"copied to {display_path(backup)}"
        with runner.step("copy") as step:
            template = template_ensure(hospital)
            storage.clone(template, work_name)
            try:
                left = copy_rows_into(work_path, backup)
            except sqlite3.IntegrityError as exc:
                raise ProvisioningError(
                    f"rows of the database break a rule of the schema ({exc}); correct them "
                    "or restore a backup",
                    step=step.step.label,
                ) from exc
            step.summary = "every row copied"
        with runner.step("verify") as step:
            remaining = schema_drift(storage, work_name, template)
            if remaining:
                raise ProvisioningError(
                    f"the repaired schema still differs: {'; '.join(remaining[:3])}",
                    step=step.step.label,
                )
            reference = read_schema_of(files.schema_path(template))
            _same_row_counts(backup, work_path, reference.keys(), step.step.label)
            register_database(work_alias, storage, work_name)
            step.summary = verify_alias(work_alias)
            forget_database(work_alias)
        with runner.step("finalize") as step:
            forget_database(alias_for_code(hospital.code))
            if before_replace is not None:
                before_replace(storage.identity(work_name))
            storage.move(work_name, final_name, replace=True)
            Hospital.objects.filter(pk=hospital.pk).update(
                status=Hospital.Status.READY,
                schema_drift="",
                migration_state=tenant_migration_state(),
            )
            step.summary = f"{storage.describe(final_name)} in place; {hospital.name} is ready"
    except Exception:
        forget_database(work_alias)
        storage.drop(work_name)
        mark_by_database_in_place(hospital)  # untouched (or moved): in use again if sound
        raise
    dropped = [*(f"table {t}" for t in left["tables"]), *(f"column {c}" for c in left["columns"])]
    kept = f"; not in the schema, so only in the backup: {', '.join(dropped)}" if dropped else ""
    return (
        f"{hospital.name}'s schema repaired, every row kept{kept} (backup: {display_path(backup)})"
    )


def _same_row_counts(old: Path, new: Path, tables: Iterable[str], step: str) -> None:
    with (
        closing(sqlite3.connect(f"file:{old}?mode=ro", uri=True)) as before,
        closing(sqlite3.connect(f"file:{new}?mode=ro", uri=True)) as after,
    ):
        old_tables = {n for (n,) in before.execute("SELECT name FROM sqlite_master")}
        # a full-text index's shadow tables are laid out by SQLite, not row for row
        virtual = {
            n
            for (n,) in before.execute(
                "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
        }
        derived = {
            t for t in old_tables if t in virtual or t.startswith(tuple(f"{v}_" for v in virtual))
        }
        for table in sorted((set(tables) & old_tables) - derived):
            query = f'SELECT COUNT(*) FROM "{table}"'
            had, has = before.execute(query).fetchone()[0], after.execute(query).fetchone()[0]
            if had != has:
                raise ProvisioningError(f"{table} had {had} rows, now {has}", step=step)
