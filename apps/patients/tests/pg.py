"""Hospital databases on a real PostgreSQL server, for tests that must run there.

ONE throwaway server (apps.tenancy.storage.throwaway) is started the first time a test
asks for it and stopped at the end of the run; a run that asks for none starts none.
A database with every tenant migration applied and the reference data seeded is built
once per run (``postgresql_template``); each test that wants one gets its own copy
(``CREATE DATABASE … TEMPLATE``), registered under a hospital alias the router treats
as a hospital database.

The fixtures are plugged into every test module by the root conftest.py
(``pytest_plugins``), so any app's tests may ask for them:

- ``postgresql_server`` — the running server;
- ``postgresql_template`` — the name of the migrated and seeded database;
- ``postgresql_hospital`` — a hospital (a Hospital row of the platform database) whose
  tenant context points at a fresh copy of that database: use it like ``hospital_a``
  with ``with tenant_context(hospital, alias=database.alias)``;
- ``on_postgresql(hospital, ...)`` — for a test module that overrides ``hospital_a``:
  every ``tenant_context(hospital_a)`` of the test then selects a fresh copy on the
  server, so existing tests (factories and all) run there unchanged.

Later, PostgreSQL hospitals come through the real storage (apps.tenancy.storage);
these fixtures build the same thing by hand so the schema can be tested before then.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql

from apps.tenancy.connections import TENANT_MARKER, forget_database
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.migrations_state import apply_tenant_migrations
from apps.tenancy.provisioning.pipeline import seed_reference_data
from apps.tenancy.storage.throwaway import SUPERUSER, ThrowawayServer, throwaway_server

TEMPLATE_NAME = "hms_tenant_template"
_sequence = itertools.count(1)


def database_settings(server: ThrowawayServer, name: str) -> dict[str, Any]:
    """A DATABASES entry for database ``name`` on ``server``, shaped like
    apps.tenancy.connections.register_database's and marked as a hospital database."""
    config: dict[str, Any] = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
    config.update(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": SUPERUSER,
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": str(server.port),
            "OPTIONS": {},
            "TEST": {
                "CHARSET": None,
                "COLLATION": None,
                "MIGRATE": True,
                "MIRROR": None,
                "NAME": None,
            },
            "CONN_MAX_AGE": 0,
            TENANT_MARKER: True,
        }
    )
    return config


def register(server: ThrowawayServer, alias: str, name: str) -> str:
    """Register (or re-point) ``alias`` to database ``name`` on ``server``."""
    forget_database(alias)
    connections.settings[alias] = database_settings(server, name)
    return alias


def _admin(server: ThrowawayServer) -> psycopg.Connection[Any]:
    return psycopg.connect(server.url, autocommit=True)


def create_database(server: ThrowawayServer, name: str, *, template: str = "") -> None:
    """Create an empty database ``name``, or a copy of ``template`` (which must have no
    open connection)."""
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with _admin(server) as admin:
        admin.execute(statement)


def drop_database(server: ThrowawayServer, name: str) -> None:
    with _admin(server) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def migrate_and_seed(hospital: Hospital, alias: str) -> int:
    """What provisioning does to a new hospital database: every tenant migration, then
    every reference-data seeder. Returns how many migrations were applied."""
    applied = apply_tenant_migrations(alias)
    with tenant_context(hospital, alias=alias):
        seed_reference_data(update_existing=True)
    return applied


def copy_of_template(server: ThrowawayServer, template: str) -> tuple[str, str]:
    """A fresh copy of ``template`` on ``server``, registered: (alias, database name)."""
    name = f"hms_test_{next(_sequence)}"
    create_database(server, name, template=template)
    return register(server, f"hospital_pg_{name}", name), name


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

    server: ThrowawayServer = request.getfixturevalue("postgresql_server")
    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    alias, name = copy_of_template(server, request.getfixturevalue("postgresql_template"))
    request.addfinalizer(lambda: drop_database(server, name))
    real = tenancy_connections.hospital_alias

    def hospital_alias(other: Hospital) -> str:
        if other.pk != hospital.pk:
            return real(other)
        if alias not in connections.settings:  # forgotten meanwhile
            connections.settings[alias] = database_settings(server, name)
        return alias

    monkeypatch.setattr(tenancy_connections, "hospital_alias", hospital_alias)
    return alias


@dataclass(frozen=True)
class PostgresqlHospital:
    """A hospital whose tenant context is pointed at a database on the server."""

    hospital: Hospital
    alias: str
    name: str
    server: ThrowawayServer

    def context(self) -> Any:
        return tenant_context(self.hospital, alias=self.alias)


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[ThrowawayServer]:
    with throwaway_server(max_connections=50) as server:
        yield server


@pytest.fixture(scope="session")
def postgresql_template(
    postgresql_server: ThrowawayServer, django_db_blocker: Any
) -> Iterator[str]:
    """A database with the whole tenant schema and the reference data, built once."""
    alias = "hospital_pg_template"
    create_database(postgresql_server, TEMPLATE_NAME)
    # Seeders ask for no hospital; the tenant context only needs one to bind the alias.
    builder = Hospital(name="PostgreSQL template", code="PGTEMPLATE")
    with django_db_blocker.unblock():
        register(postgresql_server, alias, TEMPLATE_NAME)
        try:
            migrate_and_seed(builder, alias)
        finally:
            forget_database(alias)  # a template must have no open connection
    yield TEMPLATE_NAME


@pytest.fixture
def postgresql_hospital(
    hospital_a: Hospital, postgresql_server: ThrowawayServer, postgresql_template: str
) -> Iterator[PostgresqlHospital]:
    """``hospital_a`` with its tenant context pointed at a fresh copy of the template
    on PostgreSQL (the alias is forgotten after the test by the root conftest)."""
    alias, name = copy_of_template(postgresql_server, postgresql_template)
    try:
        yield PostgresqlHospital(
            hospital=hospital_a, alias=alias, name=name, server=postgresql_server
        )
    finally:
        forget_database(alias)
        drop_database(postgresql_server, name)


def test_the_hospital_database_is_postgresql(hospital_a: Hospital) -> None:
    """Assigned in a module that overrides ``hospital_a`` with on_postgresql: proves the
    module's tests really run on PostgreSQL (pg.py itself is not collected)."""
    from apps.tenancy.db import current_connection

    with tenant_context(hospital_a):
        assert current_connection().vendor == "postgresql"
