from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready

from worker.beat import beat_schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hms.settings")

app = Celery("hms")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The schedule is a fixed interval defined in code; nothing worth persisting to a file.
app.conf.beat_scheduler = "worker.beat:RecordingScheduler"
app.conf.beat_schedule = beat_schedule()
app.autodiscover_tasks()


@worker_ready.connect
def _resend_queued_jobs(**kwargs: Any) -> None:
    """Redis keeps no messages across a restart: a worker coming up sends every queued
    job again (a job whose message did survive just runs once — the row decides)."""
    from django.db import connections

    from apps.tenancy.jobs.health import WORKER, heartbeat_record
    from apps.tenancy.jobs.runner import jobs_dispatch_queued

    heartbeat_record(WORKER, detail=str(kwargs.get("sender") or ""))
    jobs_dispatch_queued(everything=True)
    connections.close_all()  # pool processes forked later must not share it
