"""Periodic tasks, run by the beat embedded in the worker (``celery -A worker worker -B``;
with several workers, give ``-B`` to one of them only)."""

from __future__ import annotations

import os
from typing import Any

from celery.beat import ScheduleEntry, Scheduler
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
        # nightly backups (apps/tenancy/provisioning/recovery.py decides which hospitals are due)
        "backup-hospitals": {
            "task": "tenancy.backup_hospitals",
            "schedule": float(settings.HMS_BACKUP_CHECK_SECONDS),
            "options": {"expires": float(settings.HMS_BACKUP_CHECK_SECONDS)},
        },
    }


class RecordingScheduler(Scheduler):
    """Celery's in-memory scheduler that also records, each time it sends a periodic
    task, that the beat is alive (the "beat" heartbeat of /healthz)."""

    _connections_reset_in: int | None = None

    def apply_entry(self, entry: ScheduleEntry, producer: Any = None) -> None:
        super().apply_entry(entry, producer=producer)
        # Imported here: worker/app.py loads this module before Django is set up.
        from django.db import DatabaseError, connections

        from apps.tenancy.jobs.health import BEAT, heartbeat_record

        if RecordingScheduler._connections_reset_in != os.getpid():
            # The embedded beat is a process forked from the worker: never reuse a
            # database connection the parent opened.
            connections.close_all()
            RecordingScheduler._connections_reset_in = os.getpid()
        try:
            heartbeat_record(BEAT, detail=f"pid {os.getpid()}")
        except DatabaseError:
            pass  # the platform database will say so in /healthz itself
        finally:
            connections.close_all()
