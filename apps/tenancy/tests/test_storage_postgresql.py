"""PostgresStorage against real PostgreSQL 15 servers (throwaway clusters, see
apps/tenancy/tests/postgres.py): every method, with other sessions connected where
PostgreSQL would refuse, and names that must never reach SQL unchecked."""

from __future__ import annotations

import copy
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from apps.core.exceptions import Conflict, NotFound, ValidationError
from apps.tenancy.connections import TENANT_MARKER, forget_database
from apps.tenancy.storage.postgresql import (
    REPLACED_PREFIX,
    RESTORING_PREFIX,
    PostgresStorage,
    scratch_name,
)


def connect(storage: PostgresStorage, name: str) -> psycopg.Connection[Any]:
    return psycopg.connect(storage.url, dbname=name, autocommit=True)


def execute(storage: PostgresStorage, name: str, *statements: str) -> None:
    with closing(connect(storage, name)) as connection:
        for statement in statements:
            connection.execute(statement)


def patient_names(storage: PostgresStorage, name: str) -> list[str]:
    with closing(connect(storage, name)) as connection:
        rows = connection.execute("SELECT name FROM patient ORDER BY name").fetchall()
    return [row[0] for row in rows]


def with_patients(storage: PostgresStorage, name: str, *patients: str) -> None:
    storage.create_empty(name)
    execute(storage, name, "CREATE TABLE patient (id serial PRIMARY KEY, name text NOT NULL)")
    for patient in patients:
        execute(storage, name, f"INSERT INTO patient (name) VALUES ('{patient}')")


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    directory = tmp_path / "backups"
    directory.mkdir()
    return directory


@pytest.fixture
def django_alias(postgres_storage: PostgresStorage, db: None) -> Iterator[Any]:
    """Register a Django alias on a database of the storage, the way tenancy does."""
    registered: list[str] = []

    def register(name: str) -> str:
        alias = f"pgtest_{name}"
        config = copy.deepcopy(connections.settings[DEFAULT_DB_ALIAS])
        config.update(postgres_storage.connection_settings(name))
        config[TENANT_MARKER] = True
        connections.settings[alias] = config
        registered.append(alias)
        return alias

    yield register
    for alias in registered:
        forget_database(alias)


def test_a_new_database_is_empty_and_exists(postgres_storage):
    assert not postgres_storage.exists("hospital_new")
    postgres_storage.create_empty("hospital_new")
    assert postgres_storage.exists("hospital_new")
    with closing(connect(postgres_storage, "hospital_new")) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
        encoding = connection.execute("SHOW server_encoding").fetchone()
    assert tables == (0,)
    assert encoding == ("UTF8",)


def test_creating_a_database_that_exists_is_refused(postgres_storage):
    postgres_storage.create_empty("hospital_twice")
    with pytest.raises(psycopg.errors.DuplicateDatabase):
        postgres_storage.create_empty("hospital_twice")


def test_a_clone_holds_the_templates_tables_and_rows(postgres_storage):
    with_patients(postgres_storage, "tenant_template", "Aysel", "Rauf")
    postgres_storage.clone("tenant_template", "hospital_cloned")
    assert patient_names(postgres_storage, "hospital_cloned") == ["Aysel", "Rauf"]
    execute(postgres_storage, "hospital_cloned", "INSERT INTO patient (name) VALUES ('Leyla')")
    assert patient_names(postgres_storage, "tenant_template") == ["Aysel", "Rauf"]


def test_a_clone_ends_other_sessions_on_the_template_first(postgres_storage):
    with_patients(postgres_storage, "tenant_template", "Aysel")
    other = connect(postgres_storage, "tenant_template")
    try:
        postgres_storage.clone("tenant_template", "hospital_cloned")
        assert other.closed or other.broken or _is_dead(other)
    finally:
        other.close()
    assert patient_names(postgres_storage, "hospital_cloned") == ["Aysel"]


def _is_dead(connection: psycopg.Connection[Any]) -> bool:
    try:
        connection.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


