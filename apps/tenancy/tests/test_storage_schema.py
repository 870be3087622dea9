"""Schema drift through the storage interface: which storages can describe a schema,
SQLite's description, and a refill into the right schema (real files, no Django)."""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from apps.tenancy.storage import RowsRefused
from apps.tenancy.storage.postgresql import PostgresStorage
from apps.tenancy.storage.sqlite import SqliteStorage

TEMPLATE_SQL = (
    "CREATE TABLE wards (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    "CREATE TABLE beds (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " ward_id INTEGER NOT NULL REFERENCES wards (id), label TEXT NOT NULL,"
    " CONSTRAINT \"label_not_blank\" CHECK (label <> ''))",
    "CREATE INDEX beds_ward ON beds (ward_id)",
)


@pytest.fixture
def files() -> Iterator[SqliteStorage]:
    storage = SqliteStorage()
    made: list[str] = []

    def create(*statements: str) -> str:
        name = f"hospital_s{uuid.uuid4().hex[:10]}"
        storage.create_empty(name)
        with closing(sqlite3.connect(storage.path(name))) as db:
            for statement in statements:
                db.execute(statement)
            db.commit()
        made.append(name)
        return name

    storage.create = create  # type: ignore[attr-defined]
    yield storage
    for name in made:
        storage.drop(name)


def rows(path: Path, query: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(query).fetchall()


def test_sqlite_describes_schemas_and_postgresql_says_it_cannot() -> None:
    assert SqliteStorage().compares_schema
    server = PostgresStorage("pg1", "postgresql://hms@127.0.0.1:1/hms")
    assert not server.compares_schema
    with pytest.raises(NotImplementedError):
        server.schema("hospital_x")


def test_two_databases_built_alike_describe_alike_and_a_lost_index_shows(
    files: Any,
) -> None:
    first, second = files.create(*TEMPLATE_SQL), files.create(*TEMPLATE_SQL)
    assert files.schema(first) == files.schema(second)
    assert files.schema(first)["beds"].column_names == {"id", "ward_id", "label"}
    assert ("label_not_blank", "CHECK", "(label <> '')") in files.schema(first)["beds"].constraints
    with closing(sqlite3.connect(files.path(second))) as db:
        db.execute("DROP INDEX beds_ward")
    assert files.schema(first)["beds"].indexes != files.schema(second)["beds"].indexes


def test_a_refill_copies_every_row_fills_new_columns_and_says_what_it_left_behind(
    files: Any,
) -> None:
    target = files.create(*TEMPLATE_SQL)
    source = files.create(
        "CREATE TABLE wards (id INTEGER PRIMARY KEY, name TEXT, floor INTEGER)",
        "CREATE TABLE beds (id INTEGER PRIMARY KEY AUTOINCREMENT, ward_id INTEGER)",
        "CREATE TABLE leftover (id INTEGER)",
        "INSERT INTO wards VALUES (1, 'East', 2), (2, 'West', 3)",
        "INSERT INTO beds (ward_id) VALUES (1), (1), (2)",
    )
    asked: list[tuple[str, str]] = []

    def fill(table: str, column: str) -> Any:
        asked.append((table, column))
        return "bed"

    refilled = files.refill(target, files.path(source), fill)

    assert asked == [("beds", "label")]
    assert refilled.copied_rows == {"wards": 2, "beds": 3}
    assert refilled.tables_left_behind == ["leftover"]
    assert refilled.columns_left_behind == ["wards.floor"]
    assert rows(files.path(target), "SELECT id, ward_id, label FROM beds ORDER BY id") == [
        (1, 1, "bed"),
        (2, 1, "bed"),
        (3, 2, "bed"),
    ]
    assert rows(files.path(target), "SELECT seq FROM sqlite_sequence WHERE name = 'beds'") == [(3,)]


@pytest.mark.parametrize(
    ("source_sql", "refusal"),
    [
        (
            ("CREATE TABLE wards (id INTEGER PRIMARY KEY, name TEXT)",
             "INSERT INTO wards VALUES (1, 'East'), (2, 'East')"),
            "break a rule of the schema",
        ),
        (
            ("CREATE TABLE wards (id INTEGER PRIMARY KEY, name TEXT)",
             "CREATE TABLE beds (id INTEGER PRIMARY KEY, ward_id INTEGER, label TEXT)",
             "INSERT INTO beds VALUES (1, 9, 'lost')"),
            "1 rows point at rows that do not exist (first in beds)",
        ),
    ],
)  # fmt: skip
def test_rows_that_do_not_fit_the_schema_are_refused(
    files: Any, source_sql: tuple[str, ...], refusal: str
) -> None:
    target = files.create(*TEMPLATE_SQL)
    source = files.create(*source_sql)
    with pytest.raises(RowsRefused, match=re.escape(refusal)):
        files.refill(target, files.path(source), lambda table, column: "")
