"""Hospital databases on a real PostgreSQL server, for tests that must run there.

They live on the first of the run's throwaway servers (``postgres_servers``, see
apps/tenancy/tests/postgres.py), through the real storage (``PostgresStorage``) and the
real registration (``register_database``). A database with every tenant migration
applied and the reference data seeded (``postgresql_template``) is built the first time
a test asks for it, and again whenever a clean-up dropped it meanwhile (the storage tests
empty the servers); each test that wants one gets its own copy (``clone``), registered
under a hospital alias the router treats as a hospital database.

The fixtures are plugged into every test module by the root conftest.py
(``pytest_plugins``), so any app's tests may ask for them:

- ``postgresql_storage`` — the storage on the first server (key ``pg1``);
- ``postgresql_template`` — the name of the migrated and seeded database;
- ``postgresql_hospital`` — a hospital (a Hospital row of the platform database) whose
  tenant context points at a fresh copy of that database: use it like ``hospital_a``
  with ``with tenant_context(hospital, alias=database.alias)``;
- ``on_postgresql(hospital, ...)`` — for a test module that overrides ``hospital_a``:
  every ``tenant_context(hospital_a)`` of the test then selects a fresh copy on the
  server, so existing tests (factories and all) run there unchanged.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from apps.tenancy.connections import forget_database, register_database
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.migrations_state import apply_tenant_migrations
from apps.tenancy.provisioning.pipeline import seed_reference_data
from apps.tenancy.storage.postgresql import PostgresStorage
from apps.tenancy.storage.throwaway import ThrowawayServer
from apps.tenancy.tests.postgres import RUN_PREFIX

#: kept by the per-test clean-ups of the PostgreSQL run (RUN_PREFIX)
TEMPLATE_NAME = f"{RUN_PREFIX}tenant_template"
_sequence = itertools.count(1)


def migrate_and_seed(hospital: Hospital, alias: str) -> int:
    """What provisioning does to a new hospital database: every tenant migration, then
    every reference-data seeder. Returns how many migrations were applied."""
    applied = apply_tenant_migrations(alias)
    with tenant_context(hospital, alias=alias):
        seed_reference_data(update_existing=True)
    return applied


def template(storage: PostgresStorage, django_db_blocker: Any) -> str:
    """The migrated and seeded database on ``storage``, built if it is not there: under a
    scratch name, then moved into place, so a build cut short never passes for one."""
    if storage.exists(TEMPLATE_NAME):
        return TEMPLATE_NAME
    building = f"{TEMPLATE_NAME}_building"
    alias = "hospital_pg_template"
    # Seeders ask for no hospital; the tenant context only needs one to bind the alias.
    builder = Hospital(name="PostgreSQL template", code="PGTEMPLATE")
    storage.drop(building)
    storage.create_empty(building)
    try:
        with django_db_blocker.unblock():
            register_database(alias, storage, building)
            try:
                migrate_and_seed(builder, alias)
            finally:
                forget_database(alias)  # a template must have no open connection
        storage.move(building, TEMPLATE_NAME, replace=True)
    except BaseException:
        storage.drop(building)
        raise
    return TEMPLATE_NAME


def copy_of_template(storage: PostgresStorage, template_name: str) -> tuple[str, str]:
    """A fresh copy of ``template_name`` on ``storage``, registered: (alias, name)."""
    name = f"hms_test_{next(_sequence)}"
    storage.clone(template_name, name)
    return register_database(f"hospital_pg_{name}", storage, name), name


def on_postgresql(hospital: Hospital, request: pytest.FixtureRequest) -> str:
    """Point ``hospital``'s database at a fresh copy of the template on the server for
    the rest of the test: ``hospital_alias`` (what ``tenant_context`` asks) answers the
    copy's alias. Returns the alias; the copy is dropped after the test.

    For a test module that overrides ``hospital_a``::

        @pytest.fixture
        def hospital_a(hospital_a: Hospital, request: pytest.FixtureRequest) -> Hospital:
            on_postgresql(hospital_a, request)
            return hospital_a
    """
    from apps.tenancy import connections as tenancy_connections

    storage: PostgresStorage = request.getfixturevalue("postgresql_storage")
    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    alias, name = copy_of_template(storage, request.getfixturevalue("postgresql_template"))
    request.addfinalizer(lambda: storage.drop(name))
    real = tenancy_connections.hospital_alias

    def hospital_alias(other: Hospital) -> str:
        if other.pk != hospital.pk:
            return real(other)
        return register_database(alias, storage, name)  # again if forgotten meanwhile

    monkeypatch.setattr(tenancy_connections, "hospital_alias", hospital_alias)
    return alias


@dataclass(frozen=True)
class PostgresqlHospital:
    """A hospital whose tenant context is pointed at a database on the server."""

    hospital: Hospital
    alias: str
    name: str
    storage: PostgresStorage

    def context(self) -> Any:
        return tenant_context(self.hospital, alias=self.alias)


@pytest.fixture(scope="session")
def postgresql_storage(postgres_servers: list[ThrowawayServer]) -> PostgresStorage:
    return PostgresStorage("pg1", postgres_servers[0].url)


@pytest.fixture
def postgresql_template(postgresql_storage: PostgresStorage, django_db_blocker: Any) -> str:
    """A database with the whole tenant schema and the reference data (see template)."""
    return template(postgresql_storage, django_db_blocker)


@pytest.fixture
def postgresql_hospital(
    hospital_a: Hospital, postgresql_storage: PostgresStorage, postgresql_template: str
) -> Iterator[PostgresqlHospital]:
    """``hospital_a`` with its tenant context pointed at a fresh copy of the template
    on PostgreSQL (the alias is forgotten after the test by the root conftest)."""
    alias, name = copy_of_template(postgresql_storage, postgresql_template)
    try:
        yield PostgresqlHospital(
            hospital=hospital_a, alias=alias, name=name, storage=postgresql_storage
        )
    finally:
        forget_database(alias)
        postgresql_storage.drop(name)


@pytest.fixture
def hospital_a_on_postgresql(hospital_a: Hospital, request: pytest.FixtureRequest) -> Hospital:
    """``hospital_a`` on PostgreSQL: a module that assigns it to ``hospital_a`` (pytest
    names a fixture by the attribute holding it) runs its tests — imported from the
    SQLite module — there unchanged (see on_postgresql)."""
    on_postgresql(hospital_a, request)
    return hospital_a


def test_the_hospital_database_is_postgresql(hospital_a: Hospital) -> None:
    """Assigned in a module that overrides ``hospital_a`` with on_postgresql: proves the
    module's tests really run on PostgreSQL (pg.py itself is not collected)."""
    from apps.tenancy.db import current_connection

    with tenant_context(hospital_a):
        assert current_connection().vendor == "postgresql"