def test_a_clone_closes_djangos_own_connection_to_the_template(postgres_storage, django_alias):
    with_patients(postgres_storage, "tenant_template", "Aysel")
    alias = django_alias("tenant_template")
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM patient")
        assert cursor.fetchone() == (1,)
    postgres_storage.clone("tenant_template", "hospital_cloned")
    assert connections[alias].connection is None
    # and Django reconnects on its next query, not to a killed session
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM patient")
        assert cursor.fetchone() == (1,)


def test_connection_settings_reach_the_database_through_django(postgres_storage, django_alias):
    with_patients(postgres_storage, "hospital_django", "Aysel")
    settings = postgres_storage.connection_settings("hospital_django")
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert settings["NAME"] == "hospital_django"
    assert settings["HOST"] == "127.0.0.1"
    assert "CONN_MAX_AGE" not in settings
    alias = django_alias("hospital_django")
    assert connections[alias].vendor == postgres_storage.vendor
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT name FROM patient")
        assert cursor.fetchall() == [("Aysel",)]


def test_the_password_of_the_url_is_used_and_never_shown():
    storage = PostgresStorage("pg9", "postgresql://hms:s3cret@db.example:6543/postgres")
    settings = storage.connection_settings("hospital_x")
    assert (settings["USER"], settings["PASSWORD"]) == ("hms", "s3cret")
    assert (settings["HOST"], settings["PORT"]) == ("db.example", "6543")
    assert "s3cret" not in repr(storage)


def test_a_url_of_another_engine_is_refused():
    with pytest.raises(ValidationError):
        PostgresStorage("pg1", "sqlite:///tmp/x.sqlite3")


def test_a_move_renames_the_database(postgres_storage):
    with_patients(postgres_storage, "work_cgh", "Aysel")
    identity = postgres_storage.identity("work_cgh")
    postgres_storage.move("work_cgh", "hospital_cgh")
    assert not postgres_storage.exists("work_cgh")
    assert patient_names(postgres_storage, "hospital_cgh") == ["Aysel"]
    assert postgres_storage.identity("hospital_cgh") == identity


def test_a_move_onto_an_existing_database_without_replace_is_refused(postgres_storage):
    with_patients(postgres_storage, "work_cgh", "New")
    with_patients(postgres_storage, "hospital_cgh", "Old")
    with pytest.raises(Conflict):
        postgres_storage.move("work_cgh", "hospital_cgh")
    assert patient_names(postgres_storage, "hospital_cgh") == ["Old"]
    assert patient_names(postgres_storage, "work_cgh") == ["New"]


def test_a_move_of_a_missing_database_is_refused(postgres_storage):
    with_patients(postgres_storage, "hospital_cgh", "Old")
    with pytest.raises(NotFound):
        postgres_storage.move("work_missing", "hospital_cgh", replace=True)
    assert patient_names(postgres_storage, "hospital_cgh") == ["Old"]


def test_a_replacing_move_swaps_in_the_new_database_and_drops_the_old(postgres_storage):
    with_patients(postgres_storage, "work_cgh", "New")
    with_patients(postgres_storage, "hospital_cgh", "Old")
    old_identity = postgres_storage.identity("hospital_cgh")
    new_identity = postgres_storage.identity("work_cgh")
    postgres_storage.move("work_cgh", "hospital_cgh", replace=True)
    assert patient_names(postgres_storage, "hospital_cgh") == ["New"]
    assert postgres_storage.identity("hospital_cgh") == new_identity != old_identity
    assert postgres_storage.names() == ["hospital_cgh"]
    assert postgres_storage.leftovers() == []


def test_a_replacing_move_ends_sessions_on_both_names(postgres_storage, django_alias):
    with_patients(postgres_storage, "work_cgh", "New")
    with_patients(postgres_storage, "hospital_cgh", "Old")
    reader = connect(postgres_storage, "hospital_cgh")
    alias = django_alias("hospital_cgh")
    connections[alias].ensure_connection()
    try:
        postgres_storage.move("work_cgh", "hospital_cgh", replace=True)
    finally:
        reader.close()
    assert connections[alias].connection is None
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT name FROM patient")
        assert cursor.fetchall() == [("New",)]


