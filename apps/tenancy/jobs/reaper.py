"""Reaping: a running job whose worker stopped sending heartbeats is failed — or, when
the worker had in fact finished the work, finished — after cleaning up after it.

Called by the periodic maintenance task (``apps.tenancy.jobs.tasks.maintain_jobs``) and
by the pages that show a job or a hospital waiting for one. The clean-up depends on the
kind of job and on how far the dead run got: temporary databases and copies cut short
are removed, a migrate's copy taken first is written back, and a recreate (or repair)
killed around its move into place leaves whichever database is in place working.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from apps.tenancy.jobs.runner import OFFLINE_KINDS
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.backups import database_restore, display_path
from apps.tenancy.provisioning.pipeline import (
    mark_by_database_in_place,
    remove_stale_working_files,
)
from apps.tenancy.status import hospital_mark_failed, hospital_mark_ready
from apps.tenancy.storage import database_name, storage_for

logger = logging.getLogger(__name__)

Status = ProvisioningJob.Status
Kind = ProvisioningJob.Kind


@dataclass(frozen=True)
class Reaped:
    job: ProvisioningJob
    cleanup: str
    #: the reaper finished what the worker had done (a recreate killed after its move)
    finished: bool = False


@dataclass(frozen=True)
class _Cleanup:
    message: str
    finished: bool = False


def job_is_stale(job: ProvisioningJob, *, now: datetime | None = None) -> bool:
    """A running job whose worker has sent no heartbeat for HMS_JOB_STALE_SECONDS."""
    if job.status != Status.RUNNING or job.heartbeat_at is None:
        return False
    now = now or timezone.now()
    return job.heartbeat_at < now - timedelta(seconds=settings.HMS_JOB_STALE_SECONDS)


def job_reap_if_stale(job: ProvisioningJob) -> bool:
    """Reap ``job`` now if its worker died. Called by the pages that show a job or a
    hospital waiting for one (the job page, the "being provisioned" page), so a dead
    worker's job is failed and its hospital given back even while no worker — and so no
    beat — runs. Costs nothing unless the job is stale. Returns whether it was reaped."""
    if not job_is_stale(job):
        return False
    return bool(jobs_reap_stale(job_ids=[job.pk]))


def jobs_reap_stale(*, job_ids: list[uuid.UUID] | None = None) -> list[Reaped]:
    """Fail every running job whose heartbeat is older than HMS_JOB_STALE_SECONDS (or
    only those of ``job_ids``), after cleaning up after it — or, for a recreate killed
    after its new database was moved into place, finish it.

    The reaper first takes the job over (its own task id, fresh heartbeat) with a
    conditional UPDATE, so the job stays active — no retry can start — while it cleans
    up, and a worker that was only slow finds at its next write that it lost the job;
    two reapers (the beat and a page) never both clean up the same job.
    """
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.HMS_JOB_STALE_SECONDS)
    reaped: list[Reaped] = []
    stale = ProvisioningJob.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff)
    if job_ids is not None:
        stale = stale.filter(pk__in=job_ids)
    for job in stale.select_related("hospital"):
        reaper_id = f"reaper-{uuid.uuid4().hex[:12]}"
        taken = ProvisioningJob.objects.filter(
            pk=job.pk, status=Status.RUNNING, task_id=job.task_id, heartbeat_at__lt=cutoff
        ).update(task_id=reaper_id, heartbeat_at=now)
        if not taken:
            continue
        silent_for = (now - job.heartbeat_at).total_seconds() if job.heartbeat_at else 0
        cleanup = _clean_up_after(job, cutoff.timestamp(), taken_over_at=now.timestamp())
        for entry in job.log:
            if entry.get("status") == "running":
                entry.update(
                    status="done" if cleanup.finished else "failed",
                    summary="finished by the reaper" if cleanup.finished else "the worker stopped",
                )
        stopped = (
            f"The worker stopped responding during this step (no heartbeat for "
            f"{silent_for:.0f} s); it was probably killed."
        )
        if cleanup.finished:
            outcome: dict[str, Any] = {
                "status": Status.SUCCEEDED,
                "percent": 100,
                "summary": cleanup.message[:300],
                "admin_password_hash": "",
                "error": "",
            }
        else:
            outcome = {"status": Status.FAILED, "error": f"{stopped} {cleanup.message}"}
        ProvisioningJob.objects.filter(pk=job.pk, task_id=reaper_id).update(
            finished_at=timezone.now(), log=job.log, message="", **outcome
        )
        logger.warning("reaped job %s of %s: %s", job.pk, job.hospital.code, cleanup.message)
        reaped.append(Reaped(job, cleanup.message, finished=cleanup.finished))
    return reaped


def _clean_up_after(
    job: ProvisioningJob, written_before: float, *, taken_over_at: float
) -> _Cleanup:
    hospital = job.hospital
    # Whatever the kind: temporary databases, and copies (backups, templates) cut short.
    # A backup copy the dead worker wrote after its last heartbeat is still its own (the
    # job is held by the reaper now: nothing else of this hospital runs).
    removed = remove_stale_working_files(
        hospital, older_than=written_before, own_older_than=taken_over_at
    )
    leftovers = f"{removed} leftover file(s) removed. " if removed else ""
    if job.kind == Kind.MIGRATE:
        copy = Path(job.backup_path) if job.backup_path else None
        if copy is None or not copy.exists():
            hospital_mark_ready(hospital=hospital)
            return _Cleanup(f"{leftovers}Migrations had not started; the database was not changed.")
        try:
            database_restore(copy, hospital)
        except Exception as exc:
            hospital_mark_failed(hospital=hospital)
            return _Cleanup(
                f"{leftovers}Writing back the copy taken before migrating failed ({exc}); "
                f"it is kept at {display_path(copy)}."
            )
        copy.unlink(missing_ok=True)
        hospital_mark_ready(hospital=hospital)
        return _Cleanup(
            f"{leftovers}The database was restored from the copy taken before migrating."
        )
    if job.kind in (Kind.CREATE, Kind.CREATE_DATABASE) and storage_for(hospital).exists(
        database_name(hospital)
    ):
        # Killed between moving the finished database into place and marking the
        # hospital ready: the database is there; mark it ready if it verifies.
        problem = mark_by_database_in_place(hospital)
        if problem:
            return _Cleanup(
                f"{leftovers}A database is in place but incomplete ({problem}); recreate it."
            )
        return _Cleanup(
            f"{leftovers}The finished database was already in place; the hospital was marked ready."
        )
    if job.kind in (Kind.RECREATE, Kind.REPAIR):
        return _clean_up_recreate(job, leftovers)
    if job.kind in OFFLINE_KINDS:
        hospital_mark_failed(hospital=hospital, unless_ready=True)
        return _Cleanup(f"{leftovers}Retry to finish.")
    return _Cleanup(f"{leftovers}Nothing else to clean up.")


def _clean_up_recreate(job: ProvisioningJob, leftovers: str) -> _Cleanup:
    """A recreate's (or a schema repair's: the same replace-at-the-end shape) worker
    died. Which database is in place decides: the old one (the move never happened) —
    the hospital keeps working on it; the new one, complete — the job is finished; the
    new one, not complete — it is undone from the backup taken first. The job says
    which, and where the old database is."""
    hospital = job.hospital
    work = "recreate" if job.kind == Kind.RECREATE else "repair"
    in_place = storage_for(hospital).identity(database_name(hospital))
    backup = Path(job.backup_path) if job.backup_path else None
    kept = f" The old database is kept at {display_path(backup)}." if backup else ""
    moved = bool(job.replacement) and in_place == job.replacement
    if not moved:
        problem = mark_by_database_in_place(hospital)
        state = (
            f"the database in place is incomplete ({problem})"
            if problem
            else "the hospital keeps working on its previous database"
        )
        return _Cleanup(
            f"{leftovers}The new database was never moved into place; {state}. Retry to {work}."
        )
    problem = mark_by_database_in_place(hospital)
    if problem is None:
        if job.kind == Kind.REPAIR:
            Hospital.objects.filter(pk=hospital.pk).update(schema_drift="")
        return _Cleanup(
            f"{hospital.name} has a new database: the worker stopped after moving it "
            f"into place, and the reaper finished the {work}.{kept}",
            finished=True,
        )
    if backup is None or not backup.exists():
        return _Cleanup(
            f"{leftovers}The new database in place is incomplete ({problem}) and there is "
            f"no backup to put back; {work} again."
        )
    try:
        database_restore(backup, hospital)
    except Exception as exc:
        hospital_mark_failed(hospital=hospital)
        return _Cleanup(
            f"{leftovers}The new database in place is incomplete ({problem}) and putting "
            f"the old one back failed ({exc}).{kept}"
        )
    problem_after = mark_by_database_in_place(hospital)
    state = f"but it is incomplete ({problem_after})" if problem_after else "and it is in use"
    return _Cleanup(
        f"{leftovers}The {work} was undone: the new database in place was incomplete "
        f"({problem}), so the previous one was put back from the backup, {state}.{kept}"
    )
