from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hms.settings")

app = Celery("hms")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The schedule is defined in code (worker/beat.py: the platform's tasks and the modules'),
# read when the beat starts; nothing worth persisting to a file.
app.conf.beat_scheduler = "worker.beat:RecordingScheduler"
app.autodiscover_tasks()
