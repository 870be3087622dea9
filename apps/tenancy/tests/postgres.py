"""Real PostgreSQL for the tests (a pytest plugin, registered by the root conftest).

Two throwaway servers (apps/tenancy/storage/throwaway.py) are started once per run, the
first time a test asks for ``postgres_servers`` (a run that never does starts none), so
placement over several servers is exercised too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from apps.tenancy.storage.postgresql import PostgresStorage
from apps.tenancy.storage.throwaway import ThrowawayServer, throwaway_servers

SERVER_COUNT = 2


@pytest.fixture(scope="session")
def postgres_servers() -> Iterator[list[ThrowawayServer]]:
    with throwaway_servers(SERVER_COUNT) as servers:
        yield servers


def drop_all(storage: PostgresStorage, *, keep_prefix: str | None = None) -> None:
    for name in storage.names():
        if keep_prefix is None or not name.startswith(keep_prefix):
            storage.drop(name)


@pytest.fixture
def postgres_storages(postgres_servers: list[ThrowawayServer]) -> Iterator[list[PostgresStorage]]:
    """A storage on each server (pg1, pg2), emptied after the test."""
    storages = [
        PostgresStorage(f"pg{number}", server.url)
        for number, server in enumerate(postgres_servers, start=1)
    ]
    yield storages
    for storage in storages:
        drop_all(storage)


@pytest.fixture
def postgres_storage(postgres_storages: list[PostgresStorage]) -> PostgresStorage:
    return postgres_storages[0]
