"""A real worker SIGKILLed at the worst moments — frozen there first by a failpoint
(apps/tenancy/provisioning/failpoints.py), so the kill lands exactly where it must — and what the
reaper, the job page and the hospital's own page make of it: no copy cut short left
behind, a job whose account of the outcome is true, and a hospital serving again with
no worker running at all."""

from __future__ import annotations

import http.client
import re
import signal
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from e2e.platform_db import PlatformDatabase, wait_for
from hms.devstack import Stack

from .conftest import FAST_JOB_TIMINGS, Follower
from .test_worker_jobs import database_file, execute, job_status, query

STALE_SECONDS = int(FAST_JOB_TIMINGS["HMS_JOB_STALE_SECONDS"])
OWN_ROW = "SELECT name FROM regions_region WHERE code = 'OWN'"
_numbers = iter(range(1, 1000))


@pytest.fixture
def web(stack: Stack) -> Stack:
    """The web server (gunicorn, as `make run` starts it) beside the worker."""
    if "web" not in stack.processes:
        stack.start_web()
    return stack


@pytest.fixture
def frozen_worker(stack: Stack) -> Iterator[None]:
    """The test starts a worker that freezes at a failpoint and kills it; a normal
    worker runs again afterwards."""
    stack.stop_process("worker")
    yield
    stack.stop_process("worker", signal.SIGKILL)
    stack.start_worker()


def freeze_worker_at(stack: Stack, point: str) -> Path:
    marker = stack.data_dir / f"frozen-at.{point}"
    marker.unlink(missing_ok=True)
    stack.start_worker(HMS_TEST_FREEZE_AT=point)
    return marker


def kill_worker_when_frozen(stack: Stack, marker: Path) -> float:
    wait_for(marker.exists, what=f"the worker to reach {marker.name}", timeout=60)
    stack.stop_process("worker", signal.SIGKILL)
    return time.monotonic()


def partials(stack: Stack) -> list[Path]:
    return sorted((stack.data_dir / "tenant_databases").rglob("*.partial"))


