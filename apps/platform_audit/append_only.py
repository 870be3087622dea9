"""Database triggers that refuse UPDATE and DELETE on an audit table, so not even code
that bypasses the model (raw SQL, a shell) rewrites history. Used by the migrations of
both audit logs; SQLite and PostgreSQL, the two supported backends."""

from __future__ import annotations

from typing import Any

from django.db.migrations import RunPython

_MESSAGE = "audit events are append-only"


def _create(table: str) -> Any:
    def forwards(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            for operation in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON "
                    f"{table} BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
                )
        elif connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END; $$ LANGUAGE plpgsql"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            )

    return forwards


def _drop(table: str) -> Any:
    def backwards(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            for operation in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
        elif connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")

    return backwards


def append_only_triggers(table: str) -> RunPython:
    return RunPython(_create(table), _drop(table))
