"""HMS_DATABASE_URL: the platform database from a URL (PostgreSQL for real), else the
SQLite file in the data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from apps.tenancy.storage.postgresql import PostgresStorage

PRINT_PLATFORM = (
    "import django; django.setup();"
    "from django.db import connection as c;"
    "c.ensure_connection();"
    "print(c.vendor, c.settings_dict['NAME'], c.settings_dict['CONN_HEALTH_CHECKS'])"
)


def _run(tmp_path: Path, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HMS_", "DJANGO_"))},
        "HMS_ENV_FILE": "/dev/null",
        "HMS_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hms.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, *command],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_platform_database_is_migrated_and_used_on_postgresql(
    postgres_storage: PostgresStorage, tmp_path: Path
):
    postgres_storage.create_empty("hms_platform")
    url = postgres_storage.url.rsplit("/", 1)[0] + "/hms_platform"
    migrated = _run(tmp_path, "manage.py", "migrate", "--verbosity", "0", HMS_DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr
    used = _run(tmp_path, "-c", PRINT_PLATFORM, HMS_DATABASE_URL=url)
    assert used.stdout.split() == ["postgresql", "hms_platform", "True"], used.stderr
    assert not (tmp_path / "db.sqlite3").exists()
    assert postgres_storage.size("hms_platform") > 0


def test_a_database_url_of_another_kind_fails_at_start_up(tmp_path: Path):
    result = _run(tmp_path, "-c", PRINT_PLATFORM, HMS_DATABASE_URL="mysql://u:p@db/hms")
    assert result.returncode != 0
    assert "HMS_DATABASE_URL must be a postgresql:// or sqlite:// URL" in result.stderr


def test_without_a_url_the_platform_is_the_sqlite_file_of_the_data_directory(tmp_path: Path):
    result = _run(tmp_path, "-c", PRINT_PLATFORM)
    assert result.stdout.split() == ["sqlite", str(tmp_path / "db.sqlite3"), "False"]
