"""Running ProvisioningJobs: claim, progress, heartbeat, reaping and dispatch.

The job row decides what runs. A worker claims a queued job with a conditional UPDATE
(only one claim can succeed, however many copies of the message the broker delivers);
every later write is conditional on the job still being the worker's (status running,
same task id), so a worker that was declared dead and comes back stops at its next
write instead of finishing over a job someone else failed or retried.

A thread writes a heartbeat while the job runs. The periodic maintenance task
(``apps.tenancy.tasks.maintain_jobs``) fails a running job whose heartbeat is stale,
cleans up after it (temporary database removed, pre-migrate copy written back) and
re-sends queued jobs whose message the broker never got or lost.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max, Q
from django.utils import timezone

from apps.core.exceptions import HMSError
from apps.platform_audit.models import PlatformEvent
from apps.platform_audit.services import platform_event_record
from apps.tenancy.exceptions import ProvisioningError
from apps.tenancy.hooks import PasswordHash
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.backups import backup_path, database_restore, display_path
from apps.tenancy.provisioning.operations import hospital_sync_reference_data, hospital_verify
from apps.tenancy.provisioning.pipeline import (
    hospital_migrate,
    hospital_provision,
    hospital_recreate,
    mark_by_database_in_place,
    remove_stale_working_files,
)
from apps.tenancy.provisioning.recovery import hospital_restore
from apps.tenancy.provisioning.schema import hospital_repair_schema
from apps.tenancy.provisioning.steps import ProgressEvent
from apps.tenancy.status import (
    hospital_mark_failed,
    hospital_mark_provisioning,
    hospital_mark_ready,
)
from apps.tenancy.storage import database_name, storage_for
from worker import app as celery_app

logger = logging.getLogger(__name__)

Status = ProvisioningJob.Status
Kind = ProvisioningJob.Kind

#: progress events inside a step are written at most this often (steps always are)
PROGRESS_WRITE_INTERVAL = 0.1
#: queued jobs are re-sent when nothing was claimed for this long (messages lost)
REDISPATCH_AFTER = timedelta(seconds=60)


class JobTakenOver(HMSError):
    """The job row no longer belongs to this run (failed by the reaper, or gone)."""


# -- progress into the row ---------------------------------------------------------


class JobRecorder:
    """A pipeline reporter that writes each progress event into the job row — the same
    events a management command prints as a terminal progress bar."""

    def __init__(self, job: ProvisioningJob) -> None:
        self.job = job
        self.current_step = ""
        self._last_write = 0.0

    def __call__(self, event: ProgressEvent) -> None:
        log = self.job.log
        if event.kind == "started":
            self.current_step = event.step.label
            log.append({"key": event.step.key, "label": event.step.label, "status": "running"})
        elif event.kind in ("finished", "failed"):
            entry = next((e for e in reversed(log) if e["key"] == event.step.key), None)
            if entry is not None:
                entry.update(
                    status="done" if event.kind == "finished" else "failed",
                    duration=round(event.duration or 0.0, 3),
                    summary=event.message,
                )
        elif time.monotonic() - self._last_write < PROGRESS_WRITE_INTERVAL:
            return  # a finer-grained progress event; the next one or the step's end says more
        self.write(
            percent=event.percent,
            step=event.step.label,
            message=event.message if event.kind == "progress" else "",
            log=log,
        )

    def write(self, **fields: Any) -> None:
        fields["heartbeat_at"] = timezone.now()
        owned = ProvisioningJob.objects.filter(
            pk=self.job.pk, status=Status.RUNNING, task_id=self.job.task_id
        )
        if not owned.update(**fields):
            raise JobTakenOver(f"job {self.job.pk} is no longer this worker's")
        self._last_write = time.monotonic()

    def finish(self, status: str, **fields: Any) -> bool:
        """Record the end of the job; False when it was taken over meanwhile."""
        try:
            self.write(status=status, finished_at=timezone.now(), **fields)
        except JobTakenOver:
            logger.warning("job %s was taken over before it could finish", self.job.pk)
            return False
        _audit_finished(self.job, status, error=str(fields.get("error", "")))
        return True


def _audit_finished(job: ProvisioningJob, status: str, *, error: str) -> None:
    """The job's end in the platform's audit log, in the name of whoever asked for it;
    a failure to write it is logged and never fails the job."""
    try:
        platform_event_record(
            kind=PlatformEvent.Kind.JOB_FINISHED,
            summary=f"{job.get_kind_display()}: {status}",
            hospital=job.hospital,
            actor=job.requested_by,
            detail={"job": str(job.pk), "kind": job.kind, "status": status, "error": error},
        )
    except Exception:
        logger.exception("could not record the end of job %s in the audit log", job.pk)


@contextmanager
def heartbeat(job: ProvisioningJob) -> Iterator[None]:
    """Write the job's heartbeat from a thread while the block runs, so a long step
    (one big migration) is not mistaken for a dead worker."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.HMS_JOB_HEARTBEAT_SECONDS):
                ProvisioningJob.objects.filter(
                    pk=job.pk, status=Status.RUNNING, task_id=job.task_id
                ).update(heartbeat_at=timezone.now())
        except DatabaseError:
            logger.exception("heartbeat of job %s stopped", job.pk)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


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


