"""Periodic tasks, run by the beat embedded in the worker (``celery -A worker worker -B``;
with several workers, give ``-B`` to one of them only)."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab
from django.conf import settings


def beat_schedule() -> dict[str, dict[str, Any]]:
    interval = settings.HMS_JOB_MAINTENANCE_SECONDS
    return {
        "maintain-provisioning-jobs": {
            "task": "tenancy.maintain_jobs",
            "schedule": float(interval),
            # a run nobody picked up in time is superseded by the next one
            "options": {"expires": float(interval)},
        },
        # Shortly after midnight in Celery's time zone (UTC unless CELERY_TIMEZONE is
        # set): appointments of past days nobody came to become No-show in every ready
        # hospital ("past" by the hospitals' TIME_ZONE, so an east-of-UTC zone is safe).
        "mark-appointment-no-shows": {
            "task": "appointments.mark_no_shows_everywhere",
            "schedule": crontab(hour=0, minute=15),
            "options": {"expires": 6 * 3600.0},
        },
    }
