"""Patient numbers moved into ``apps.numbering`` (patients 0004): a hospital created
before the move, with patients, continues its series once migrated forward."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from apps.numbering.models import DocumentSeries
from apps.patients.models import PATIENT_NUMBER_KIND, Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.db import current_alias
from apps.tenancy.models import Hospital

BEFORE_THE_MOVE = ("patients", "0003_search_trigram_index")
THE_MOVE = "patients.0004_patient_numbers_through_numbering"
OLD_TABLE = "patients_patientnumbersequence"


def put_back_before_the_move(hospital: Hospital, *, last_number: int) -> None:
    """Unapply the move and leave the hospital as the old code left it: its patient
    counter at ``last_number`` in the old table, no patient series in numbering."""
    with tenant_context(hospital):
        alias = current_alias()
        executor = MigrationExecutor(connections[alias])
        executor.migrate([BEFORE_THE_MOVE])
        old = executor.loader.project_state(BEFORE_THE_MOVE).apps
        old.get_model("patients", "PatientNumberSequence").objects.update_or_create(
            pk=1, defaults={"last_value": last_number}
        )
        DocumentSeries.objects.filter(kind=PATIENT_NUMBER_KIND).delete()
    connections[alias].close()


def table_names(hospital: Hospital) -> list[str]:
    with tenant_context(hospital):
        return connections[current_alias()].introspection.table_names()


def test_a_hospital_with_patients_migrated_forward_continues_its_series(
    hospital_a: Hospital,
) -> None:
    registered = [register(hospital_a, first_name=name) for name in ("Anar", "Samir", "Leyla")]
    put_back_before_the_move(hospital_a, last_number=3)
    assert OLD_TABLE in table_names(hospital_a)

    out = StringIO()
    call_command("migrate_tenants", "--hospital", hospital_a.code, stdout=out)

    assert THE_MOVE in out.getvalue()
    assert OLD_TABLE not in table_names(hospital_a)
    following = register(hospital_a, first_name="Nigar")
    assert following.number == f"{hospital_a.code}-PAT-000004"
    with tenant_context(hospital_a):
        # the patients registered before the move keep their numbers
        assert sorted(
            Patient.objects.exclude(pk=following.pk).values_list("number", flat=True)
        ) == [patient.number for patient in registered]
        assert DocumentSeries.objects.get(kind=PATIENT_NUMBER_KIND, year=0).last_value == 4


def test_numbers_handed_out_from_either_counter_are_never_handed_out_again(
    hospital_a: Hospital,
) -> None:
    # A patient series in numbering ahead of the old counter is kept, not wound back.
    put_back_before_the_move(hospital_a, last_number=5)
    with tenant_context(hospital_a):
        DocumentSeries.objects.create(kind=PATIENT_NUMBER_KIND, year=0, last_value=9)
    call_command("migrate_tenants", "--hospital", hospital_a.code, stdout=StringIO())
    assert register(hospital_a).number == f"{hospital_a.code}-PAT-000010"


def test_a_hospital_that_never_registered_a_patient_starts_at_one(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a):
        alias = current_alias()
        executor = MigrationExecutor(connections[alias])
        executor.migrate([BEFORE_THE_MOVE])
    connections[alias].close()
    call_command("migrate_tenants", "--hospital", hospital_a.code, stdout=StringIO())
    assert register(hospital_a).number == f"{hospital_a.code}-PAT-000001"
