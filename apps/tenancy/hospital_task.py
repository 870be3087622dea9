"""The base class of Celery tasks about one hospital: the tenant-aware task.

Tenancy's own, not the worker's: selecting a hospital is tenancy's business, and the
Celery application (``worker/``) stays free of tenancy imports, so it loads before
Django's apps are ready.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task

from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)


class HospitalTask(Task):
    """A task about one hospital, named by its ``hospital_id`` keyword argument.

    The body runs inside that hospital's tenant context, so tenant models go to its
    database — the task carries the hospital explicitly and never relies on whatever a
    previous task in the same worker process selected. Tasks acknowledge late and are
    rejected (re-queued) when the worker process dies, so a killed worker does not drop
    them silently; the job row makes running them twice harmless.
    """

    abstract = True
    acks_late = True
    reject_on_worker_lost = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        hospital_id = kwargs.get("hospital_id")
        if hospital_id is None:
            raise TypeError(f"{self.name} must be called with hospital_id=")
        hospital = Hospital.objects.filter(pk=hospital_id).first()
        if hospital is None:
            logger.warning("%s: hospital %s no longer exists; skipped", self.name, hospital_id)
            return "skipped: hospital gone"
        with tenant_context(hospital):
            return super().__call__(*args, **kwargs)
