"""Jobs run by a real Celery worker process with a real Redis, driven through the
management commands and checked in the platform database and the files themselves."""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import time
import uuid
from contextlib import closing
from pathlib import Path

from e2e.platform_db import PlatformDatabase, wait_for
from hms.devstack import Stack

from .conftest import Follower

_names = iter(range(1, 1000))


def new_hospital(stack: Stack, prefix: str) -> tuple[str, str, str]:
    """Provision a hospital through the worker; returns (subdomain, code, job id)."""
    number = next(_names)
    subdomain = f"{prefix}-{number}"
    result = stack.manage(
        "create_hospital", "--enqueue", "--name", f"{prefix.title()} Hospital {number}",
        "--subdomain", subdomain, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    code = re.search(r"\(([A-Z0-9]+)\) at ", result.stdout)
    job_id = re.search(r"Queued job ([0-9a-f-]{36})", result.stdout)
    assert code and job_id, result.stdout
    return subdomain, code.group(1), job_id.group(1)


def database_file(stack: Stack, code: str) -> Path:
    return stack.data_dir / "tenant_databases" / f"hospital_{code.lower()}.sqlite3"


def working_files(stack: Stack, code: str) -> list[Path]:
    return list((stack.data_dir / "tenant_databases" / "tmp").glob(f"work_{code.lower()}_*"))


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path, timeout=30)) as db:
        return db.execute(sql).fetchall()


def execute(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path, timeout=30)) as db:
        for statement in statements:
            db.execute(statement)
        db.commit()


def job_status(platform: PlatformDatabase, job_id: str) -> str:
    return str(platform.job(job_id)["status"])


def task_results_of(platform: PlatformDatabase, job_id: str) -> list[dict[str, object]]:
    return platform.rows(
        "SELECT status, result FROM django_celery_results_taskresult WHERE task_kwargs LIKE ?",
        f"%{job_id}%",
    )


# -- provisioning end to end ----------------------------------------------------------------