def test_a_database_pushed_aside_by_a_crashed_replace_is_dropped_by_the_next(postgres_storage):
    # What a crash between the swap and the drop leaves: the old one under its aside name.
    aside = scratch_name(REPLACED_PREFIX, "hospital_cgh")
    with_patients(postgres_storage, aside, "Older")
    assert postgres_storage.leftovers() == [aside]
    with_patients(postgres_storage, "hospital_cgh", "Old")
    with_patients(postgres_storage, "work_cgh", "New")
    postgres_storage.move("work_cgh", "hospital_cgh", replace=True)
    assert postgres_storage.names() == ["hospital_cgh"]
    assert patient_names(postgres_storage, "hospital_cgh") == ["New"]


def test_scratch_names_of_long_targets_stay_within_postgresqls_limit():
    long_a = "hospital_" + "a" * 54
    long_b = "hospital_" + "a" * 53 + "b"
    assert len(scratch_name(REPLACED_PREFIX, long_a)) == 63
    assert scratch_name(REPLACED_PREFIX, long_a) != scratch_name(REPLACED_PREFIX, long_b)
    assert scratch_name(RESTORING_PREFIX, "hospital_cgh") == "restoring_hospital_cgh"


def test_a_drop_ends_other_sessions(postgres_storage, django_alias):
    with_patients(postgres_storage, "hospital_gone", "Aysel")
    other = connect(postgres_storage, "hospital_gone")
    alias = django_alias("hospital_gone")
    connections[alias].ensure_connection()
    try:
        postgres_storage.drop("hospital_gone")
    finally:
        other.close()
    assert not postgres_storage.exists("hospital_gone")
    assert connections[alias].connection is None


def test_dropping_a_missing_database_is_fine(postgres_storage):
    postgres_storage.drop("hospital_never_was")
    assert not postgres_storage.exists("hospital_never_was")


def test_a_backup_restores_exactly_the_rows_it_held(postgres_storage, backups: Path):
    with_patients(postgres_storage, "hospital_cgh", "Aysel", "Rauf")
    backup = postgres_storage.backup("hospital_cgh", backups / "cgh.dump")
    assert backup == backups / "cgh.dump"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert sorted(backups.iterdir()) == [backup]  # no .partial left

    execute(postgres_storage, "hospital_cgh", "INSERT INTO patient (name) VALUES ('Later')")
    identity = postgres_storage.identity("hospital_cgh")
    postgres_storage.restore(backup, "hospital_cgh")
    assert patient_names(postgres_storage, "hospital_cgh") == ["Aysel", "Rauf"]
    assert postgres_storage.identity("hospital_cgh") != identity
    assert postgres_storage.names() == ["hospital_cgh"]


def test_a_restore_recreates_a_missing_database(postgres_storage, backups: Path):
    with_patients(postgres_storage, "hospital_cgh", "Aysel")
    backup = postgres_storage.backup("hospital_cgh", backups / "cgh.dump")
    postgres_storage.drop("hospital_cgh")
    postgres_storage.restore(backup, "hospital_cgh")
    assert patient_names(postgres_storage, "hospital_cgh") == ["Aysel"]
    # sequences come back too: the next row does not collide with a restored id
    execute(postgres_storage, "hospital_cgh", "INSERT INTO patient (name) VALUES ('Next')")


def test_a_broken_backup_leaves_the_database_as_it_was(postgres_storage, backups: Path):
    with_patients(postgres_storage, "hospital_cgh", "Aysel")
    good = postgres_storage.backup("hospital_cgh", backups / "cgh.dump")
    broken = backups / "broken.dump"
    broken.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    identity = postgres_storage.identity("hospital_cgh")
    with pytest.raises(RuntimeError, match="pg_restore"):
        postgres_storage.restore(broken, "hospital_cgh")
    assert patient_names(postgres_storage, "hospital_cgh") == ["Aysel"]
    assert postgres_storage.identity("hospital_cgh") == identity
    assert postgres_storage.leftovers() == []


