"""Periodic tasks, run by the beat embedded in the worker (``celery -A worker worker -B``;
with several workers, give ``-B`` to one of them only).

The platform's own tasks are listed here; each module's come from its declaration
(``Module.periodic_tasks``, apps.core.modules), read when the beat starts — by then the
worker has set Django up, which importing the Celery app has not.
"""

from __future__ import annotations

import os
from typing import Any

from celery.beat import ScheduleEntry, Scheduler
from django.conf import settings


def platform_schedule() -> dict[str, dict[str, Any]]:
    """The platform's own periodic tasks (provisioning jobs, backups)."""
    interval = settings.HMS_JOB_MAINTENANCE_SECONDS
    return {
        "maintain-provisioning-jobs": {
            "task": "tenancy.maintain_jobs",
            "schedule": float(interval),
            # a run nobody picked up in time is superseded by the next one
            "options": {"expires": float(interval)},
        },
        # nightly backups (apps/tenancy/provisioning/recovery.py decides which hospitals are due)
        "backup-hospitals": {
            "task": "tenancy.backup_hospitals",
            "schedule": float(settings.HMS_BACKUP_CHECK_SECONDS),
            "options": {"expires": float(settings.HMS_BACKUP_CHECK_SECONDS)},
        },
    }


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The platform's tasks and every installed module's (needs Django set up)."""
    from apps.core.modules import periodic_tasks

    schedule = platform_schedule()
    for task in periodic_tasks():
        if task.name in schedule:
            raise ValueError(f"periodic task {task.name!r} is the platform's own")
        schedule[task.name] = {
            "task": task.task,
            "schedule": task.schedule,
            "options": dict(task.options),
        }
    return schedule


class RecordingScheduler(Scheduler):
    """Celery's in-memory scheduler that also records, each time it sends a periodic
    task, that the beat is alive (the "beat" heartbeat of /healthz)."""

    _connections_reset_in: int | None = None

    def setup_schedule(self) -> None:
        # What Scheduler.setup_schedule does, with the modules' tasks beside anything
        # set in the configuration (merge_inplace drops entries it is not given).
        entries: dict[str, Any] = {**self.app.conf.beat_schedule, **beat_schedule()}
        self.install_default_entries(self.schedule)
        self.merge_inplace(entries)

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
