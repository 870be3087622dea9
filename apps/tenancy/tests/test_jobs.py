"""Job bodies run in this process exactly as the worker runs them (``jobs.job_run``);
the real worker, broker and crashes are in ``integration/``."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.hashers import check_password
from django.db import IntegrityError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.core.exceptions import Conflict
from apps.tenancy.connections import hospital_alias
from apps.tenancy.jobs import dispatch, reaper
from apps.tenancy.jobs import runner as jobs
from apps.tenancy.jobs.recorder import JobRecorder, JobTakenOver
from apps.tenancy.jobs.services import job_enqueue
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.backups import backups_dir
from apps.tenancy.provisioning.migrations_state import tenant_migration_state
from apps.tenancy.services import HospitalAdded, hospital_add
from apps.tenancy.storage import storage_for
from apps.tenancy.storage.sqlite import database_path, working_dir
from apps.tenancy.tests.conftest import run
from apps.tenancy.tests.databases import (
    database_exists,
    database_in_the_way,
    database_remove,
    template_path,
)
from conftest import TEST_PASSWORD

if TYPE_CHECKING:
    from pytest_django import DjangoCaptureOnCommitCallbacks

Kind = ProvisioningJob.Kind
Status = ProvisioningJob.Status


def add(name: str = "Harbour View Hospital", subdomain: str = "harbour") -> HospitalAdded:
    return hospital_add(name=name, subdomain=subdomain)


def db_rows(hospital: Hospital, sql: str) -> list[tuple[object, ...]]:
    connections[hospital_alias(hospital)].close()
    if storage_for(hospital).vendor == "sqlite":
        with closing(sqlite3.connect(database_path(hospital))) as connection:
            return connection.execute(sql).fetchall()
    with connections[hospital_alias(hospital)].cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def db_execute(hospital: Hospital, *statements: str) -> None:
    """Run ``statements`` on the hospital's database — on SQLite through a connection of
    its own, as a person with the sqlite3 shell would (foreign keys not enforced)."""
    connections[hospital_alias(hospital)].close()
    if storage_for(hospital).vendor == "sqlite":
        with closing(sqlite3.connect(database_path(hospital))) as connection:
            for statement in statements:
                connection.execute(statement)
            connection.commit()
        return
    with connections[hospital_alias(hospital)].cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def schema(hospital: Hospital) -> list[tuple[object, ...]]:
    if connections[hospital_alias(hospital)].vendor == "sqlite":
        tables = db_rows(hospital, "SELECT type, name, sql FROM sqlite_master")
    else:
        tables = db_rows(
            hospital,
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public'",
        ) + db_rows(
            hospital,
            "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
        )
    return sorted(
        tables + db_rows(hospital, "SELECT app, name, 'applied' FROM django_migrations"),
        key=repr,
    )


def put_behind(hospital: Hospital) -> list[str]:
    """Unapply regions (and what depends on it), as after a deploy with new migrations."""
    alias = hospital_alias(hospital)
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan([("regions", None)])
    executor.migrate([("regions", None)])
    connections[alias].close()
    Hospital.objects.filter(pk=hospital.pk).update(migration_state="")
    hospital.refresh_from_db()
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


# -- provisioning ---------------------------------------------------------------------


def test_a_create_job_provisions_the_hospital_and_records_every_step(db: None) -> None:
    added = add()
    job = run(added.job)
    added.hospital.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert job.percent == 100
    assert [entry["label"] for entry in job.log] == [
        "Create database",
        "Apply migrations",
        "Seed reference data",
        "Create hospital administrator",
        "Verify database",
        "Move into place and mark ready",
    ]
    assert all(entry["status"] == "done" and entry["duration"] >= 0 for entry in job.log)
    assert "path" in job.log[0]["summary"]
    assert added.hospital.status == Hospital.Status.READY
    assert added.hospital.migration_state == tenant_migration_state()
    assert database_exists(added.hospital)
    assert job.started_at and job.finished_at and job.heartbeat_at
    assert job.task_id == "test-task"


def test_the_administrator_gets_the_password_made_by_whoever_asked_and_only_its_hash_is_stored(
    db: None,
) -> None:
    added = add()
    assert added.temporary_password
    assert added.temporary_password not in repr(added)
    assert check_password(added.temporary_password, added.job.admin_password_hash)
    assert added.temporary_password not in added.job.admin_password_hash
    job = run(added.job)
    admin = User.objects.get(hospital=added.hospital, role=Role.HOSPITAL_ADMIN)
    assert admin.username == job.admin_username
    assert admin.check_password(added.temporary_password)
    assert admin.must_change_password
    assert job.admin_password_applied
    assert job.admin_password_hash == ""  # not kept once it has been given


def test_a_given_administrator_password_does_not_have_to_be_changed(db: None) -> None:
    added = hospital_add(name="Own Password", subdomain="own", admin_password="Chosen-Pass-91")
    assert added.temporary_password is None
    run(added.job)
    admin = User.objects.get(hospital=added.hospital, role=Role.HOSPITAL_ADMIN)
    assert admin.check_password("Chosen-Pass-91")
    assert not admin.must_change_password


def test_a_failing_step_fails_the_job_with_the_step_named_and_leaves_nothing_ready(
    db: None, _tenant_storage: Path
) -> None:
    added = add()
    database_in_the_way(added.hospital)
    job = run(added.job)
    added.hospital.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.step == "Create database"
    assert "a database already exists" in job.error
    assert job.log[0]["status"] == "failed"
    assert added.hospital.status == Hospital.Status.FAILED
    assert not any(working_dir().glob("*.sqlite3*"))
    assert not User.objects.filter(hospital=added.hospital).exists()


def test_a_task_finds_its_job_already_done_and_touches_nothing(db: None) -> None:
    job = run(add().job)
    before = ProvisioningJob.objects.values().get(pk=job.pk)
    outcome = jobs.job_run(job_id=str(job.pk), task_id="a-second-delivery")
    assert outcome == "skipped: job is succeeded"
    assert ProvisioningJob.objects.values().get(pk=job.pk) == before


def test_a_task_finds_its_job_taken_by_another_and_touches_nothing(db: None) -> None:
    job = add().job
    ProvisioningJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, task_id="the-first")
    outcome = jobs.job_run(job_id=str(job.pk), task_id="a-second-delivery")
    assert outcome == "skipped: job is running"
    job.refresh_from_db()
    assert job.task_id == "the-first"
    assert not database_exists(job.hospital)


def test_a_worker_that_lost_its_job_stops_at_its_next_write(db: None) -> None:
    job = add().job
    ProvisioningJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, task_id="mine")
    job.refresh_from_db()
    recorder = JobRecorder(job)
    recorder.write(percent=10)
    ProvisioningJob.objects.filter(pk=job.pk).update(task_id="reaper-1")  # taken over
    with pytest.raises(JobTakenOver):
        recorder.write(percent=20)
    assert not recorder.finish(Status.SUCCEEDED)
    job.refresh_from_db()
    assert (job.percent, job.status) == (10, Status.RUNNING)


def test_create_database_remakes_a_missing_database_and_keeps_the_administrator(
    hospital_a: Hospital,
) -> None:
    database_remove(hospital_a)
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.CREATE_DATABASE))
    hospital_a.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert hospital_a.status == Hospital.Status.READY
    assert database_exists(hospital_a)
    assert not job.admin_password_applied
    admin = User.objects.get(hospital=hospital_a, role=Role.HOSPITAL_ADMIN)
    assert admin.check_password(TEST_PASSWORD)


# -- one active job per hospital ----------------------------------------------------------


def test_a_second_job_on_a_busy_hospital_is_refused_with_a_clear_message(
    hospital_a: Hospital,
) -> None:
    job_enqueue(hospital=hospital_a, kind=Kind.VERIFY)
    with pytest.raises(Conflict, match="already has a job in progress \\(verify, queued\\)"):
        job_enqueue(hospital=hospital_a, kind=Kind.SYNC)
    assert hospital_a.jobs.count() == 1


def test_the_database_itself_refuses_two_active_jobs_for_one_hospital(
    hospital_a: Hospital,
) -> None:
    ProvisioningJob.objects.create(hospital=hospital_a, kind=Kind.VERIFY, status=Status.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProvisioningJob.objects.create(hospital=hospital_a, kind=Kind.SYNC)
    # finished jobs do not count
    ProvisioningJob.objects.create(hospital=hospital_a, kind=Kind.SYNC, status=Status.FAILED)


# -- migrate, verify, sync, recreate ----------------------------------------------------


def test_migrate_applies_pending_migrations_and_records_the_state(hospital_a: Hospital) -> None:
    undone = put_behind(hospital_a)
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.MIGRATE))
    hospital_a.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.error
    assert job.summary == f"{len(undone)} migrations applied"
    assert hospital_a.migration_state == tenant_migration_state()
    assert hospital_a.status == Hospital.Status.READY
    assert "copied to tenant_databases/backups/" in job.log[1]["summary"]
    assert not any(backups_dir().iterdir())  # the safety copy is dropped once done


def test_a_failed_migrate_restores_the_copy_taken_before(hospital_a: Hospital) -> None:
    put_behind(hospital_a)
    db_execute(hospital_a, "CREATE TABLE regions_region (id integer)")  # in the way
    before = schema(hospital_a)
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.MIGRATE))
    hospital_a.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.step == "Apply migrations"
    assert "restored from the copy taken before migrating" in job.error
    assert schema(hospital_a) == before
    assert hospital_a.status == Hospital.Status.READY
    assert hospital_a.migration_state == ""
    assert not any(backups_dir().iterdir())


def test_verify_records_a_healthy_database_as_current(hospital_a: Hospital) -> None:
    Hospital.objects.filter(pk=hospital_a.pk).update(migration_state="old")
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.VERIFY))
    hospital_a.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert "no unapplied migrations" in job.summary
    assert hospital_a.migration_state == tenant_migration_state()


def test_verify_finds_unapplied_migrations_and_marks_the_hospital_behind(
    hospital_a: Hospital,
) -> None:
    put_behind(hospital_a)
    Hospital.objects.filter(pk=hospital_a.pk).update(migration_state=tenant_migration_state())
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.VERIFY))
    hospital_a.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.step == "Verify database"
    assert "unapplied migrations" in job.error
    assert hospital_a.migration_state == ""


def test_sync_restores_canonical_rows_and_keeps_the_hospitals_own(hospital_a: Hospital) -> None:
    db_execute(
        hospital_a,
        "INSERT INTO regions_region (name, code, is_canonical, is_active) "
        "VALUES ('Our Own Region', 'OWN', FALSE, TRUE)",
        "UPDATE regions_region SET name = 'Renamed' WHERE code = 'GAN'",
        "DELETE FROM regions_specialization WHERE is_canonical = TRUE AND id = "
        "(SELECT MIN(id) FROM regions_specialization)",
    )
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.SYNC))
    assert job.status == Status.SUCCEEDED
    assert job.summary == "1 rows created, 1 updated"
    assert db_rows(hospital_a, "SELECT name FROM regions_region WHERE code = 'OWN'") == [
        ("Our Own Region",)
    ]
    assert db_rows(hospital_a, "SELECT name FROM regions_region WHERE code = 'GAN'") == [("Gəncə",)]


def test_recreate_backs_up_the_old_database_and_builds_a_new_one(hospital_a: Hospital) -> None:
    db_execute(
        hospital_a,
        "INSERT INTO regions_region (name, code, is_canonical, is_active) "
        "VALUES ('Our Own Region', 'OWN', FALSE, TRUE)",
    )
    job = job_enqueue(hospital=hospital_a, kind=Kind.RECREATE, confirm_subdomain="city-general")
    job = run(job)
    hospital_a.refresh_from_db()
    assert job.status == Status.SUCCEEDED, job.error
    assert job.log[0]["label"] == "Back up the current database"
    backup = Path(job.backup_path)
    assert backup.parent == backups_dir()
    regions_now = len(db_rows(hospital_a, "SELECT id FROM regions_region"))
    assert storage_for(hospital_a).backup_check(backup).row_counts["regions_region"] == (
        regions_now + 1  # Our Own Region
    )
    assert db_rows(hospital_a, "SELECT name FROM regions_region WHERE code = 'OWN'") == []
    assert hospital_a.status == Hospital.Status.READY
    admin = User.objects.get(hospital=hospital_a, role=Role.HOSPITAL_ADMIN)
    assert admin.check_password(TEST_PASSWORD)  # logins are not touched


@pytest.mark.sqlite_only  # a template file of junk
def test_a_failed_recreate_keeps_the_hospital_working_on_its_untouched_database(
    hospital_a: Hospital, settings: Any, tmp_path: Path
) -> None:
    db_execute(
        hospital_a,
        "INSERT INTO regions_region (name, code, is_canonical, is_active) "
        "VALUES ('Our Own Region', 'OWN', FALSE, TRUE)",
    )
    settings.HMS_TEMPLATE_DB_DIR = tmp_path  # a broken template of this test's own
    template_path().write_bytes(b"not a database")
    job = job_enqueue(hospital=hospital_a, kind=Kind.RECREATE, confirm_subdomain="city-general")
    job = run(job)
    hospital_a.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.step == "Verify database"
    assert job.error.endswith("the hospital keeps working on its previous database")
    assert hospital_a.status == Hospital.Status.READY
    assert db_rows(hospital_a, "SELECT name FROM regions_region WHERE code = 'OWN'") == [
        ("Our Own Region",)
    ]
    assert Path(job.backup_path).exists()  # the backup taken first is kept and listed
    assert not any(working_dir().glob("*.sqlite3*"))


@pytest.mark.sqlite_only  # a template file of junk
def test_a_failed_recreate_of_a_broken_database_leaves_the_hospital_in_error(
    hospital_a: Hospital, settings: Any, tmp_path: Path
) -> None:
    put_behind(hospital_a)
    settings.HMS_TEMPLATE_DB_DIR = tmp_path
    template_path().write_bytes(b"not a database")
    job = run(
        job_enqueue(hospital=hospital_a, kind=Kind.RECREATE, confirm_subdomain="city-general")
    )
    hospital_a.refresh_from_db()
    assert job.status == Status.FAILED
    assert hospital_a.status == Hospital.Status.FAILED


def test_recreate_needs_the_subdomain_typed_and_a_superuser(hospital_a: Hospital) -> None:
    from django.core.exceptions import PermissionDenied

    from apps.core.exceptions import ValidationError
    from conftest import make_user

    with pytest.raises(ValidationError, match="Type the subdomain"):
        job_enqueue(hospital=hospital_a, kind=Kind.RECREATE, confirm_subdomain="city")
    staff = make_user(None, Role.PLATFORM_ADMIN)
    staff.is_staff = True
    with pytest.raises(PermissionDenied):
        job_enqueue(
            hospital=hospital_a,
            kind=Kind.RECREATE,
            requested_by=staff,
            confirm_subdomain="city-general",
        )
    assert not hospital_a.jobs.exists()


# -- the reaper ---------------------------------------------------------------------------


def stall(job: ProvisioningJob, *, seconds_ago: int, step: str = "Apply migrations") -> None:
    """Make ``job`` look like its worker was killed ``seconds_ago`` in ``step``."""
    at = timezone.now() - timedelta(seconds=seconds_ago)
    ProvisioningJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING,
        task_id="killed-worker",
        started_at=at,
        heartbeat_at=at,
        step=step,
        log=[
            {"key": "create", "label": "Create database", "status": "done", "duration": 0.01},
            {"key": "migrate", "label": step, "status": "running"},
        ],
    )


@pytest.mark.sqlite_only  # files told apart by mtime; PostgreSQL: integration/test_postgres_kills
def test_the_reaper_fails_a_job_whose_worker_died_and_cleans_up_after_it(
    db: None, settings: object
) -> None:
    added = add()
    stall(added.job, seconds_ago=120)
    working_dir().mkdir(parents=True)
    leftover = working_dir() / f"work_{added.hospital.code.lower()}_dead0001.sqlite3"
    leftover.write_bytes(b"half a database")
    old = time.time() - 120
    os.utime(leftover, (old, old))
    just_started = working_dir() / f"work_{added.hospital.code.lower()}_new00002.sqlite3"
    just_started.write_bytes(b"someone else's fresh run")

    (reaped,) = reaper.jobs_reap_stale()

    job = ProvisioningJob.objects.get(pk=added.job.pk)
    added.hospital.refresh_from_db()
    assert reaped.job.pk == job.pk
    assert job.status == Status.FAILED
    assert job.step == "Apply migrations"
    assert "stopped responding" in job.error and "1 leftover file(s) removed" in job.error
    assert job.log[1]["status"] == "failed"
    assert added.hospital.status == Hospital.Status.FAILED
    assert not leftover.exists()
    assert just_started.exists()


def test_the_reaper_leaves_jobs_with_a_recent_heartbeat_alone(db: None) -> None:
    added = add()
    stall(added.job, seconds_ago=1)
    assert reaper.jobs_reap_stale() == []
    assert ProvisioningJob.objects.get(pk=added.job.pk).status == Status.RUNNING


def test_the_reaper_writes_back_the_copy_of_a_migrate_cut_short(hospital_a: Hospital) -> None:
    put_behind(hospital_a)
    before = schema(hospital_a)
    job = job_enqueue(hospital=hospital_a, kind=Kind.MIGRATE)
    copy = backups_dir() / "hospital_cgh001.before-migrate.sqlite3"
    from apps.tenancy.provisioning.backups import database_copy

    database_copy(hospital_a, copy)
    # the killed worker had got half way: some migrations applied
    executor = MigrationExecutor(connections[hospital_alias(hospital_a)])
    executor.migrate([("regions", "0001_initial")])
    connections[hospital_alias(hospital_a)].close()
    assert schema(hospital_a) != before
    stall(job, seconds_ago=120)
    ProvisioningJob.objects.filter(pk=job.pk).update(backup_path=str(copy))
    Hospital.objects.filter(pk=hospital_a.pk).update(status=Hospital.Status.PROVISIONING)

    reaper.jobs_reap_stale()

    job.refresh_from_db()
    hospital_a.refresh_from_db()
    assert job.status == Status.FAILED
    assert "restored from the copy" in job.error
    assert schema(hospital_a) == before
    assert hospital_a.status == Hospital.Status.READY
    assert not copy.exists()


def test_a_retry_after_the_reaper_brings_the_hospital_to_ready(db: None) -> None:
    from apps.tenancy.jobs.services import job_retry

    added = add()
    stall(added.job, seconds_ago=120)
    reaper.jobs_reap_stale()
    retry = run(job_retry(job=ProvisioningJob.objects.get(pk=added.job.pk)))
    added.hospital.refresh_from_db()
    assert retry.status == Status.SUCCEEDED
    assert retry.retry_of_id == added.job.pk
    assert added.hospital.status == Hospital.Status.READY
    admin = User.objects.get(hospital=added.hospital, role=Role.HOSPITAL_ADMIN)
    # the same, still secret password
    assert added.temporary_password and admin.check_password(added.temporary_password)
    assert ProvisioningJob.objects.get(pk=added.job.pk).admin_password_hash == ""


# -- dispatch -------------------------------------------------------------------------------


def test_a_job_is_sent_on_commit_and_stays_queued_when_the_broker_is_down(
    db: None, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        added = add()
    assert len(callbacks) == 1
    job = ProvisioningJob.objects.get(pk=added.job.pk)
    assert job.status == Status.QUEUED
    assert job.dispatched_at is None
    assert job.dispatch_attempted_at is not None
    assert "message broker is unreachable" in job.dispatch_error


def test_queued_jobs_never_sent_are_sent_again_and_recently_sent_ones_are_not(
    db: None,
) -> None:
    never_sent = add("Never Sent", "never-sent").job
    sent = add("Just Sent", "just-sent").job
    ProvisioningJob.objects.filter(pk=sent.pk).update(dispatched_at=timezone.now())
    ProvisioningJob.objects.filter(pk=never_sent.pk).update(
        created_at=timezone.now() - timedelta(seconds=30)
    )
    # something was claimed a moment ago: the queue is flowing
    ProvisioningJob.objects.create(
        hospital=Hospital.objects.get(subdomain="just-sent"),
        kind=Kind.VERIFY,
        status=Status.SUCCEEDED,
        started_at=timezone.now(),
    )
    dispatch.jobs_dispatch_queued()
    attempted = set(
        ProvisioningJob.objects.filter(dispatch_attempted_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    assert attempted == {never_sent.pk}
    dispatch.jobs_dispatch_queued(everything=True)
    assert ProvisioningJob.objects.get(pk=sent.pk).dispatch_attempted_at is not None


def reap_a_stalled(hospital: Hospital, kind: str, *, step: str) -> ProvisioningJob:
    """A ``kind`` job of ``hospital`` whose worker died in ``step``, after the reaper ran."""
    Hospital.objects.filter(pk=hospital.pk).update(
        status=Hospital.Status.PROVISIONING, migration_state=""
    )
    job = ProvisioningJob.objects.create(hospital=hospital, kind=kind)
    stall(job, seconds_ago=120, step=step)
    reaper.jobs_reap_stale()
    job.refresh_from_db()
    hospital.refresh_from_db()
    return job


@pytest.mark.parametrize(
    ("kind", "step", "explained"),
    [
        # killed between moving the finished database into place and marking it ready
        (
            Kind.CREATE,
            "Move into place and mark ready",
            "already in place; the hospital was marked ready",
        ),
        # killed mid-recreate: the old database was never touched
        (Kind.RECREATE, "Seed reference data", "keeps working on its previous database"),
    ],
)
def test_the_reaper_marks_ready_a_hospital_whose_database_in_place_is_complete(
    hospital_a: Hospital, kind: str, step: str, explained: str
) -> None:
    job = reap_a_stalled(hospital_a, kind, step=step)
    assert job.status == Status.FAILED
    assert explained in job.error
    assert hospital_a.status == Hospital.Status.READY
    assert hospital_a.migration_state == tenant_migration_state()