# -- the reaper ------------------------------------------------------------------------


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


# -- dispatch ----------------------------------------------------------------------------

#: the Celery task that runs a job (apps/tenancy/tasks.py)
RUN_JOB = "tenancy.run_job"

#: a broker that is down must not hold a web request for long
DISPATCH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}


def job_dispatch(job_id: uuid.UUID | str) -> bool:
    """Send the job's message to the broker. When the broker is unreachable the job
    stays queued and undispatched; the maintenance task, a starting worker or the job
    page sends it later. Sending twice is harmless: only one claim succeeds.

    Sent by task name through the Celery app (the task's own options when it is
    registered, a plain send_task when not), so the runner never imports the tasks
    module that imports it."""
    job = ProvisioningJob.objects.filter(pk=job_id, status=Status.QUEUED).first()
    if job is None:
        return False
    ProvisioningJob.objects.filter(pk=job.pk).update(dispatch_attempted_at=timezone.now())
    try:
        celery_app.signature(
            RUN_JOB, kwargs={"job_id": str(job.pk), "hospital_id": str(job.hospital_id)}
        ).apply_async(
            retry=True,
            retry_policy=DISPATCH_RETRY_POLICY,
        )
    except Exception as exc:  # kombu/redis raise several unrelated types for "no broker"
        logger.warning("could not send job %s to the broker: %s", job.pk, exc)
        ProvisioningJob.objects.filter(pk=job.pk).update(
            dispatch_error=f"the message broker is unreachable ({exc})"[:300]
        )
        return False
    ProvisioningJob.objects.filter(pk=job.pk).update(
        dispatched_at=timezone.now(), dispatch_error=""
    )
    return True


def jobs_dispatch_queued(*, everything: bool = False) -> int:
    """Send queued jobs again: those never sent, and — when nothing was claimed for a
    while or ``everything`` is asked (a worker starting: Redis keeps no messages over a
    restart) — all of them. Returns how many were sent."""
    queued = ProvisioningJob.objects.filter(status=Status.QUEUED)
    if not everything:
        last_claim = ProvisioningJob.objects.aggregate(Max("started_at"))["started_at__max"]
        cutoff = timezone.now() - REDISPATCH_AFTER
        flowing = last_claim is not None and last_claim > cutoff
        lost = Q(dispatched_at__isnull=True)
        if not flowing:
            lost |= Q(dispatched_at__lt=cutoff)
        queued = queued.filter(lost)
    sent = 0
    for job_id in queued.order_by("created_at").values_list("pk", flat=True):
        sent += job_dispatch(job_id)
    return sent
