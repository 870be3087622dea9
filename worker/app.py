from __future__ import annotations

import os

from celery import Celery

from worker.beat import beat_schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hms.settings")

app = Celery("hms")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The schedule is a fixed interval defined in code; nothing worth persisting to a file.
app.conf.beat_scheduler = "worker.beat:RecordingScheduler"
app.conf.beat_schedule = beat_schedule()
app.autodiscover_tasks()
