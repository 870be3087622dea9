"""A committed write survives a power cut: SQLite fsyncs every commit (synchronous=FULL),
files are fsynced before and after being moved into place, and every database file and
backup is owner-only."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from apps.tenancy.connections import hospital_alias
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.backups import backup_path, database_copy
from apps.tenancy.storage import files
from apps.tenancy.storage.sqlite import database_path
from apps.tenancy.tests.databases import template_path

# SQLite's synchronous=FULL, 0600 database files, fsync around renames (the PostgreSQL
# server owns its files)
pytestmark = pytest.mark.sqlite_only

FULL = 2


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_commit_is_fsynced_on_the_platform_and_hospital_databases(
    hospital_a: Hospital,
) -> None:
    hospital_connection = connections[hospital_alias(hospital_a)]
    for conn in (connection, hospital_connection):
        with conn.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == FULL
    with hospital_connection.cursor() as cursor:  # (the test platform db is in memory)
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_a_hospital_database_its_template_and_its_backups_are_owner_only(
    hospital_a: Hospital,
) -> None:
    assert mode(database_path(hospital_a)) == 0o600
    assert mode(template_path()) == 0o600
    backup = database_copy(hospital_a, backup_path(hospital_a, "test"))
    assert mode(backup) == 0o600


def test_a_file_moved_into_place_is_fsynced_before_and_its_directory_after(
    tmp_path: Path, monkeypatch: Any
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(descriptor: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(files.os, "fsync", recording_fsync)
    source = tmp_path / "work.sqlite3"
    source.write_bytes(b"contents")
    target = tmp_path / "final.sqlite3"
    files.durable_replace(source, target)
    assert synced == [str(source), str(tmp_path)]
    assert target.read_bytes() == b"contents"


def test_files_written_by_an_older_version_are_made_owner_only(tmp_path: Path) -> None:
    old = tmp_path / "hospital_old.sqlite3"
    old.write_bytes(b"x")
    old.chmod(0o644)
    assert files.make_data_files_private(tmp_path) == 1
    assert mode(old) == 0o600
