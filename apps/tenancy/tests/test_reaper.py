"""The reaper after a worker killed at the worst moments (simulated here by an exception
no handler catches, like a SIGKILL: nothing after it runs), and run from the pages so a
dead worker's job ends even while no worker runs. The real kills are in integration/."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from apps.tenancy.jobs import reaper
from apps.tenancy.jobs.services import job_enqueue
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.backups import backups_dir
from apps.tenancy.storage import TenantStorage, storage_for
from apps.tenancy.storage.sqlite import templates_dir, working_dir
from apps.tenancy.tests.conftest import run
from apps.tenancy.tests.databases import database_exists
from apps.tenancy.tests.test_jobs import db_execute, db_rows

Kind = ProvisioningJob.Kind
Status = ProvisioningJob.Status
OWN_ROW = "SELECT name FROM regions_region WHERE code = 'OWN'"


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, so no cleanup code in the job runs."""


def mark_own_row(hospital: Hospital) -> None:
    db_execute(
        hospital,
        "INSERT INTO regions_region (name, code, is_canonical, is_active) "
        "VALUES ('Our Own Region', 'OWN', FALSE, TRUE)",
    )


def killed_recreate(hospital: Hospital, monkeypatch: Any, *, after_move: bool) -> ProvisioningJob:
    """A recreate whose worker dies just before or just after moving the new database
    into place, left with a stale heartbeat."""
    storage_class = type(storage_for(hospital))
    real_move = storage_class.move

    def move_then_die(self: TenantStorage, source: str, target: str, **kwargs: Any) -> None:
        if after_move:
            real_move(self, source, target, **kwargs)
        raise Killed

    monkeypatch.setattr(storage_class, "move", move_then_die)
    job = job_enqueue(hospital=hospital, kind=Kind.RECREATE, confirm_subdomain=hospital.subdomain)
    with pytest.raises(Killed):
        run(job)
    monkeypatch.setattr(storage_class, "move", real_move)
    job.refresh_from_db()
    assert job.status == Status.RUNNING  # nobody recorded anything: the worker is gone
    stale = timezone.now() - timedelta(seconds=120)
    ProvisioningJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    for leftover in working_dir().glob("*"):  # written before the worker went silent
        os.utime(leftover, (stale.timestamp(), stale.timestamp()))
    job.refresh_from_db()
    return job


def test_a_recreate_killed_after_its_move_is_finished_and_the_job_says_so(
    hospital_a: Hospital, monkeypatch: Any
) -> None:
    mark_own_row(hospital_a)
    job = killed_recreate(hospital_a, monkeypatch, after_move=True)
    assert job.replacement

    (reaped,) = reaper.jobs_reap_stale()

    job.refresh_from_db()
    hospital_a.refresh_from_db()
    assert reaped.finished
    assert job.status == Status.SUCCEEDED
    assert "has a new database" in job.summary and "reaper finished the recreate" in job.summary
    assert "backups/" in job.summary
    assert hospital_a.status == Hospital.Status.READY
    assert db_rows(hospital_a, OWN_ROW) == []  # what the job says is what is in place
    regions_now = len(db_rows(hospital_a, "SELECT id FROM regions_region"))
    backed_up = storage_for(hospital_a).backup_check(Path(job.backup_path)).row_counts
    assert backed_up["regions_region"] == regions_now + 1  # Our Own Region


def test_a_recreate_killed_after_moving_an_incomplete_database_is_undone_from_the_backup(
    hospital_a: Hospital, monkeypatch: Any
) -> None:
    mark_own_row(hospital_a)
    job = killed_recreate(hospital_a, monkeypatch, after_move=True)
    # the new database is not whole (PostgreSQL drops the foreign keys to it with it)
    cascade = "" if storage_for(hospital_a).vendor == "sqlite" else " CASCADE"
    db_execute(hospital_a, f"DROP TABLE patients_patient{cascade}")

    reaper.jobs_reap_stale()

    job.refresh_from_db()
    hospital_a.refresh_from_db()
    assert job.status == Status.FAILED
    assert "The recreate was undone" in job.error and "put back from the backup" in job.error
    assert hospital_a.status == Hospital.Status.READY
    assert db_rows(hospital_a, OWN_ROW) == [("Our Own Region",)]


