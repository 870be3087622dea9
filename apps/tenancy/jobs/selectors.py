"""Reading jobs: one job, a hospital's latest, what to tell someone watching one that is
not moving, and the progress of a batch started together."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import NotFound
from apps.tenancy.models import Hospital, ProvisioningJob


def job_get(job_id: uuid.UUID | str) -> ProvisioningJob:
    job = (
        ProvisioningJob.objects.select_related("hospital", "requested_by", "retry_of")
        .filter(pk=job_id)
        .first()
    )
    if job is None:
        raise NotFound(_("There is no such job."))
    return job


def job_latest(hospital: Hospital) -> ProvisioningJob | None:
    return hospital.jobs.order_by("-created_at").first()


def job_notice(job: ProvisioningJob, *, now: datetime | None = None) -> str:
    """What to tell someone watching a job that is not moving: no worker picked it up,
    the broker was unreachable, or the worker stopped sending heartbeats."""
    now = now or timezone.now()
    if job.status == ProvisioningJob.Status.QUEUED:
        if now - job.created_at < timedelta(seconds=settings.HMS_JOB_WAITING_SECONDS):
            return ""
        if job.dispatched_at is None and job.dispatch_error:
            return _(
                "Waiting for a worker — is `make run` running? The message broker (Redis) "
                "could not be reached; the job will be sent as soon as it is back."
            )
        return _("Waiting for a worker — is `make run` running?")
    if job.status == ProvisioningJob.Status.RUNNING and job.heartbeat_at is not None:
        silent = (now - job.heartbeat_at).total_seconds()
        if silent > max(3 * settings.HMS_JOB_HEARTBEAT_SECONDS, 5):
            return _(
                "No heartbeat from the worker for %(silent)d s. If it was stopped, the job "
                "is marked failed after %(stale)d s and can be retried."
            ) % {"silent": round(silent), "stale": settings.HMS_JOB_STALE_SECONDS}
    return ""


@dataclass(frozen=True)
class BatchSummary:
    batch: uuid.UUID
    #: the latest job of each hospital in the batch (a retry replaces the failed one)
    jobs: list[ProvisioningJob]
    counts: dict[str, int]

    @property
    def finished(self) -> bool:
        return all(job.is_finished for job in self.jobs)

    @property
    def total(self) -> int:
        return len(self.jobs)

    @property
    def percent(self) -> int:
        return sum(job.percent for job in self.jobs) // max(1, len(self.jobs))

    @property
    def poll_every(self) -> str:
        """Twice a second for an action on a few hospitals; a fleet's long table less often."""
        return "500ms" if len(self.jobs) <= 50 else "2s"


def batch_summary(batch: uuid.UUID | str) -> BatchSummary:
    jobs = list(
        ProvisioningJob.objects.filter(batch=batch)
        .select_related("hospital")
        .order_by("hospital__name", "-created_at")
    )
    if not jobs:
        raise NotFound(_("There is no such batch of jobs."))
    latest: dict[uuid.UUID, ProvisioningJob] = {}
    for job in jobs:
        latest.setdefault(job.hospital_id, job)
    kept = list(latest.values())
    return BatchSummary(
        batch=uuid.UUID(str(batch)), jobs=kept, counts=Counter(j.status for j in kept)
    )
