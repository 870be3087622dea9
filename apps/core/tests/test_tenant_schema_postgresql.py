"""The whole tenant schema on PostgreSQL: every tenant app's migrations apply to a fresh
database, every reference-data seeder runs, and the result has the tables a SQLite
hospital has (fixtures: apps/patients/tests/pg.py)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connections

from apps.audit.models import ClinicalEvent
from apps.patients.tests.pg import PostgresqlHospital, migrate_and_seed
from apps.regions.models import City
from apps.tenancy.connections import forget_database, hospital_alias, register_database
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.migrations_state import inspect_database, tenant_migration_names
from apps.tenancy.provisioning.pipeline import verify_alias
from apps.tenancy.registry import tenant_app_configs
from apps.tenancy.storage.postgresql import PostgresStorage

#: SQLite's full-text index of patients (a virtual table and its shadow tables,
#: patients 0002); PostgreSQL has a trigram index on the column instead (patients 0003)
SQLITE_ONLY_TABLES = {
    "patients_patient_search",
    "patients_patient_search_config",
    "patients_patient_search_data",
    "patients_patient_search_docsize",
    "patients_patient_search_idx",
}


def columns(alias: str) -> dict[str, set[tuple[str, bool]]]:
    """Each table's columns, as (name, may be null)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        return {
            table: {
                (column.name, bool(column.null_ok))
                for column in connection.introspection.get_table_description(cursor, table)
            }
            for table in connection.introspection.table_names(cursor)
            if table not in SQLITE_ONLY_TABLES
        }


def sqlite_columns(hospital: Hospital) -> dict[str, set[tuple[str, bool]]]:
    with tenant_context(hospital):
        return columns(hospital_alias(hospital))


@pytest.mark.django_db
def test_every_tenant_migration_applies_and_every_seeder_runs_on_a_fresh_database(
    hospital_a: Hospital, postgresql_storage: PostgresStorage
) -> None:
    name = "hms_fresh_schema"
    alias = "hospital_pg_fresh"
    postgresql_storage.create_empty(name)
    try:
        register_database(alias, postgresql_storage, name)
        applied = migrate_and_seed(hospital_a, alias)

        assert connections[alias].vendor == "postgresql"
        assert applied > 0
        assert inspect_database(alias).unapplied == ()
        recorded = {
            (app, migration)
            for app, migration in connections[alias]
            .cursor()
            .execute("SELECT app, name FROM django_migrations")
            .fetchall()
        }
        assert tenant_migration_names() <= recorded
        verify_alias(alias)
        tables = set(connections[alias].introspection.table_names())
        assert {c.label for c in tenant_app_configs()} <= {t.split("_")[0] for t in tables}
        expected = sqlite_columns(hospital_a)
        assert tables == set(expected)
        assert columns(alias) == expected
        with tenant_context(hospital_a, alias=alias):
            assert City.objects.exists()  # the regions seeder ran
            # seeding again (as an upgrade does) changes nothing and fails nowhere
            migrate_and_seed(hospital_a, alias)
    finally:
        forget_database(alias)
        postgresql_storage.drop(name)


@pytest.mark.django_db
def test_the_clinical_audit_log_refuses_update_and_delete_on_postgresql(
    postgresql_hospital: PostgresqlHospital,
) -> None:
    with postgresql_hospital.context():
        event = ClinicalEvent.objects.create(
            action="patient.registered", entity="patient", entity_label="test"
        )
        cursor = connections[postgresql_hospital.alias].cursor()
        with pytest.raises(DatabaseError, match="append-only"):
            cursor.execute("UPDATE audit_clinicalevent SET entity_label = 'x'")
        with pytest.raises(DatabaseError, match="append-only"):
            cursor.execute("DELETE FROM audit_clinicalevent")
        assert ClinicalEvent.objects.get(pk=event.pk).entity_label == "test"
