"""Celery tasks of the job runner: thin — fetch by id, call the runner, the reaper or
dispatch. Their names (``tenancy.*``) are what queued messages and the beat refer to:
they stay whatever module holds the bodies."""

from __future__ import annotations

from typing import Any

from celery.signals import worker_ready
from django.db import connections

from apps.tenancy.hospital_task import HospitalTask
from apps.tenancy.jobs import dispatch, health, reaper, runner
from worker import app


@app.task(base=HospitalTask, bind=True, name="tenancy.run_job")
def run_job(self: Any, *, job_id: str, hospital_id: str) -> str:
    """Run the ProvisioningJob ``job_id`` of hospital ``hospital_id`` (the base class
    selects the hospital). The job row decides whether anything runs."""
    return runner.job_run(job_id=job_id, task_id=self.request.id or "")


@app.task(name="tenancy.maintain_jobs", bind=True, ignore_result=True)
def maintain_jobs(self: Any) -> None:
    """Record that a worker is alive, fail jobs whose worker died, and re-send queued
    jobs the broker lost."""
    health.heartbeat_record(health.WORKER, detail=self.request.hostname or "")
    reaper.jobs_reap_stale()
    dispatch.jobs_dispatch_queued()


@worker_ready.connect
def _resend_queued_jobs(**kwargs: Any) -> None:
    """Redis keeps no messages across a restart: a worker coming up sends every queued
    job again (a job whose message did survive just runs once — the row decides).

    Connected here, not in worker/app.py, so the Celery app imports no tenancy module
    (the worker imports this module, through the autodiscovered apps.tenancy.tasks,
    before it is ready)."""
    health.heartbeat_record(health.WORKER, detail=str(kwargs.get("sender") or ""))
    dispatch.jobs_dispatch_queued(everything=True)
    connections.close_all()  # pool processes forked later must not share it
