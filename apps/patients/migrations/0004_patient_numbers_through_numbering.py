"""Patient numbers come from ``apps.numbering`` like every other document number: the
hospital's patient counter (``PatientNumberSequence``, one row) is carried into
numbering's ``PAT`` series (no year), so the next patient gets the next number and no
number is handed out twice; then the old table goes.

The format is unchanged (``<CODE>-PAT-000001``), so existing patients keep their
numbers. A hospital created before this migration gets it from ``migrate`` (the admin's
Migrate action or ``manage.py migrate_tenants``) like any other; a new hospital's
database (a clone of the template) has no counter to carry.
"""

from typing import Any

from django.db import migrations

#: apps.patients.models.PATIENT_NUMBER_KIND, written out: a migration does not follow
#: later changes to the code
PATIENT_NUMBER_KIND = "PAT"


def carry_counter_into_numbering(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    sequences = apps.get_model("patients", "PatientNumberSequence").objects.using(alias)
    last_values = list(sequences.values_list("last_value", flat=True))
    if not last_values:
        return
    series_model = apps.get_model("numbering", "DocumentSeries")
    series, _ = series_model.objects.using(alias).get_or_create(kind=PATIENT_NUMBER_KIND, year=0)
    # never back: a number already handed out from either counter stays spent
    series.last_value = max([series.last_value, *last_values])
    series.save(update_fields=["last_value"])


def carry_counter_back(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    series_model = apps.get_model("numbering", "DocumentSeries")
    series = series_model.objects.using(alias).filter(kind=PATIENT_NUMBER_KIND, year=0).first()
    if series is None:
        return
    sequences = apps.get_model("patients", "PatientNumberSequence").objects.using(alias)
    sequences.create(pk=1, last_value=series.last_value)
    series.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("numbering", "0001_initial"),
        ("patients", "0003_search_trigram_index"),
    ]

    operations = [
        migrations.RunPython(carry_counter_into_numbering, carry_counter_back),
        migrations.DeleteModel(name="PatientNumberSequence"),
    ]
