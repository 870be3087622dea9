"""Real PostgreSQL for the tests (a pytest plugin, registered by the root conftest).

Two throwaway servers (apps/tenancy/storage/throwaway.py) are started once per run, the
first time a test asks for ``postgres_servers`` (a run that never does starts none), so
placement over several servers is exercised too. The first one also holds the
hospital databases of apps/patients/tests/pg.py (the schema and clinical tests on
PostgreSQL): one pair of servers per run, whoever asks first.

A database a plugin builds once for many tests (pg.py's template, a module's large
database) is named ``RUN_PREFIX…``: the per-test clean-up of the PostgreSQL run keeps it,
and ``postgres_storages`` drops it before its test (a storage test lists every database
on the server) — so whoever built it must build it again when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from apps.tenancy.storage.postgresql import PostgresStorage
from apps.tenancy.storage.throwaway import ThrowawayServer, throwaway_servers

SERVER_COUNT = 2
#: databases built once for many tests (see the module docstring)
RUN_PREFIX = "pytest_"


@pytest.fixture(scope="session")
def postgres_servers() -> Iterator[list[ThrowawayServer]]:
    with throwaway_servers(SERVER_COUNT) as servers:
        yield servers


def drop_all(storage: PostgresStorage, *, prefix: str = "") -> None:
    for name in storage.names(prefix):
        storage.drop(name)


@pytest.fixture
def postgres_storages(postgres_servers: list[ThrowawayServer]) -> Iterator[list[PostgresStorage]]:
    """A storage on each server (pg1, pg2), with no database another test built for the
    run (RUN_PREFIX), emptied after the test."""
    storages = [
        PostgresStorage(f"pg{number}", server.url)
        for number, server in enumerate(postgres_servers, start=1)
    ]
    for storage in storages:
        drop_all(storage, prefix=RUN_PREFIX)
    yield storages
    for storage in storages:
        drop_all(storage)


@pytest.fixture
def postgres_storage(postgres_storages: list[PostgresStorage]) -> PostgresStorage:
    return postgres_storages[0]
