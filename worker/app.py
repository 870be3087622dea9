from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import worker_process_shutdown, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hms.settings")

app = Celery("hms")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The schedule is defined in code (worker/beat.py: the platform's tasks and the modules'),
# read when the beat starts; nothing worth persisting to a file.
app.conf.beat_scheduler = "worker.beat:RecordingScheduler"
app.autodiscover_tasks()


@worker_shutdown.connect
@worker_process_shutdown.connect
def _close_database_connections(**_: Any) -> None:
    """A worker (or one of its pool processes) that stops closes the database connections
    it kept across tasks, so the servers see them end cleanly."""
    # Imported here: this module is loaded before Django is set up.
    from apps.tenancy.connections import close_process_connections

    close_process_connections()
