"""A worker SIGKILLed mid-provisioning with every hospital database on PostgreSQL (two
throwaway servers): frozen at a failpoint first (apps/tenancy/failpoints.py) so the kill
lands exactly there, then a normal worker's beat runs the reaper. Afterwards no hospital
is Ready with a broken database, and no working or scratch database is left on either
server."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from apps.tenancy.storage.postgresql import PostgresStorage
from apps.tenancy.storage.throwaway import ThrowawayServer
from e2e.platform_db import PlatformDatabase, wait_for
from hms.devstack import Stack, free_port

from .conftest import FAST_JOB_TIMINGS, Follower
from .test_worker_jobs import job_status


@pytest.fixture(scope="module")
def pg_stack(
    tmp_path_factory: pytest.TempPathFactory, postgres_servers: list[ThrowawayServer]
) -> Iterator[Stack]:
    """Redis and the platform (SQLite) in a scratch directory, hospital databases on the
    PostgreSQL servers; the test starts the worker it needs."""
    running = Stack(
        data_dir=tmp_path_factory.mktemp("hms-pg-integration"),
        web_port=free_port(),
        redis_port=free_port(),
        extra_env={
            **FAST_JOB_TIMINGS,
            "HMS_TENANT_SERVERS": ",".join(server.url for server in postgres_servers),
        },
    )
    running.manage("platform_setup")
    try:
        running.start_redis()
        yield running
    finally:
        running.stop()


@pytest.fixture
def servers(postgres_servers: list[ThrowawayServer]) -> Iterator[list[PostgresStorage]]:
    storages = [
        PostgresStorage(f"pg{number}", server.url)
        for number, server in enumerate(postgres_servers, start=1)
    ]
    yield storages
    for storage in storages:
        for name in storage.names():
            storage.drop(name)


def everywhere(storages: list[PostgresStorage], prefix: str) -> list[str]:
    return [f"{s.key}/{name}" for s in storages for name in s.names(prefix)]


def scratch(storages: list[PostgresStorage]) -> list[str]:
    return everywhere(storages, "work_") + [f"{s.key}/{n}" for s in storages for n in s.leftovers()]


def kill_frozen_worker(stack: Stack, point: str, *create_args: str) -> str:
    """Start a worker that freezes at ``point``, queue a new hospital, SIGKILL the worker
    there; returns the job's id."""
    marker: Path = stack.data_dir / f"frozen-at.{point}"
    marker.unlink(missing_ok=True)
    stack.stop_process("worker")  # a normal one left by an earlier test
    stack.start_worker(HMS_TEST_FREEZE_AT=point)
    follower = Follower(stack, "create_hospital", "--enqueue", *create_args)
    job_id = follower.wait_for_line(r"Queued job ([0-9a-f-]{36})").group(1)
    wait_for(marker.exists, what=f"the worker to reach {point}", timeout=90)
    stack.stop_process("worker", signal.SIGKILL)
    follower.interrupt()
    return job_id


def reap(stack: Stack, platform: PlatformDatabase, job_id: str, status: str) -> None:
    stack.start_worker()  # its beat runs the reaper; it stays for a retry
    wait_for(lambda: job_status(platform, job_id) == status, what="the reaper", timeout=60)


def test_a_build_killed_half_way_leaves_no_database_and_no_ready_hospital(
    pg_stack: Stack, servers: list[PostgresStorage]
) -> None:
    platform = PlatformDatabase(pg_stack)
    job_id = kill_frozen_worker(
        pg_stack, "before-verify", "--name", "Half Built", "--subdomain", "half"
    )
    assert len(everywhere(servers, "work_")) == 1  # killed with its working database
    code = str(platform.hospital("half")["code"]).lower()

    reap(pg_stack, platform, job_id, "failed")

    assert "stopped responding" in platform.job(job_id)["error"]
    assert platform.hospital("half")["status"] != "ready"
    assert everywhere(servers, f"hospital_{code}") == []
    assert scratch(servers) == []
    # and a retry builds it whole
    retry = pg_stack.manage("tenant_job", "retry", job_id, check=False)
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert platform.hospital("half")["status"] == "ready"
    assert len(everywhere(servers, f"hospital_{code}")) == 1
    assert scratch(servers) == []


def test_a_build_killed_right_after_its_move_is_made_ready_only_once_it_verifies(
    pg_stack: Stack, servers: list[PostgresStorage]
) -> None:
    platform = PlatformDatabase(pg_stack)
    job_id = kill_frozen_worker(
        pg_stack, "moved-into-place", "--name", "Just Moved", "--subdomain", "moved"
    )
    code = str(platform.hospital("moved")["code"]).lower()
    assert platform.hospital("moved")["status"] != "ready"
    assert len(everywhere(servers, f"hospital_{code}")) == 1

    reap(pg_stack, platform, job_id, "failed")

    # the database in place verified: the hospital serves; nothing else is left
    assert platform.hospital("moved")["status"] == "ready"
    assert scratch(servers) == []


def test_a_template_save_killed_half_way_leaves_nothing_after_the_retry(
    pg_stack: Stack, servers: list[PostgresStorage]
) -> None:
    for storage in servers:
        for name in storage.names("template_"):
            storage.drop(name)  # the next hospital takes the slow path and saves one
    platform = PlatformDatabase(pg_stack)
    job_id = kill_frozen_worker(
        pg_stack, "template-copy", "--name", "Template Kill", "--subdomain", "tkill"
    )
    assert [name.split("/")[1].split("_")[0] for name in scratch(servers)] == ["work", "saving"]

    reap(pg_stack, platform, job_id, "failed")
    assert platform.hospital("tkill")["status"] != "ready"
    assert everywhere(servers, "work_") == []

    retry = pg_stack.manage("tenant_job", "retry", job_id, check=False)
    assert retry.returncode == 0, retry.stdout + retry.stderr
    assert platform.hospital("tkill")["status"] == "ready"
    assert scratch(servers) == []  # the save cut short was dropped by the next save
    assert len(everywhere(servers, "template_")) == 1