def test_the_worker_provisions_a_hospital_and_the_command_follows_it(
    stack: Stack, platform: PlatformDatabase
) -> None:
    result = stack.manage(
        "create_hospital", "--enqueue", "--name", "Riverbend General", "--subdomain", "riverbend",
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    job_id = re.search(r"Queued job ([0-9a-f-]{36})", output).group(1)  # type: ignore[union-attr]
    password = re.search(r"first login\): (\S+)", output).group(1)  # type: ignore[union-attr]
    assert "[########################] 100% done: Riverbend General is ready" in output
    assert "Riverbend General is ready: http://riverbend.localhost:" in output

    job = platform.job(job_id)
    assert (job["status"], job["percent"], job["kind"]) == ("succeeded", 100, "create")
    log = json.loads(job["log"])
    assert [entry["status"] for entry in log] == ["done"] * 6
    assert platform.hospital("riverbend")["status"] == "ready"
    assert database_file(stack, "RG001").exists()

    (result_row,) = platform.rows(
        "SELECT status, result, task_kwargs FROM django_celery_results_taskresult "
        "WHERE task_id = ?",
        job["task_id"],
    )
    assert result_row["status"] == "SUCCESS"
    assert result_row["result"] == '"succeeded"'
    assert uuid.UUID(job_id).hex in result_row["task_kwargs"].replace("-", "")

    # the temporary password works, and is nowhere in clear: not in the platform
    # database (jobs, task results and their arguments), not in the worker's log
    check = stack.manage(
        "shell", "-c",
        "from apps.accounts.models import User; "
        f"print(User.objects.get(username='riverbend.admin').check_password('{password}'))",
    )  # fmt: skip
    assert check.stdout.strip().splitlines()[-1] == "True"
    assert password.encode() not in platform.raw_bytes()
    assert password not in stack.log("worker")


def test_a_queued_job_waits_for_a_worker_and_ctrl_c_stops_following_not_the_job(
    stack: Stack, platform: PlatformDatabase, no_worker: None
) -> None:
    follower = Follower(
        stack, "create_hospital", "--enqueue", "--name", "Quiet Hill", "--subdomain", "quiet-hill"
    )
    job_id = follower.wait_for_line(r"Queued job ([0-9a-f-]{36})").group(1)
    queued_at = time.monotonic()
    follower.wait_for_line(r"Waiting for a worker — is `make run` running\?", timeout=10)
    assert time.monotonic() - queued_at < 6
    output = follower.interrupt()
    assert follower.process.returncode == 0
    assert "Stopped following" in output and job_id in output
    assert job_status(platform, job_id) == "queued"

    stack.start_worker()
    wait_for(lambda: job_status(platform, job_id) == "succeeded", what="the job to run")
    assert platform.hospital("quiet-hill")["status"] == "ready"


def test_a_step_failing_in_the_worker_fails_the_job_with_the_step_named_and_retry_fixes_it(
    stack: Stack, platform: PlatformDatabase, no_worker: None
) -> None:
    follower = Follower(
        stack, "create_hospital", "--enqueue", "--name", "Stone Bridge", "--subdomain", "stone"
    )
    match = follower.wait_for_line(r"Queued job ([0-9a-f-]{36}): provision .* \((\w+)\) at")
    job_id, code = match.group(1), match.group(2)
    follower.interrupt()
    in_the_way = database_file(stack, code)
    in_the_way.parent.mkdir(parents=True, exist_ok=True)  # the first hospital makes it
    in_the_way.write_bytes(b"left over by hand")

    stack.start_worker()
    wait_for(lambda: job_status(platform, job_id) == "failed", what="the job to fail")
    job = platform.job(job_id)
    assert job["step"] == "Create database"
    assert job["error"] == f"a database already exists at tenant_databases/{in_the_way.name}"
    assert platform.hospital("stone")["status"] == "failed"
    assert working_files(stack, code) == []

    in_the_way.unlink()
    retry = stack.manage("tenant_job", "retry", job_id, check=False)
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert platform.hospital("stone")["status"] == "ready"


def test_a_job_delivered_twice_is_built_once_and_a_second_job_is_refused(
    stack: Stack, platform: PlatformDatabase, no_worker: None
) -> None:
    follower = Follower(
        stack, "create_hospital", "--enqueue", "--name", "Twin Oaks", "--subdomain", "twin-oaks"
    )
    match = follower.wait_for_line(r"Queued job ([0-9a-f-]{36}): provision .* \((\w+)\) at")
    job_id, code = match.group(1), match.group(2)
    follower.interrupt()
    second = stack.manage("tenant_job", "create-database", code, check=False)
    assert second.returncode != 0
    assert "already has a job in progress (provision new hospital, queued)" in second.stderr

    # A starting worker sends every queued job again: this one now has two messages.
    stack.start_worker()
    wait_for(lambda: len(task_results_of(platform, job_id)) == 2, what="both deliveries")
    outcomes = sorted(str(row["result"]) for row in task_results_of(platform, job_id))
    assert outcomes[0].startswith('"skipped: job is ')
    assert outcomes[1] == '"succeeded"'
    hospital = platform.hospital("twin-oaks")
    assert hospital["status"] == "ready"
    admins = platform.rows("SELECT id FROM accounts_user WHERE hospital_id = ?", hospital["id"])
    assert len(admins) == 1
    assert platform.rows(
        "SELECT id FROM tenancy_provisioningjob WHERE hospital_id = ?", hospital["id"]
    ) == [{"id": uuid.UUID(job_id).hex}]


# -- crash safety ------------------------------------------------------------------------------


def test_a_worker_killed_mid_job_is_reaped_and_a_retry_brings_the_hospital_to_ready(
    stack: Stack, platform: PlatformDatabase, no_worker: None
) -> None:
    follower = Follower(
        stack, "create_hospital", "--enqueue", "--name", "Crash Point", "--subdomain", "crash"
    )
    match = follower.wait_for_line(r"Queued job ([0-9a-f-]{36}): provision .* \((\w+)\) at")
    job_id, code = match.group(1), match.group(2)
    follower.interrupt()

    # The worker is frozen half way (a failpoint: a clone takes milliseconds, too fast to
    # catch from outside) and killed there.
    marker = stack.data_dir / "frozen-at.before-verify"
    marker.unlink(missing_ok=True)
    stack.start_worker(HMS_TEST_FREEZE_AT="before-verify")
    wait_for(marker.exists, what="the worker to reach the verify step", timeout=60)
    # half way: a temporary database exists, the hospital is not ready
    assert 0 < platform.job(job_id)["percent"] < 100
    assert working_files(stack, code)
    assert not database_file(stack, code).exists()
    stack.stop_process("worker", signal.SIGKILL)

    assert platform.hospital("crash")["status"] == "provisioning"
    assert job_status(platform, job_id) == "running"
    stack.start_worker()  # its beat runs the reaper
    wait_for(lambda: job_status(platform, job_id) == "failed", what="the reaper", timeout=40)
    job = platform.job(job_id)
    assert "stopped responding" in job["error"]
    assert "leftover file(s) removed" in job["error"]
    assert platform.hospital("crash")["status"] == "failed"
    assert working_files(stack, code) == []
    assert not database_file(stack, code).exists()

    retry = stack.manage("tenant_job", "retry", job_id, check=False)
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert platform.hospital("crash")["status"] == "ready"
    verify = stack.manage("tenant_job", "verify", code, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_long_step_keeps_the_heartbeat_going_and_is_not_reaped(
    stack: Stack, platform: PlatformDatabase
) -> None:
    _, code, _ = new_hospital(stack, "slowpoke")
    hospital_db = database_file(stack, code)
    with closing(sqlite3.connect(hospital_db, timeout=30, isolation_level=None)) as blocker:
        blocker.execute("BEGIN IMMEDIATE")  # the sync waits for this lock ...
        follower = Follower(stack, "tenant_job", "sync", code)
        job_id = follower.wait_for_line(r"Queued job ([0-9a-f-]{36})").group(1)
        wait_for(lambda: job_status(platform, job_id) == "running", what="the sync to start")
        time.sleep(6)  # ... twice as long as the heartbeat may stay silent
        assert job_status(platform, job_id) == "running"
        beat = platform.job(job_id)["heartbeat_at"]
        time.sleep(1.5)
        assert platform.job(job_id)["heartbeat_at"] > beat
        blocker.execute("ROLLBACK")
    follower.process.wait(timeout=30)
    assert follower.process.returncode == 0
    assert job_status(platform, job_id) == "succeeded"


def test_a_job_queued_while_redis_is_down_runs_once_it_is_back(
    stack: Stack, platform: PlatformDatabase
) -> None:
    _, code, _ = new_hospital(stack, "offline")
    stack.stop_process("redis")
    try:
        queued = stack.manage("tenant_job", "verify", code, "--no-follow", check=False)
        assert queued.returncode == 0, queued.stdout + queued.stderr
        job_id = re.search(r"Queued job ([0-9a-f-]{36})", queued.stdout).group(1)  # type: ignore[union-attr]
        job = platform.job(job_id)
        assert job["status"] == "queued" and job["dispatched_at"] is None
        assert "message broker is unreachable" in job["dispatch_error"]
    finally:
        stack.start_redis()
    wait_for(lambda: job_status(platform, job_id) == "succeeded", what="the job", timeout=60)


# -- operations on existing hospitals ------------------------------------------------------


def test_sync_adds_and_restores_canonical_rows_and_keeps_the_hospitals_own(
    stack: Stack,
) -> None:
    _, code, _ = new_hospital(stack, "syncing")
    path = database_file(stack, code)
    execute(
        path,
        "INSERT INTO regions_region (name, code, is_canonical, is_active) "
        "VALUES ('Our Own Region', 'OWN', 0, 1)",
        "UPDATE regions_region SET name = 'Renamed By Mistake' WHERE code = 'BAK'",
        "DELETE FROM regions_specialization "
        "WHERE id = (SELECT MAX(id) FROM regions_specialization)",
    )
    result = stack.manage("tenant_job", "sync", code, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 rows created, 1 updated" in result.stdout
    assert query(path, "SELECT name, is_canonical FROM regions_region WHERE code = 'OWN'") == [
        ("Our Own Region", 0)
    ]
    assert query(path, "SELECT name FROM regions_region WHERE code = 'BAK'") == [("Bakı",)]


def test_recreate_asks_for_confirmation_and_leaves_a_restorable_backup(
    stack: Stack, platform: PlatformDatabase
) -> None:
    subdomain, code, _ = new_hospital(stack, "renewed")
    path = database_file(stack, code)
    execute(
        path,
        "INSERT INTO regions_region (name, code, is_canonical, is_active) "
        "VALUES ('Our Own Region', 'OWN', 0, 1)",
    )
    refused = stack.manage("tenant_job", "recreate", code, check=False)
    assert refused.returncode != 0 and "Type the subdomain" in refused.stderr

    result = stack.manage("tenant_job", "recreate", code, "--confirm", subdomain, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    job_id = re.search(r"Queued job ([0-9a-f-]{36})", result.stdout).group(1)  # type: ignore[union-attr]
    backup = Path(platform.job(job_id)["backup_path"])
    assert backup.parent == stack.data_dir / "tenant_databases" / "backups"
    assert f"the old one is in tenant_databases/backups/{backup.name}" in result.stdout
    assert query(path, "SELECT name FROM regions_region WHERE code = 'OWN'") == []
    assert query(backup, "SELECT name FROM regions_region WHERE code = 'OWN'") == [
        ("Our Own Region",)
    ]

    # Restoring is putting the file back: the hospital then verifies with its old data.
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(backup, path)
    verify = stack.manage("tenant_job", "verify", code, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert query(path, "SELECT name FROM regions_region WHERE code = 'OWN'") == [
        ("Our Own Region",)
    ]


def test_fleet_migrate_runs_a_job_per_hospital_and_one_failure_stops_no_other(
    stack: Stack, platform: PlatformDatabase
) -> None:
    _, current, _ = new_hospital(stack, "fleet")
    _, behind, _ = new_hospital(stack, "fleet")
    _, broken, _ = new_hospital(stack, "fleet")
    # a deploy brought migrations these two have not had (regions and what needs it)
    stack.manage(
        "shell", "-c",
        "from django.db import connections\n"
        "from django.db.migrations.executor import MigrationExecutor\n"
        "from apps.tenancy.connections import hospital_alias\n"
        "from apps.tenancy.models import Hospital\n"
        f"for hospital in Hospital.objects.filter(code__in=['{behind}', '{broken}']):\n"
        "    alias = hospital_alias(hospital)\n"
        "    MigrationExecutor(connections[alias]).migrate([('regions', None)])\n"
        "    connections[alias].close()\n"
        "    Hospital.objects.filter(pk=hospital.pk).update(migration_state='')\n",
    )  # fmt: skip
    execute(database_file(stack, broken), "CREATE TABLE regions_region (id integer)")
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    broken_before = query(database_file(stack, broken), schema)

    result = stack.manage("migrate_tenants", "--enqueue", check=False)

    assert result.returncode == 1
    summary = result.stdout.split("Summary:")[1]
    assert re.search(rf"{current}\s+ok\s+already up to date", summary)
    assert re.search(rf"{behind}\s+ok\s+\d+ migrations applied", summary)
    assert re.search(
        rf"{broken}\s+FAILED\s+at Apply migrations: .*restored from the copy taken before",
        summary,
    )
    assert "failed to migrate" in result.stderr
    assert query(database_file(stack, broken), schema) == broken_before
    statuses = {
        row["code"]: (row["status"], row["migration_state"] != "")
        for row in platform.rows("SELECT code, status, migration_state FROM tenancy_hospital")
    }
    assert statuses[behind] == ("ready", True)
    assert statuses[broken] == ("ready", False)  # left as it was, still behind
    assert not list((stack.data_dir / "tenant_databases" / "backups").glob(f"*{behind.lower()}*"))
