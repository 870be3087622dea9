"""The search box on PostgreSQL: Azerbaijani folding, partial numbers and phones, and
the pg_trgm index (patients 0003) serving it among 50,000 patients (fixtures: pg.py)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from importlib import import_module
from typing import Any

import psycopg
import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.phones import phone_search_text
from apps.core.sorting import reversed_field
from apps.core.text import search_text
from apps.patients.benchmarks import OPERATORS, _person
from apps.patients.models import Patient, name_key
from apps.patients.selectors import patient_search
from apps.patients.services import patient_register
from apps.patients.tests.factories import details
from apps.patients.tests.pg import PostgresqlHospital, template
from apps.patients.views import SORT_COLUMNS
from apps.tenancy.connections import register_database
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from apps.tenancy.storage.postgresql import PostgresStorage
from apps.tenancy.tests.postgres import RUN_PREFIX

pytestmark = pytest.mark.django_db

migration = import_module("apps.patients.migrations.0003_search_trigram_index")
TRIGRAM_INDEX = migration.INDEX
LARGE = 50_000


def register_patient(database: PostgresqlHospital, **changes: Any) -> Patient:
    with database.context():
        return patient_register(
            hospital=database.hospital, details=details(**changes), confirm_duplicates=True
        ).patient


@pytest.fixture
def people(postgresql_hospital: PostgresqlHospital) -> dict[str, Patient]:
    return {
        "ismayil": register_patient(
            postgresql_hospital, first_name="Rəşad", last_name="İsmayılov", phone="050 111 22 33"
        ),
        "aliyev": register_patient(
            postgresql_hospital, first_name="Günel", last_name="Əliyev", phone="070 444 55 66"
        ),
        "cavid": register_patient(
            postgresql_hospital, first_name="Cavid", last_name="Şükürov", phone="055 777 88 99"
        ),
    }


def found(database: PostgresqlHospital, query: str) -> list[str]:
    with database.context():
        return [patient.last_name for patient in patient_search(query=query)]


def test_the_search_runs_on_postgresql(
    postgresql_hospital: PostgresqlHospital, people: dict[str, Patient]
) -> None:
    assert connections[postgresql_hospital.alias].vendor == "postgresql"
    with postgresql_hospital.context():
        assert Patient.objects.count() == 3


def test_ism_finds_ismayilov_and_eli_finds_aliyev(
    postgresql_hospital: PostgresqlHospital, people: dict[str, Patient]
) -> None:
    assert found(postgresql_hospital, "ism") == ["İsmayılov"]
    assert found(postgresql_hospital, "eli") == ["Əliyev"]
    assert found(postgresql_hospital, "İSMAYILOV") == ["İsmayılov"]
    assert found(postgresql_hospital, "Əliyev Günel") == ["Əliyev"]
    assert found(postgresql_hospital, "Əliyev Rəşad") == []


def test_partial_numbers_and_phones_are_found(
    postgresql_hospital: PostgresqlHospital, people: dict[str, Patient]
) -> None:
    assert found(postgresql_hospital, people["cavid"].number[-4:]) == ["Şükürov"]
    assert found(postgresql_hospital, people["aliyev"].number.lower()) == ["Əliyev"]
    assert found(postgresql_hospital, "070 444") == ["Əliyev"]
    assert found(postgresql_hospital, "77788") == ["Şükürov"]
    assert found(postgresql_hospital, "+99450111") == ["İsmayılov"]


def test_one_or_two_letters_match_only_the_start_of_a_word(
    postgresql_hospital: PostgresqlHospital, people: dict[str, Patient]
) -> None:
    assert found(postgresql_hospital, "ş") == ["Şükürov"]  # not Rəşad's "ş" inside
    assert found(postgresql_hospital, "ay") == []  # İsmayılov has it only inside


def test_like_wildcards_and_quotes_in_the_query_are_only_text(
    postgresql_hospital: PostgresqlHospital, people: dict[str, Patient]
) -> None:
    assert found(postgresql_hospital, "i%v") == []
    assert found(postgresql_hospital, "is_ay") == []
    assert found(postgresql_hospital, "ism'") == []
    assert found(postgresql_hospital, "ism\\") == []


def test_the_trigram_index_exists(postgresql_hospital: PostgresqlHospital) -> None:
    with connections[postgresql_hospital.alias].cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'patients_patient' "
            "AND indexname = %s",
            [TRIGRAM_INDEX],
        )
        (definition,) = cursor.fetchone()
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
    assert "USING gin (search_text gin_trgm_ops)" in definition


def test_a_database_owner_without_superuser_rights_may_create_pg_trgm(
    postgresql_storage: PostgresStorage,
) -> None:
    """What patients 0003 needs of the role that migrates a hospital database: pg_trgm
    is a trusted extension (PostgreSQL 13+), so the database's owner may create it."""
    name, owner = "hms_owned", "hms_hospital_owner"
    with psycopg.connect(postgresql_storage.url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        admin.execute(f"CREATE DATABASE {name} OWNER {owner}")
    try:
        with psycopg.connect(
            postgresql_storage.url, user=owner, dbname=name, autocommit=True
        ) as connection:
            assert connection.execute("SELECT current_setting('is_superuser')").fetchone() == (
                "off",
            )
            connection.execute("CREATE TABLE patients_patient (search_text text)")
            connection.execute(migration.CREATE_EXTENSION)
            connection.execute(migration.CREATE_INDEX)
            assert connection.execute(
                "SELECT 1 FROM pg_indexes WHERE indexname = %s", [TRIGRAM_INDEX]
            ).fetchone() == (1,)
    finally:
        postgresql_storage.drop(name)
        with psycopg.connect(postgresql_storage.url, autocommit=True) as admin:
            admin.execute(f"DROP ROLE {owner}")


# -- 50,000 patients ----------------------------------------------------------------------


def _rows(hospital_code: str, count: int) -> Iterator[tuple[Any, ...]]:
    """Patients as patients_bulk_load makes them (apps.patients.benchmarks), as rows."""
    rng = random.Random(12)
    now = timezone.now()
    step = timedelta(days=3650) / count
    for offset in range(count):
        first, last, sex = _person(rng)
        number = f"{hospital_code}-PAT-{offset + 1:06d}"
        phone = f"+994{rng.choice(OPERATORS)}{rng.randrange(10**7):07d}"
        registered = now - timedelta(days=3650) + step * offset
        yield (
            uuid.uuid4(),
            number,
            first,
            last,
            str(sex),
            date(1940, 1, 1) + timedelta(days=rng.randrange(30_000)),
            phone,
            name_key(first, last),
            search_text(name_key(first, last), number, phone_search_text(phone)),
            registered,
            registered,
        )


@pytest.fixture(scope="module")
def large_database(postgresql_storage: PostgresStorage, django_db_blocker: Any) -> Iterator[str]:
    """A hospital database of 50,000 patients, loaded once for this module (COPY), then
    analysed so the planner knows its statistics, as autovacuum would have (RUN_PREFIX:
    the per-test clean-up of the PostgreSQL run keeps it)."""
    name = f"{RUN_PREFIX}large_search"
    postgresql_storage.clone(template(postgresql_storage, django_db_blocker), name)
    columns = (
        "id, number, first_name, last_name, sex, birth_date, phone, name_key, search_text, "
        "created_at, updated_at, email, address, blood_group, allergies, "
        "emergency_contact_name, emergency_contact_phone"
    )
    with psycopg.connect(postgresql_storage.url, dbname=name, autocommit=True) as connection:
        with connection.cursor().copy(f"COPY patients_patient ({columns}) FROM STDIN") as copy:
            for row in _rows("LRG", LARGE):
                copy.write_row((*row, "", "", "", "", "", ""))
        connection.execute("VACUUM ANALYZE patients_patient")
    try:
        yield name
    finally:
        postgresql_storage.drop(name)


@pytest.fixture
def large(
    large_database: str, postgresql_storage: PostgresStorage, hospital_a: Hospital
) -> Iterator[str]:
    alias = register_database("hospital_pg_large", postgresql_storage, large_database)
    with tenant_context(hospital_a, alias=alias):
        yield alias


def plans(alias: str, query: str, sort: str = "registered") -> list[str]:
    """PostgreSQL's plan of every query the list's first page of ``query`` runs (page
    size + 1 rows, as apps.core.pagination.open_page asks), newest first."""
    order_by = [reversed_field(column) for column in SORT_COLUMNS[sort]]
    connection = connections[alias]
    with CaptureQueriesContext(connection) as captured:
        list(patient_search(query=query).order_by(*order_by)[:26])
    explained = []
    with connection.cursor() as cursor:
        for executed in captured.captured_queries:
            cursor.execute(f"EXPLAIN {executed['sql']}")
            explained.append("\n".join(row[0] for row in cursor.fetchall()))
    return explained


def test_the_large_database_holds_fifty_thousand_patients(large: str) -> None:
    assert Patient.objects.count() == LARGE
    assert patient_search(query="ismayilov").exists()


@pytest.mark.parametrize(
    "query",
    ["İsmayılova Aysel", "Rəşad İsm", "LRG-PAT-0123", "01234", "050 12", "+99450123", "hümbətova"],
)
def test_a_selective_search_is_served_by_the_trigram_index(large: str, query: str) -> None:
    """The capped query for the candidates is answered by the trigram index; the page
    is then read among them (by the trigram index again, or by primary key when they
    are few): no scan of the table or of the list's index, no count."""
    candidates, page = plans(large, query)
    assert f"Bitmap Index Scan on {TRIGRAM_INDEX}" in candidates
    for plan in (candidates, page):
        assert "Seq Scan" not in plan
        assert "patient_registered_idx" not in plan
        assert "Aggregate" not in plan


@pytest.mark.parametrize("sort", list(SORT_COLUMNS))
def test_a_broad_search_reads_the_page_in_order_from_an_index(large: str, sort: str) -> None:
    """The letter "a" starts a word of most patients, more than the candidates' cap:
    the page is read in the list's order from its index and the scan stops at the
    page's end — no sort of every match, no count."""
    *_, page = plans(large, "a", sort)
    top = page.split("\n")[1]
    assert "Index Scan" in top
    assert "Sort" not in top
    assert "Aggregate" not in page


def test_the_results_are_the_same_as_a_scan_finds(large: str) -> None:
    expected = {
        pk
        for pk, text in Patient.objects.values_list("pk", "search_text")
        if "ism" in text and "resad" in text
    }
    assert expected
    assert {p.pk for p in patient_search(query="resad ism")} == expected