def test_a_recreate_killed_just_before_its_move_keeps_the_old_database_and_says_so(
    hospital_a: Hospital, monkeypatch: Any
) -> None:
    mark_own_row(hospital_a)
    job = killed_recreate(hospital_a, monkeypatch, after_move=False)

    reaper.jobs_reap_stale()

    job.refresh_from_db()
    hospital_a.refresh_from_db()
    assert job.status == Status.FAILED
    assert "never moved into place" in job.error
    assert "keeps working on its previous database" in job.error
    assert hospital_a.status == Hospital.Status.READY
    assert db_rows(hospital_a, OWN_ROW) == [("Our Own Region",)]
    assert not list(working_dir().glob("*.sqlite3*"))


def aged(path: Path, contents: bytes = b"cut short") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(contents)
    old = time.time() - 120
    os.utime(path, (old, old))
    return path


@pytest.mark.sqlite_only  # template copies cut short are .partial files
def test_copies_cut_short_are_removed_by_the_reaper_like_temporary_databases(
    hospital_a: Hospital,
) -> None:
    code = hospital_a.code.lower()
    template_partial = aged(templates_dir() / "tenant_abc.sqlite3.1234abcd.partial")
    backup_partial = aged(backups_dir() / f"hospital_{code}.x.before-recreate.sqlite3.partial")
    other_hospital = aged(backups_dir() / "hospital_zzz9.x.before-recreate.sqlite3.partial")
    fresh = templates_dir() / "tenant_def.sqlite3.5678abcd.partial"
    fresh.write_bytes(b"being written right now")
    job = ProvisioningJob.objects.create(hospital=hospital_a, kind=Kind.CREATE_DATABASE)
    stale = timezone.now() - timedelta(seconds=120)
    ProvisioningJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, task_id="dead", started_at=stale, heartbeat_at=stale
    )

    reaper.jobs_reap_stale()

    assert not template_partial.exists() and not backup_partial.exists()
    assert other_hospital.exists() and fresh.exists()
    job.refresh_from_db()
    assert "2 leftover file(s) removed" in job.error


def test_the_page_of_a_hospital_whose_worker_died_reaps_the_job_and_serves_again(
    hospital_a: Hospital, admin_a: Any, monkeypatch: Any
) -> None:
    from conftest import hospital_client

    mark_own_row(hospital_a)
    job = killed_recreate(hospital_a, monkeypatch, after_move=False)
    Hospital.objects.filter(pk=hospital_a.pk).update(status=Hospital.Status.PROVISIONING)
    client = hospital_client(hospital_a, admin_a)

    response = client.get("/")  # no worker, no beat: the page itself runs the reaper

    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert Hospital.objects.get(pk=hospital_a.pk).status == Hospital.Status.READY


def test_the_page_of_a_hospital_with_a_live_job_does_not_reap_it(
    hospital_a: Hospital, admin_a: Any
) -> None:
    from conftest import hospital_client

    job = ProvisioningJob.objects.create(hospital=hospital_a, kind=Kind.MIGRATE)
    now = timezone.now()
    ProvisioningJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, task_id="alive", started_at=now, heartbeat_at=now
    )
    Hospital.objects.filter(pk=hospital_a.pk).update(status=Hospital.Status.PROVISIONING)

    response = hospital_client(hospital_a, admin_a).get("/")

    assert response.status_code == 503
    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_the_job_page_reaps_a_job_whose_worker_died(hospital_a: Hospital, monkeypatch: Any) -> None:
    from django.test import Client

    from apps.tenancy.tests.conftest import make_platform_user

    job = killed_recreate(hospital_a, monkeypatch, after_move=True)
    client = Client()
    client.force_login(make_platform_user(superuser=True, username="root"))

    response = client.get(f"/admin/tenancy/provisioningjob/{job.pk}/change/")

    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert database_exists(hospital_a)