def test_backing_up_a_missing_database_writes_nothing(postgres_storage, backups: Path):
    with pytest.raises(NotFound):
        postgres_storage.backup("hospital_missing", backups / "missing.dump")
    assert list(backups.iterdir()) == []


def test_a_dump_cut_short_leaves_no_file(postgres_storage, backups: Path, tmp_path, monkeypatch):
    with_patients(postgres_storage, "hospital_cgh", "Aysel")
    # a pg_dump that writes half a dump and dies
    fake = tmp_path / "pg_dump"
    fake.write_text('#!/bin/sh\nprintf PGDMP > "$3"\nexit 1\n')
    fake.chmod(0o700)
    monkeypatch.setattr("apps.tenancy.storage.postgresql.binary", lambda name: str(fake))
    with pytest.raises(RuntimeError, match="pg_dump"):
        postgres_storage.backup("hospital_cgh", backups / "cgh.dump")
    assert list(backups.iterdir()) == []


def test_names_match_the_prefix_literally(postgres_storage):
    for name in ("hospital_a1", "hospitalxa1", "hospital_b2", "tenant_template"):
        postgres_storage.create_empty(name)
    assert postgres_storage.names("hospital_") == ["hospital_a1", "hospital_b2"]
    assert postgres_storage.names("hospital_a") == ["hospital_a1"]
    # the server's own databases are never listed
    assert postgres_storage.names() == [
        "hospital_a1",
        "hospital_b2",
        "hospitalxa1",
        "tenant_template",
    ]


def test_size_is_that_of_the_database(postgres_storage):
    with_patients(postgres_storage, "hospital_cgh", "Aysel")
    assert postgres_storage.size("hospital_cgh") > 1_000_000  # even an empty one has catalogs
    assert postgres_storage.size("hospital_missing") == 0


def test_identity_is_empty_for_a_missing_database(postgres_storage):
    assert postgres_storage.identity("hospital_missing") == ""
    postgres_storage.create_empty("hospital_cgh")
    assert postgres_storage.identity("hospital_cgh").isdigit()


def test_each_server_holds_its_own_databases(postgres_storages):
    first, second = postgres_storages
    with_patients(first, "hospital_cgh", "On first")
    assert not second.exists("hospital_cgh")
    with_patients(second, "hospital_cgh", "On second")
    assert patient_names(first, "hospital_cgh") == ["On first"]
    assert patient_names(second, "hospital_cgh") == ["On second"]


@pytest.mark.parametrize(
    "name",
    [
        'x"; DROP DATABASE postgres; --',
        "hospital-cgh",
        "Hospital_cgh",
        "",
        "1hospital",
        "h" * 64,
        "hospital_%",
    ],
)
def test_unsafe_names_are_refused_before_reaching_the_server(name):
    # no server behind this URL: a refused name must fail before any connection
    storage = PostgresStorage("pg9", "postgresql://nobody@127.0.0.1:1/postgres")
    for call in (
        lambda: storage.exists(name),
        lambda: storage.create_empty(name),
        lambda: storage.clone(name, "hospital_ok"),
        lambda: storage.clone("hospital_ok", name),
        lambda: storage.move(name, "hospital_ok"),
        lambda: storage.move("hospital_ok", name),
        lambda: storage.drop(name),
        lambda: storage.size(name),
        lambda: storage.identity(name),
        lambda: storage.connection_settings(name),
    ):
        with pytest.raises(ValidationError):
            call()


@pytest.mark.parametrize("prefix", ["hospital_%", "Hospital", "a'b", "-"])
def test_unsafe_prefixes_are_refused(prefix):
    storage = PostgresStorage("pg9", "postgresql://nobody@127.0.0.1:1/postgres")
    with pytest.raises(ValidationError):
        storage.names(prefix)


