"""Shared fixtures: two hospitals with a user each, so every view is also tested from
the other hospital. Hospital databases go to a temporary directory per test; the
migrated template database is built once per run and cloned, so a hospital costs
milliseconds."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from apps.accounts.models import Role, User
from apps.accounts.services import account_create
from apps.tenancy.connections import forget_all_tenant_databases
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.pipeline import hospital_provision
from apps.tenancy.services import hospital_create

# Real PostgreSQL servers for the tests that ask for them: two throwaway servers for the
# storage, placement and HMS_TEST_BACKEND=postgresql runs, the first of which also holds
# the tenant-schema and clinical thread tests' databases (pg.py).
pytest_plugins = ["apps.tenancy.tests.postgres", "apps.patients.tests.pg", "apps.audit.testing"]

TEST_PASSWORD = "Correct-Horse-42"
_sequence = itertools.count(1)


#: HMS_TEST_BACKEND=postgresql: every hospital database of the run on PostgreSQL (two
#: throwaway servers, see apps/tenancy/tests/postgres.py), tests marked sqlite_only
#: deselected (`make test` runs the tenancy and patients suites so after the normal run).
POSTGRES_BACKEND = os.environ.get("HMS_TEST_BACKEND", "sqlite") == "postgresql"
_postgres_urls: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _session_storage(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> None:
    django_settings.HMS_TEMPLATE_DB_DIR = tmp_path_factory.mktemp("templates")
    if POSTGRES_BACKEND:
        servers = request.getfixturevalue("postgres_servers")
        django_settings.HMS_TENANT_SERVERS = [server.url for server in servers]
        _postgres_urls.extend(django_settings.HMS_TENANT_SERVERS)
    # Real hashing costs ~0.25 s per password; tests don't need its strength.
    django_settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "apps.accounts.hashers.TemporaryPasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _tenant_storage(tmp_path: Path) -> Iterator[Path]:
    directory = tmp_path / "tenant_databases"
    directory.mkdir()
    previous = django_settings.HMS_TENANT_DB_DIR
    django_settings.HMS_TENANT_DB_DIR = directory
    yield directory
    django_settings.HMS_TENANT_DB_DIR = previous
    if POSTGRES_BACKEND:
        # What the per-test directory is for SQLite: each test starts with no hospital
        # database; the templates (one per migration state) and what the test plugins
        # build once for the run (RUN_PREFIX) are kept.
        # (the throwaway servers themselves: a test may have configured others)
        from apps.tenancy.storage.postgresql import PostgresStorage
        from apps.tenancy.storage.sqlite import TEMPLATE_PREFIX
        from apps.tenancy.tests.postgres import RUN_PREFIX

        for number, url in enumerate(_postgres_urls, start=1):
            storage = PostgresStorage(f"pg{number}", url)
            for name in storage.names():
                if not name.startswith((TEMPLATE_PREFIX, RUN_PREFIX)):
                    storage.drop(name)


def pytest_configure(config: pytest.Config) -> None:
    """Let Django's test cases open hospital databases.

    Django only allows connections to aliases a test case lists up front; hospital
    aliases are registered while a test runs (that is the point of the design). Each
    test gets its own directory of hospital database files, which isolates them; the
    platform database keeps Django's rules.
    """
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.test.testcases import SimpleTestCase

    from apps.accounts.testing import second_factor_at_forced_login
    from apps.tenancy.connections import is_tenant_alias

    second_factor_at_forced_login()  # force_login gives the second factor too
    guarded = SimpleTestCase.ensure_connection_patch_method.__func__  # type: ignore[attr-defined]

    def ensure_connection_patch_method(cls):
        guarded_ensure = guarded(cls)
        real_ensure = BaseDatabaseWrapper.ensure_connection

        def ensure_connection(self, *args, **kwargs):
            if is_tenant_alias(self.alias):
                return real_ensure(self, *args, **kwargs)
            return guarded_ensure(self, *args, **kwargs)

        return ensure_connection

    SimpleTestCase.ensure_connection_patch_method = classmethod(ensure_connection_patch_method)  # type: ignore[method-assign,assignment]
    _platform_test_database_in_a_file()


def _platform_test_database_in_a_file() -> None:
    """The SQLite platform database of the tests is a file, as in production — not
    Django's default in-memory shared-cache database. Under shared cache SQLite locks
    whole tables between connections and answers "database table is locked" at once,
    without the busy timeout: the race tests (two requests saving their sessions, two
    status moves) then failed at random on a loaded machine, for a reason production
    never has. (pytest-xdist's workers each get their own file: pytest-django adds the
    worker's name.)"""
    from django.db import connections

    platform = connections.settings["default"]
    if platform["ENGINE"] != "django.db.backends.sqlite3":
        return
    test_settings = platform.setdefault("TEST", {})
    if not test_settings.get("NAME"):
        directory = Path(tempfile.gettempdir())
        test_settings["NAME"] = str(directory / f"hms-test-platform-{os.getpid()}.sqlite3")


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``make test`` runs on every core (pytest-xdist, ``--dist loadgroup``): the tests
    that share something costly to start stay on one worker, the rest fill the others.

    - the end-to-end tests: one running stack and one browser;
    - each integration module: one stack of Redis and a Celery worker;
    - the ``*_postgresql.py`` modules: one pair of throwaway servers and one migrated
      template (in the PostgreSQL run every test uses them: each worker has its own).

    The biggest groups are handed out first, single tests fill the workers around them.
    (xdist's own groups, ``xdist_group`` marks, do nothing with pytest 9: xdist 3.8
    renames ``item._nodeid``, which pytest 9 no longer reads.)
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

    class SharedStackScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return shared_stack(nodeid) or nodeid

    return SharedStackScheduling(config, log)


def shared_stack(nodeid: str) -> str | None:
    """What the test shares with others that is costly per worker (see above), if any."""
    path = nodeid.split("::", 1)[0]
    if path.startswith("e2e/"):
        return "e2e"
    if "/tests/integration/" in path:
        return path
    if path.endswith("_postgresql.py"):
        return "postgresql"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> None:
    # Before pytest-django's teardown: Django's TestCase restores the connections it
    # knew at set-up and must not meet hospital aliases registered during the test.
    forget_all_tenant_databases()


HospitalFactory = Callable[..., Hospital]


@pytest.fixture
def make_hospital(db: None) -> HospitalFactory:
    def factory(
        name: str | None = None, subdomain: str | None = None, **kwargs: object
    ) -> Hospital:
        number = next(_sequence)
        hospital = hospital_create(
            name=name or f"Test Hospital {number}",
            subdomain=subdomain or f"test-{number}",
            **kwargs,  # type: ignore[arg-type]
        )
        hospital_provision(hospital, admin_password=TEST_PASSWORD)
        hospital.refresh_from_db()
        return hospital

    return factory


@pytest.fixture
def hospital_a(make_hospital: HospitalFactory) -> Hospital:
    return make_hospital(name="City General Hospital", subdomain="city-general")


@pytest.fixture
def hospital_b(make_hospital: HospitalFactory) -> Hospital:
    return make_hospital(name="Lakeside Clinic", subdomain="lakeside")


def make_user(hospital: Hospital | None, role: str = Role.HOSPITAL_ADMIN, name: str = "") -> User:
    account = account_create(
        hospital=hospital,
        full_name=name or f"{role.replace('_', ' ').title()} {next(_sequence)}",
        role=role,
        password=TEST_PASSWORD,
    )
    return account.user


@pytest.fixture
def admin_a(hospital_a: Hospital) -> User:
    return User.objects.get(hospital=hospital_a, role=Role.HOSPITAL_ADMIN)


@pytest.fixture
def admin_b(hospital_b: Hospital) -> User:
    return User.objects.get(hospital=hospital_b, role=Role.HOSPITAL_ADMIN)


def hospital_client(hospital: Hospital, user: User | None = None) -> Client:
    """A test client on the hospital's host, signed in as ``user`` when given."""
    client = Client(HTTP_HOST=hospital.host)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def client_a(hospital_a: Hospital, admin_a: User) -> Client:
    return hospital_client(hospital_a, admin_a)


@pytest.fixture
def client_b(hospital_b: Hospital, admin_b: User) -> Client:
    return hospital_client(hospital_b, admin_b)