def hospital_status_code(stack: Stack, subdomain: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", stack.web_port, timeout=10)
    try:
        connection.request("GET", "/login/", headers={"Host": f"{subdomain}.localhost"})
        return connection.getresponse().status
    finally:
        connection.close()


def ready_hospital(stack: Stack, prefix: str) -> tuple[str, str]:
    """A hospital provisioned inline by the command (no worker needed), with a row of
    its own; returns (subdomain, code)."""
    number = next(_numbers)
    subdomain = f"{prefix}-{number}"
    result = stack.manage(
        "create_hospital", "--name", f"{prefix.title()} Hospital {number}",
        "--subdomain", subdomain, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    row = PlatformDatabase(stack).hospital(subdomain)
    execute(
        database_file(stack, row["code"]),
        "INSERT INTO regions_region (name, code, is_canonical, is_active) "
        "VALUES ('Our Own Region', 'OWN', 0, 1)",
    )
    return subdomain, str(row["code"])


def enqueue_recreate(stack: Stack, subdomain: str, code: str) -> str:
    result = stack.manage(
        "tenant_job", "recreate", code, "--confirm", subdomain, "--no-follow", check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    job_id = re.search(r"Queued job ([0-9a-f-]{36})", result.stdout)
    assert job_id is not None
    return job_id.group(1)


def test_a_worker_killed_while_saving_the_template_leaves_no_partial_after_the_reaper(
    stack: Stack, platform: PlatformDatabase, frozen_worker: None
) -> None:
    for template in (stack.data_dir / "tenant_databases" / "templates").glob("*"):
        template.unlink()  # the next hospital takes the slow path and saves a template
    marker = freeze_worker_at(stack, "template-copy")
    follower = Follower(
        stack, "create_hospital", "--enqueue", "--name", "Template Kill", "--subdomain", "tk"
    )
    job_id = follower.wait_for_line(r"Queued job ([0-9a-f-]{36})").group(1)
    kill_worker_when_frozen(stack, marker)
    follower.interrupt()
    assert [p.parent.name for p in partials(stack)] == ["templates"]

    stack.start_worker()  # its beat runs the reaper
    wait_for(lambda: job_status(platform, job_id) == "failed", what="the reaper", timeout=40)

    assert partials(stack) == []
    assert "leftover file(s) removed" in platform.job(job_id)["error"]
    retry = stack.manage("tenant_job", "retry", job_id, check=False)
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert platform.hospital("tk")["status"] == "ready"


def test_a_recreate_killed_during_its_backup_serves_again_with_no_worker_and_no_partial(
    web: Stack, platform: PlatformDatabase, frozen_worker: None
) -> None:
    stack = web
    subdomain, code = ready_hospital(stack, "backup-kill")
    marker = freeze_worker_at(stack, "backup-copy")
    job_id = enqueue_recreate(stack, subdomain, code)
    killed_at = kill_worker_when_frozen(stack, marker)
    (cut_short,) = partials(stack)
    assert cut_short.name.endswith(".before-recreate.sqlite3.partial")
    assert hospital_status_code(stack, subdomain) == 503  # being recreated, says so

    # No worker, so no beat: the hospital's own page reaps the dead worker's job.
    wait_for(
        lambda: hospital_status_code(stack, subdomain) == 200,
        what="the hospital to serve again",
        timeout=STALE_SECONDS + 10,
    )
    assert time.monotonic() - killed_at < STALE_SECONDS + 5
    job = platform.job(job_id)
    assert job["status"] == "failed"
    assert "never moved into place" in job["error"]
    assert "keeps working on its previous database" in job["error"]
    assert platform.hospital(subdomain)["status"] == "ready"
    assert query(database_file(stack, code), OWN_ROW) == [("Our Own Region",)]
    assert partials(stack) == []


def test_a_recreate_killed_right_after_its_move_is_finished_and_the_job_says_so_truly(
    web: Stack, platform: PlatformDatabase, frozen_worker: None
) -> None:
    stack = web
    subdomain, code = ready_hospital(stack, "move-kill")
    marker = freeze_worker_at(stack, "moved-into-place")
    job_id = enqueue_recreate(stack, subdomain, code)
    kill_worker_when_frozen(stack, marker)
    # killed after the move, before marking the hospital ready: the new database is in
    assert query(database_file(stack, code), OWN_ROW) == []
    assert platform.hospital(subdomain)["status"] == "provisioning"

    wait_for(
        lambda: hospital_status_code(stack, subdomain) == 200,
        what="the hospital to serve again",
        timeout=STALE_SECONDS + 10,
    )
    job = platform.job(job_id)
    # what the job says is what is in place: the new, empty database; the old in backup
    assert job["status"] == "succeeded"
    assert "has a new database" in job["summary"]
    assert "reaper finished the recreate" in job["summary"]
    assert query(database_file(stack, code), OWN_ROW) == []
    with closing(sqlite3.connect(job["backup_path"])) as old:
        assert old.execute(OWN_ROW).fetchall() == [("Our Own Region",)]
    assert platform.hospital(subdomain)["status"] == "ready"
    assert partials(stack) == []


def test_a_column_dropped_by_hand_is_found_as_drift_and_repaired_by_the_worker_keeping_rows(
    stack: Stack, platform: PlatformDatabase
) -> None:
    subdomain, code = ready_hospital(stack, "drift")
    database = database_file(stack, code)
    execute(database, "ALTER TABLE patients_patient DROP COLUMN allergies")
    plain = stack.manage("verify_tenants", "--hospital", code, check=False)
    assert plain.returncode == 0  # the recorded migrations cannot see it

    deep = stack.manage("verify_tenants", "--deep", "--hospital", code, check=False)
    assert deep.returncode == 1
    assert "Schema drift" in deep.stdout
    assert "column patients_patient.allergies is missing" in deep.stdout

    repair = stack.manage("tenant_job", "repair", code, check=False)
    assert repair.returncode == 0, repair.stdout + repair.stderr
    assert stack.manage("verify_tenants", "--deep", "--hospital", code).returncode == 0
    assert query(database, OWN_ROW) == [("Our Own Region",)]
    assert ("allergies",) in query(
        database, "SELECT name FROM pragma_table_info('patients_patient')"
    )
    assert platform.hospital(subdomain)["schema_drift"] == ""