def with_migrations_table(storage: PostgresStorage, name: str) -> None:
    execute(
        storage,
        name,
        "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255),"
        " name varchar(255), applied timestamptz)",
        "INSERT INTO django_migrations (app, name, applied) VALUES"
        " ('patients', '0001_initial', now()), ('regions', '0002_more', now())",
        'CREATE TABLE "Empty Table" (id int)',
    )


def test_a_counted_backup_reads_back_the_rows_it_counted(postgres_storage, backups: Path):
    with_patients(postgres_storage, "hospital_cgh", "Aysel", "Rauf\tTab", "Line\nbreak")
    with_migrations_table(postgres_storage, "hospital_cgh")
    counted = postgres_storage.counted_backup("hospital_cgh", backups / "cgh.dump")
    assert counted == {"Empty Table": 0, "django_migrations": 2, "patient": 3}
    contents = postgres_storage.backup_check(backups / "cgh.dump")
    assert contents.row_counts == counted
    assert contents.migrations == {("patients", "0001_initial"), ("regions", "0002_more")}
    assert postgres_storage.row_counts("hospital_cgh") == counted


def test_a_file_that_is_not_a_dump_is_not_a_backup(postgres_storage, backups: Path):
    not_a_dump = backups / "notes.dump"
    not_a_dump.write_text("hello")
    with pytest.raises(ValueError, match="not a readable dump"):
        postgres_storage.backup_check(not_a_dump)


def test_a_dump_without_django_migrations_is_not_a_hospitals(postgres_storage, backups: Path):
    with_patients(postgres_storage, "hospital_cgh", "Aysel")
    postgres_storage.backup("hospital_cgh", backups / "cgh.dump")
    with pytest.raises(ValueError, match="not a hospital database"):
        postgres_storage.backup_check(backups / "cgh.dump")


def test_a_saved_template_is_sealed_and_its_clones_are_exact(postgres_storage):
    with_patients(postgres_storage, "work_cgh_1", "Aysel")
    postgres_storage.save_template("work_cgh_1", "template_abc")
    assert postgres_storage.exists("work_cgh_1")  # the source stays
    with pytest.raises(psycopg.OperationalError, match="not currently accepting connections"):
        connect(postgres_storage, "template_abc")
    postgres_storage.clone("template_abc", "work_lake_1")
    assert postgres_storage.clone_is_exact("template_abc", "work_lake_1")
    assert patient_names(postgres_storage, "work_lake_1") == ["Aysel"]
    # saving again replaces it, and leaves no scratch database behind
    postgres_storage.save_template("work_lake_1", "template_abc")
    assert postgres_storage.leftovers() == []


def test_a_clone_of_an_unsealed_database_is_not_taken_for_exact(postgres_storage):
    with_patients(postgres_storage, "tenant_template", "Aysel")
    postgres_storage.clone("tenant_template", "work_cgh_1")
    assert not postgres_storage.clone_is_exact("tenant_template", "work_cgh_1")


def test_leftovers_are_removed_but_not_a_database_in_use(postgres_storage):
    for name in (
        "work_cgh_1",
        "work_cgh_2",
        "work_lake_1",
        "replaced_hospital_x",
        "restoring_hospital_y",
        "saving_template_z",
        "saving_template_busy",
    ):
        postgres_storage.create_empty(name)
    in_use = connect(postgres_storage, "work_cgh_2")
    saving_now = connect(postgres_storage, "saving_template_busy")
    try:
        removed = postgres_storage.remove_leftovers("work_cgh_", older_than=0.0)
        assert postgres_storage.names() == ["saving_template_busy", "work_cgh_2", "work_lake_1"]
        assert removed == 4
    finally:
        saving_now.close()
        in_use.close()
    assert postgres_storage.remove_leftovers("work_cgh_") == 2
    assert postgres_storage.names() == ["work_lake_1"]
