"""Dispatching: a queued job's message sent to the broker, and sent again when it was
never sent or may have been lost.

Sent by task name through the Celery app, so this module never imports the tasks
module that imports it. Sending twice is harmless: the job row decides what runs and
only one claim succeeds (``apps.tenancy.jobs.runner``).
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.db.models import Max, Q
from django.utils import timezone

from apps.tenancy.models import ProvisioningJob
from worker import app as celery_app

logger = logging.getLogger(__name__)

Status = ProvisioningJob.Status

#: queued jobs are re-sent when nothing was claimed for this long (messages lost)
REDISPATCH_AFTER = timedelta(seconds=60)

#: the Celery task that runs a job (apps/tenancy/jobs/tasks.py)
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
    page sends it later. Sent by task name (the task's own options when it is
    registered in this process, a plain send_task when not)."""
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
