"""Periodic tasks, run by the beat embedded in the worker (``celery -A worker worker -B``;
with several workers, give ``-B`` to one of them only)."""

from __future__ import annotations

from typing import Any

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
        # nightly backups (apps/tenancy/recovery.py decides which hospitals are due)
        "backup-hospitals": {
            "task": "tenancy.backup_hospitals",
            "schedule": float(settings.HMS_BACKUP_CHECK_SECONDS),
            "options": {"expires": float(settings.HMS_BACKUP_CHECK_SECONDS)},
        },
    }
