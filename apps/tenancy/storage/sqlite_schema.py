"""A SQLite database's schema, read from its own catalogue, and the rows of one
database copied into another's schema — schema drift detection and repair on SQLite
(``SqliteStorage.schema`` and ``refill``; the comparison and the repair's steps are
``apps.tenancy.provisioning.schema``'s).

The description is SQLite's own (PRAGMA table_xinfo, index_list/index_xinfo,
foreign_key_list, and the named CHECK/UNIQUE constraints of each table), so cosmetic
differences in the stored SQL do not count.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from apps.tenancy.storage.base import FillValue, Refilled, RowsRefused, Schema, TableSchema

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


def refill_from(source: Path, *, into: Path, fill: FillValue) -> Refilled:
    """Empty the template copy at ``into`` and fill it with every row of ``source`` (see
    ``TenantStorage.refill``), counting the rows of each table copied in ``source``."""
    try:
        return _refill(source, into, fill)
    except sqlite3.IntegrityError as exc:
        raise RowsRefused(f"rows of the database break a rule of the schema ({exc})") from exc


def _refill(old: Path, work: Path, fill: FillValue) -> Refilled:
    copied_rows: dict[str, int] = {}
    columns_left_behind: list[str] = []
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
                names.append(quoted_column)
                if column in old_columns:
                    values.append(quoted_column)
                else:
                    values.append("?")
                    parameters.append(fill(table, column))
            columns_left_behind += [
                f"{table}.{c}" for c in sorted(old_columns - table_schema.column_names)
            ]
            db.execute(
                f"INSERT INTO main.{quoted} ({', '.join(names)}) "
                f"SELECT {', '.join(values)} FROM old.{quoted}",
                parameters,
            )
            (copied_rows[table],) = db.execute(f"SELECT COUNT(*) FROM old.{quoted}").fetchone()
        has_sequence = db.execute(
            "SELECT COUNT(*) FROM old.sqlite_master WHERE name = 'sqlite_sequence'"
        ).fetchone()[0]
        if has_sequence:
            db.execute("DELETE FROM main.sqlite_sequence")
            db.execute("INSERT INTO main.sqlite_sequence SELECT * FROM old.sqlite_sequence")
        for name in sorted(virtual):
            db.execute(f"INSERT INTO main.{_quote(name)}({_quote(name)}) VALUES ('rebuild')")
        db.execute("COMMIT")
        broken = db.execute("PRAGMA main.foreign_key_check").fetchall()
        if broken:
            table = broken[0][0]
            raise RowsRefused(
                f"{len(broken)} rows point at rows that do not exist (first in {table})"
            )
        db.execute("DETACH DATABASE old")
    return Refilled(
        copied_rows=copied_rows,
        tables_left_behind=sorted(old_tables - new_schema.keys() - derived),
        columns_left_behind=columns_left_behind,
    )
