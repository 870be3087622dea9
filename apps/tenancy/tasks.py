"""Every Celery task of tenancy, for the worker's autodiscovery, which imports one
``tasks`` module per installed app: the bodies live in the rooms they belong to (the
job runner's in ``apps.tenancy.jobs.tasks``, the nightly backups' in
``apps.tenancy.provisioning.tasks``); importing them here registers them."""

from __future__ import annotations

from apps.tenancy.jobs.tasks import maintain_jobs, run_job
from apps.tenancy.provisioning.tasks import backup_hospitals

__all__ = ["backup_hospitals", "maintain_jobs", "run_job"]
