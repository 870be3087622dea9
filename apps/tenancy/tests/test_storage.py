"""The SQLite storage (every method against real files) and where new hospitals go."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.core.exceptions import ValidationError
from apps.tenancy import storage as registry
from apps.tenancy.models import Hospital
from apps.tenancy.services import hospital_create
from apps.tenancy.storage import (
    database_name,
    placement_choose,
    storage_for,
    storages,
)
from apps.tenancy.storage.base import TenantStorage
from apps.tenancy.storage.sqlite import SqliteStorage


@pytest.fixture
def files() -> SqliteStorage:
    return SqliteStorage()


def make_database(storage: SqliteStorage, name: str, rows: int = 2) -> Path:
    """A small database ``name`` with ``rows`` rows in a table and a migration record."""
    storage.create_empty(name)
    with closing(sqlite3.connect(storage.path(name))) as db:
        db.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
        db.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, label TEXT)")
        db.executemany("INSERT INTO things (label) VALUES (?)", [(f"t{i}",) for i in range(rows)])
        db.commit()
    return storage.path(name)


def labels(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [label for (label,) in db.execute("SELECT label FROM things ORDER BY id")]


# -- names and places ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["", "Hospital", "1abc", "a-b", "a.b", "../x", "a/b", "x" * 64, "hospital x"]
)
def test_an_unsafe_name_is_refused_by_every_method(files: SqliteStorage, name: str) -> None:
    for call in (
        lambda: files.exists(name),
        lambda: files.create_empty(name),
        lambda: files.drop(name),
        lambda: files.size(name),
        lambda: files.identity(name),
        lambda: files.connection_settings(name),
    ):
        with pytest.raises(ValidationError, match="not a safe database name"):
            call()


def test_working_and_template_names_live_in_their_own_directories(files: SqliteStorage) -> None:
    root = Path(settings.HMS_TENANT_DB_DIR).resolve()
    assert files.path("hospital_cgh001") == root / "hospital_cgh001.sqlite3"
    assert files.path("work_cgh001_abc") == root / "tmp" / "work_cgh001_abc.sqlite3"
    templates = Path(settings.HMS_TEMPLATE_DB_DIR).resolve()
    assert files.path("template_0123abcd") == templates / "template_0123abcd.sqlite3"


def test_connection_settings_name_the_file_for_django(files: SqliteStorage) -> None:
    config = files.connection_settings("hospital_cgh001")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(files.path("hospital_cgh001"))


def test_describe_names_the_file_relative_to_the_data_directory(files: SqliteStorage) -> None:
    assert files.describe("hospital_cgh001") == "tenant_databases/hospital_cgh001.sqlite3"


# -- create, clone, move, drop --------------------------------------------------------------


def test_create_empty_makes_an_owner_only_database_and_refuses_an_existing_one(
    files: SqliteStorage,
) -> None:
    assert not files.exists("hospital_new")
    files.create_empty("hospital_new")
    assert files.exists("hospital_new")
    assert files.path("hospital_new").stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        files.create_empty("hospital_new")


def test_clone_copies_every_row_and_leaves_no_partial(files: SqliteStorage) -> None:
    make_database(files, "template_abc", rows=3)
    files.clone("template_abc", "work_x_1")
    assert labels(files.path("work_x_1")) == ["t0", "t1", "t2"]
    assert not list(files.path("work_x_1").parent.glob("*.partial"))


def test_clone_of_a_missing_template_is_an_error(files: SqliteStorage) -> None:
    with pytest.raises(FileNotFoundError):
        files.clone("template_gone", "work_x_1")


def test_move_without_replace_refuses_an_existing_target(files: SqliteStorage) -> None:
    make_database(files, "work_x_1", rows=1)
    make_database(files, "hospital_x", rows=5)
    with pytest.raises(FileExistsError):
        files.move("work_x_1", "hospital_x")
    assert len(labels(files.path("hospital_x"))) == 5
    assert files.exists("work_x_1")


def test_move_with_replace_puts_the_source_in_place_and_drops_stale_sidecars(
    files: SqliteStorage,
) -> None:
    make_database(files, "work_x_1", rows=1)
    make_database(files, "hospital_x", rows=5)
    stale_wal = Path(f"{files.path('hospital_x')}-wal")
    stale_wal.write_bytes(b"a WAL written for the old file")
    files.move("work_x_1", "hospital_x", replace=True)
    assert labels(files.path("hospital_x")) == ["t0"]
    assert not files.exists("work_x_1")
    assert not stale_wal.exists()


def test_identity_follows_the_database_through_a_move(files: SqliteStorage) -> None:
    make_database(files, "work_x_1")
    make_database(files, "hospital_x")
    new, old = files.identity("work_x_1"), files.identity("hospital_x")
    assert new and old and new != old
    files.move("work_x_1", "hospital_x", replace=True)
    assert files.identity("hospital_x") == new
    assert files.identity("work_x_1") == ""


def test_drop_removes_the_database_and_its_sidecars_and_a_missing_one_is_fine(
    files: SqliteStorage,
) -> None:
    path = make_database(files, "hospital_x")
    Path(f"{path}-shm").write_bytes(b"")
    files.drop("hospital_x")
    assert not path.exists() and not Path(f"{path}-shm").exists()
    files.drop("hospital_x")


def test_size_and_names(files: SqliteStorage) -> None:
    make_database(files, "hospital_a1")
    make_database(files, "hospital_b1")
    make_database(files, "work_a1_0001")
    make_database(files, "template_cafe")
    (Path(settings.HMS_TENANT_DB_DIR) / "notes.txt").write_text("not a database")
    assert files.size("hospital_a1") == files.path("hospital_a1").stat().st_size > 0
    assert files.size("hospital_gone") == 0
    assert files.names("hospital_") == ["hospital_a1", "hospital_b1"]
    assert files.names("work_a1_") == ["work_a1_0001"]
    assert "template_cafe" in files.names("template_")
    assert {"hospital_a1", "work_a1_0001", "template_cafe"} <= set(files.names())


# -- backup, restore ------------------------------------------------------------------------


def test_backup_is_a_consistent_private_copy_and_restore_writes_it_back(
    files: SqliteStorage, tmp_path: Path
) -> None:
    path = make_database(files, "hospital_x", rows=2)
    target = files.backup("hospital_x", tmp_path / "backups" / "copy.sqlite3")
    assert target.stat().st_mode & 0o777 == 0o600
    assert files.backup_check(target).row_counts == {"django_migrations": 0, "things": 2}
    with closing(sqlite3.connect(path)) as db:
        db.execute("DELETE FROM things")
        db.commit()
    files.restore(target, "hospital_x")
    assert labels(path) == ["t0", "t1"]
    assert files.row_counts("hospital_x")["things"] == 2


def test_counted_backup_returns_the_rows_it_copied(files: SqliteStorage, tmp_path: Path) -> None:
    make_database(files, "hospital_x", rows=4)
    assert files.counted_backup("hospital_x", tmp_path / "c.sqlite3")["things"] == 4


def test_a_file_that_is_not_a_database_fails_the_backup_check(
    files: SqliteStorage, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValueError, match="not a readable database"):
        files.backup_check(junk)


def test_a_sealed_template_recognises_an_exact_clone_only(files: SqliteStorage) -> None:
    make_database(files, "work_t_1")
    files.save_template("work_t_1", "template_abc")
    files.clone("template_abc", "work_x_1")
    assert files.clone_is_exact("template_abc", "work_x_1")
    with closing(sqlite3.connect(files.path("work_x_1"))) as db:
        db.execute("INSERT INTO things (label) VALUES ('changed')")
        db.commit()
    assert not files.clone_is_exact("template_abc", "work_x_1")


# -- the registry and placement -------------------------------------------------------------


class FakeStorage(TenantStorage):
    """A storage that holds nothing: placement only reads its key."""

    vendor = "fake"
    backup_suffix = ".fake"

    def __init__(self, key: str) -> None:
        self.key = key

    def exists(self, name: str) -> bool:
        return False

    def _nothing(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("placement must not touch a storage's databases")

    connection_settings = create_empty = clone = move = drop = _nothing
    backup = restore = size = names = identity = backup_check = row_counts = _nothing


@pytest.fixture
def three_servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[TenantStorage]]:
    fakes: list[TenantStorage] = [FakeStorage("pg1"), FakeStorage("pg2"), FakeStorage("pg3")]
    monkeypatch.setattr(registry, "storages", lambda: fakes)
    yield fakes


def on(server: str, count: int) -> None:
    for number in range(count):
        Hospital.objects.create(
            name=f"{server} {number}",
            code=f"{server.upper()}N{number}",
            subdomain=f"{server}-{number}",
            server=server,
        )


def test_without_servers_every_hospital_goes_to_the_sqlite_directory(db: None, settings) -> None:
    settings.HMS_TENANT_SERVERS = []
    assert [type(s) for s in storages()] == [SqliteStorage]
    assert placement_choose() == ""


@pytest.mark.usefixtures("three_servers")
def test_a_new_hospital_goes_to_the_server_with_the_fewest_hospitals(db: None) -> None:
    on("pg1", 2)
    on("pg2", 1)
    on("pg3", 3)
    assert placement_choose() == "pg2"


@pytest.mark.usefixtures("three_servers")
def test_on_a_tie_the_first_server_in_order_wins(db: None) -> None:
    on("pg2", 1)
    assert placement_choose() == "pg1"


@pytest.mark.usefixtures("three_servers")
def test_a_named_server_is_used_even_when_busier(db: None) -> None:
    on("pg3", 4)
    assert placement_choose("pg3") == "pg3"


@pytest.mark.usefixtures("three_servers")
def test_an_unknown_server_is_refused_next_to_the_field(db: None) -> None:
    with pytest.raises(ValidationError) as refused:
        placement_choose("pg9")
    assert refused.value.field == "server"
    assert "pg9" in refused.value.message


@pytest.mark.usefixtures("three_servers")
def test_hospital_create_records_the_chosen_server(db: None) -> None:
    on("pg1", 1)
    hospital = hospital_create(name="North Clinic", subdomain="north")
    assert hospital.server == "pg2"
    named = hospital_create(name="South Clinic", subdomain="south", server="pg1")
    assert named.server == "pg1"
    with pytest.raises(ValidationError):
        hospital_create(name="East Clinic", subdomain="east", server="nowhere")
    assert not Hospital.objects.filter(subdomain="east").exists()


def test_a_hospital_on_a_server_no_longer_configured_gets_a_clear_error(db: None) -> None:
    hospital = Hospital(name="Moved", code="MOVED1", subdomain="moved", server="pg7")
    with pytest.raises(ImproperlyConfigured, match="server 'pg7' are not configured"):
        storage_for(hospital)
    assert database_name(hospital) == "hospital_moved1"


def test_servers_configured_make_one_postgres_storage_each_in_order(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    made: list[tuple[str, ...]] = []

    def postgres(urls: tuple[str, ...]) -> tuple[TenantStorage, ...]:
        made.append(urls)
        return tuple(FakeStorage(f"pg{number}") for number, _ in enumerate(urls, 1))

    monkeypatch.setattr(registry, "_postgres_storages", postgres)
    settings.HMS_TENANT_SERVERS = ["postgresql://a/x", " postgresql://b/x "]
    assert [s.key for s in storages()] == ["pg1", "pg2"]
    assert made == [("postgresql://a/x", "postgresql://b/x")]
