"""Celery tasks of provisioning: thin — call the recovery service."""

from __future__ import annotations

from apps.tenancy.provisioning import recovery
from worker import app


@app.task(name="tenancy.backup_hospitals", ignore_result=True)
def backup_hospitals() -> None:
    """The nightly backup of every ready hospital, and pruning of old ones."""
    recovery.hospitals_backup_scheduled()
