"""PostgreSQL's index for the patient list sorted by name in Azerbaijani alphabetical
order (apps.core.collation.az_order: ``last_name COLLATE "az-x-icu"`` …), so a page of
the list is still read in order from an index, as patient_name_idx served the order by
code point. On SQLite this migration does nothing: an index there would need the
``hms_az`` collation in every program that opens the file (the sqlite3 shell, an
integrity check), and a hospital's list is sorted fast enough without one.

Built inside the migration's transaction, like 0003's trigram index.
"""

from typing import Any

from django.db import migrations

INDEX = "patient_name_az_idx"
CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON patients_patient "
    '(last_name COLLATE "az-x-icu", first_name COLLATE "az-x-icu", number)'
)


def create_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_INDEX)


def drop_index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0005_allergies"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
