"""Schema drift: verify compares the live schema with the template's, reports drift as
its own status (admin badge, ``verify_tenants --deep``), and the repair gives the
database its schema back keeping every row."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from apps.tenancy.jobs.services import job_enqueue
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.operations import hospital_schema_drift
from apps.tenancy.selectors import hospital_badge, hospital_database_status
from apps.tenancy.tests.conftest import run
from apps.tenancy.tests.test_jobs import db_execute, db_rows

# drift is read from sqlite_master and repaired file by file (SQLite only)
pytestmark = pytest.mark.sqlite_only

Kind = ProvisioningJob.Kind
Status = ProvisioningJob.Status


def register_patients(hospital: Hospital, count: int) -> None:
    from apps.patients.tests.factories import register

    for number in range(count):
        register(hospital, first_name=f"Patient{number}", phone=f"+99450{number:07d}")


def drop_a_column_by_hand(hospital: Hospital) -> None:
    """What the original system suffered: a table that lost a column."""
    db_execute(hospital, "ALTER TABLE patients_patient DROP COLUMN allergies")


def test_a_healthy_hospital_has_no_drift(hospital_a: Hospital) -> None:
    assert hospital_schema_drift(hospital_a) == []
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.VERIFY))
    assert job.status == Status.SUCCEEDED
    assert "schema as its migrations produce" in job.summary


@pytest.mark.parametrize(
    ("damage", "found"),
    [
        ("ALTER TABLE patients_patient DROP COLUMN allergies",
         "column patients_patient.allergies is missing"),
        ("DROP INDEX patients_patient_phone_1aab8710", "index patients_patient_phone_1aab8710"),
        ("CREATE TABLE leftover (id integer)", "table leftover is not in the schema"),
        ("ALTER TABLE regions_region ADD COLUMN hospital_id integer",
         "column regions_region.hospital_id is not in the schema"),
    ],
)  # fmt: skip
def test_verify_finds_drift_its_recorded_migrations_cannot_see(
    hospital_a: Hospital, damage: str, found: str
) -> None:
    db_execute(hospital_a, damage)
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.VERIFY))
    hospital_a.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.step == "Compare the schema with the template"
    assert "schema drift" in job.error and found in job.error
    assert found in hospital_a.schema_drift
    badge = hospital_badge(hospital_a)
    assert (badge.state, badge.label) == ("drift", "Schema drift")
    assert hospital_a.status == Hospital.Status.READY  # still serving meanwhile


def test_a_dropped_check_constraint_is_drift(hospital_a: Hospital) -> None:
    db_execute(
        hospital_a,
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = replace(sql, "
        "'CONSTRAINT \"doctor_fee_not_negative\" CHECK (\"consulting_fee\" >= ''0'')', "
        "'CONSTRAINT \"doctor_fee_not_negative\" CHECK (1)') WHERE name = 'doctors_doctor'",
    )
    assert any("doctor_fee_not_negative" in line for line in hospital_schema_drift(hospital_a))


def test_verify_tenants_deep_reports_drift_as_its_own_status(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    drop_a_column_by_hand(hospital_a)
    out = StringIO()
    call_command("verify_tenants", stdout=out)  # migrations alone: both look ready
    with pytest.raises(CommandError, match="1 hospital"):
        call_command("verify_tenants", "--deep", stdout=(deep := StringIO()))
    lines = deep.getvalue().splitlines()
    (row_a,) = [line for line in lines if line.startswith(hospital_a.code)]
    (row_b,) = [line for line in lines if line.startswith(hospital_b.code)]
    assert "Schema drift" in row_a and "Ready" in row_b
    assert "- column patients_patient.allergies is missing" in deep.getvalue()
    assert hospital_database_status(hospital_a, deep=True).state == "drift"


def test_the_repair_restores_the_schema_and_keeps_every_row(hospital_a: Hospital) -> None:
    register_patients(hospital_a, 3)
    before = db_rows(hospital_a, "SELECT number, first_name, phone FROM patients_patient")
    drop_a_column_by_hand(hospital_a)
    run(job_enqueue(hospital=hospital_a, kind=Kind.VERIFY))

    job = run(job_enqueue(hospital=hospital_a, kind=Kind.REPAIR))

    hospital_a.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.error
    assert "every row kept" in job.summary
    assert hospital_schema_drift(hospital_a) == []
    assert hospital_a.schema_drift == "" and hospital_a.status == Hospital.Status.READY
    assert hospital_badge(hospital_a).state == "ready"
    assert db_rows(hospital_a, "SELECT number, first_name, phone FROM patients_patient") == before
    assert db_rows(hospital_a, "SELECT DISTINCT allergies FROM patients_patient") == [("",)]
    # the next patient number continues, and the staff pages work on the repaired database
    from apps.patients.tests.factories import register

    assert register(hospital_a, first_name="After", phone="+994700000001").number.endswith("4")
    # the patients' full-text index was rebuilt with the rows: search finds them all
    from apps.patients.selectors import patient_search
    from apps.tenancy.context import tenant_context

    with tenant_context(hospital_a):
        assert {p.first_name for p in patient_search(query="patient")} == {
            "Patient0",
            "Patient1",
            "Patient2",
        }
        assert [p.first_name for p in patient_search(query="after")] == ["After"]


def test_a_repair_that_cannot_keep_the_data_leaves_the_database_untouched(
    hospital_a: Hospital,
) -> None:
    register_patients(hospital_a, 2)
    # a unique constraint lost, and a duplicate written meanwhile: the data cannot go back
    db_execute(
        hospital_a,
        "CREATE TABLE x AS SELECT * FROM regions_region",
        "DROP TABLE regions_region",
        "ALTER TABLE x RENAME TO regions_region",
        "INSERT INTO regions_region SELECT * FROM regions_region LIMIT 1",
    )
    before = db_rows(hospital_a, "SELECT COUNT(*) FROM regions_region")
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.REPAIR))
    assert job.status == Status.FAILED
    assert "break a rule of the schema" in job.error and "restore" in job.error
    assert db_rows(hospital_a, "SELECT COUNT(*) FROM regions_region") == before
    hospital_a.refresh_from_db()
    assert hospital_a.status == Hospital.Status.READY


def test_only_a_superuser_may_repair(hospital_a: Hospital, operator_client: Any) -> None:
    response = operator_client.post(
        "/admin/tenancy/hospital/",
        {"action": "repair_schema", "_selected_action": [str(hospital_a.pk)]},
    )
    assert response.status_code in (200, 302)
    assert not hospital_a.jobs.exists()
