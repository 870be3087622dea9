"""A running job's progress, written into its row: the recorder every step reports to,
and the heartbeat that tells the reaper the worker is alive.

Every write is conditional on the job still being this run's (status running, same
task id), so a worker that was declared dead and comes back stops at its next write
(``JobTakenOver``) instead of finishing over a job someone else failed or retried.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from apps.core.exceptions import HMSError
from apps.platform_audit.models import PlatformEvent
from apps.platform_audit.services import platform_event_record
from apps.tenancy.models import ProvisioningJob
from apps.tenancy.provisioning.steps import ProgressEvent

logger = logging.getLogger(__name__)

Status = ProvisioningJob.Status

#: progress events inside a step are written at most this often (steps always are)
PROGRESS_WRITE_INTERVAL = 0.1


class JobTakenOver(HMSError):
    """The job row no longer belongs to this run (failed by the reaper, or gone)."""


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
