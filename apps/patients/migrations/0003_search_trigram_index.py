"""PostgreSQL's index for the search box: a GIN trigram index (pg_trgm) on
``patients_patient.search_text``, which serves ``search_text LIKE '%term%'`` for each
term of a search (apps.patients.selectors.patient_search). SQLite has its own trigram
index since 0002 (FTS5); there this migration does nothing.

``CREATE EXTENSION pg_trgm`` needs a role allowed to create it: pg_trgm is a trusted
extension since PostgreSQL 13, so the owner of the hospital's database may (no
superuser needed); on an older server a superuser must create it in the database first,
and IF NOT EXISTS then lets this migration pass.

The index is built inside the migration's transaction (no CONCURRENTLY): a hospital
database is migrated before it serves anyone, and a new one has no patients yet.
"""

from typing import Any

from django.db import migrations

INDEX = "patient_search_trigram_idx"
CREATE_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON patients_patient USING gin (search_text gin_trgm_ops)"
)


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_EXTENSION)
    schema_editor.execute(CREATE_INDEX)


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: another table may use it, and it holds no data.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0002_search_index"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
