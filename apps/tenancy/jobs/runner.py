"""Running a ProvisioningJob: claim it, do what its kind does, record the outcome.

The job row decides what runs. A worker claims a queued job with a conditional UPDATE
(only one claim can succeed, however many copies of the message the broker delivers);
every later write goes through the job's recorder (``apps.tenancy.jobs.recorder``), so
a run that lost its job stops. A dead run is cleaned up after by the reaper
(``apps.tenancy.jobs.reaper``); jobs reach a worker through ``apps.tenancy.jobs.dispatch``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from apps.tenancy.exceptions import ProvisioningError
from apps.tenancy.hooks import PasswordHash
from apps.tenancy.jobs.recorder import JobRecorder, JobTakenOver, heartbeat
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.backups import backup_path, display_path
from apps.tenancy.provisioning.operations import hospital_sync_reference_data, hospital_verify
from apps.tenancy.provisioning.pipeline import (
    hospital_migrate,
    hospital_provision,
    hospital_recreate,
    mark_by_database_in_place,
)
from apps.tenancy.provisioning.recovery import hospital_restore
from apps.tenancy.provisioning.schema import hospital_repair_schema
from apps.tenancy.status import (
    hospital_mark_failed,
    hospital_mark_provisioning,
    hospital_mark_ready,
)

logger = logging.getLogger(__name__)

Status = ProvisioningJob.Status
Kind = ProvisioningJob.Kind


# -- what each kind of job does ---------------------------------------------------------

Outcome = dict[str, Any]


def _admin_password(job: ProvisioningJob) -> PasswordHash | None:
    if not job.admin_password_hash:
        return None
    return PasswordHash(job.admin_password_hash, must_change=job.admin_must_change_password)


def _run_create(job: ProvisioningJob, report: JobRecorder) -> Outcome:
    hospital = job.hospital
    result = hospital_provision(
        hospital,
        report=report,
        admin_password=_admin_password(job),
        keep_existing_admin=job.kind == Kind.CREATE_DATABASE,
    )
    path = "fast path (template clone)" if result.fast_path else "slow path (every migration)"
    return {
        "summary": f"{hospital.name} is ready — {path}",
        "admin_username": result.admin_username,
        "admin_password_applied": result.admin_password_applied,
        "fast_path": result.fast_path,
    }


def _run_recreate(job: ProvisioningJob, report: JobRecorder) -> Outcome:
    hospital = job.hospital
    target = backup_path(hospital, "recreate")
    report.write(backup_path=str(target))
    result = hospital_recreate(
        hospital,
        report=report,
        backup_to=target,
        admin_password=_admin_password(job),
        # recorded before the move, so the reaper can tell which database is in place
        before_replace=lambda identity: report.write(replacement=identity),
    )
    kept = f"; the old one is in {display_path(target)}" if result.backup_path else ""
    return {
        "summary": f"{hospital.name} has a new database{kept}",
        "backup_path": str(result.backup_path or ""),
        "admin_username": result.admin_username,
        "admin_password_applied": result.admin_password_applied,
        "fast_path": result.fast_path,
    }


def _run_migrate(job: ProvisioningJob, report: JobRecorder) -> Outcome:
    hospital = job.hospital
    copy = backup_path(hospital, "migrate")
    report.write(backup_path=str(copy))  # the reaper restores it if this worker dies
    try:
        applied = hospital_migrate(hospital, report=report, safety_copy=copy)
    finally:
        # The copy is gone once written back or no longer needed; a kept copy means
        # the restore failed and the message says where it is.
        still_there = copy.exists()
        if still_there:
            hospital_mark_failed(hospital=hospital)
        else:
            hospital_mark_ready(hospital=hospital)
    return {"summary": f"{applied} migrations applied", "backup_path": ""}


def _run_restore(job: ProvisioningJob, report: JobRecorder) -> Outcome:
    hospital = job.hospital
    aside = backup_path(hospital, "restore")
    report.write(backup_path=str(aside))  # the reaper writes it back if this worker dies
    try:
        summary = hospital_restore(
            hospital, source=Path(job.source_path), safety_copy=aside, report=report
        )
    finally:
        # Whatever happened, the hospital works on the database in place if it is sound.
        if Hospital.objects.get(pk=hospital.pk).status != Hospital.Status.READY:
            mark_by_database_in_place(hospital)
    return {"summary": summary, "backup_path": str(aside) if aside.exists() else ""}


def _run_repair(job: ProvisioningJob, report: JobRecorder) -> Outcome:
    hospital = job.hospital
    target = backup_path(hospital, "repair")
    report.write(backup_path=str(target))
    summary = hospital_repair_schema(
        hospital,
        report=report,
        backup_to=target,
        before_replace=lambda identity: report.write(replacement=identity),
    )
    return {"summary": summary[:300], "backup_path": str(target)}


def _run_verify(job: ProvisioningJob, report: JobRecorder) -> Outcome:
    return {"summary": hospital_verify(job.hospital, report=report)}


def _run_sync(job: ProvisioningJob, report: JobRecorder) -> Outcome:
    counts = hospital_sync_reference_data(job.hospital, report=report)
    return {"summary": f"{counts['created']} rows created, {counts['updated']} updated"}


OPERATIONS: dict[str, Callable[[ProvisioningJob, JobRecorder], Outcome]] = {
    Kind.CREATE: _run_create,
    Kind.CREATE_DATABASE: _run_create,
    Kind.RECREATE: _run_recreate,
    Kind.MIGRATE: _run_migrate,
    Kind.VERIFY: _run_verify,
    Kind.SYNC: _run_sync,
    Kind.RESTORE: _run_restore,
    Kind.REPAIR: _run_repair,
}

#: kinds during which the hospital's site shows the "being provisioned" page
OFFLINE_KINDS = frozenset(
    {Kind.CREATE, Kind.CREATE_DATABASE, Kind.RECREATE, Kind.MIGRATE, Kind.RESTORE, Kind.REPAIR}
)


def job_run(*, job_id: str, task_id: str) -> str:
    """Claim and run one job; returns a one-word outcome for the Celery result
    (never anything secret: results are stored with their arguments)."""
    now = timezone.now()
    claimed = ProvisioningJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, task_id=task_id, started_at=now, heartbeat_at=now
    )
    if not claimed:
        status = ProvisioningJob.objects.filter(pk=job_id).values_list("status", flat=True)
        found = status.first()
        logger.info("job %s not claimed (it is %s); nothing to do", job_id, found or "gone")
        return f"skipped: job is {found or 'gone'}"
    job = ProvisioningJob.objects.select_related("hospital").get(pk=job_id)
    if job.kind in OFFLINE_KINDS:
        hospital_mark_provisioning(hospital=job.hospital)
    recorder = JobRecorder(job)
    with heartbeat(job):
        try:
            outcome = OPERATIONS[job.kind](job, recorder)
        except JobTakenOver:
            logger.warning("job %s was taken over while running; stopped", job.pk)
            return "taken over"
        except ProvisioningError as exc:
            recorder.finish(Status.FAILED, step=exc.step, error=exc.message, message="")
            return "failed"
        except Exception as exc:
            logger.exception("job %s failed unexpectedly", job.pk)
            error = f"{exc.__class__.__name__}: {exc}"
            recorder.finish(Status.FAILED, step=recorder.current_step, error=error, message="")
            return "failed"
    finished = recorder.finish(
        Status.SUCCEEDED, percent=100, step="", message="", admin_password_hash="", **outcome
    )
    return "succeeded" if finished else "taken over"
