from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.exceptions import HMSError
from apps.tenancy.jobs import runner as jobs
from apps.tenancy.jobs.services import job_enqueue
from apps.tenancy.models import Hospital, ProvisioningJob


class Command(BaseCommand):
    help = (
        "Restore a hospital's database from a backup FILE, here and now: the file is "
        "checked, the current database copied aside (kept in tenant_databases/backups/), "
        "the backup written in place and checked against the file; any failure puts the "
        "database as it was back. The hospital is offline meanwhile."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the hospital's code, e.g. CGH001")
        parser.add_argument("file", help="the backup, e.g. as printed by backup_hospital")

    def handle(self, *args: Any, **options: Any) -> None:
        hospital = Hospital.objects.filter(code=options["code"].upper()).first()
        if hospital is None:
            raise CommandError(f"Unknown hospital code: {options['code']}")
        source = Path(options["file"]).resolve()
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        try:
            # A job like any other (one at a time per hospital, reaped if this process
            # dies), run here instead of in the worker.
            job = job_enqueue(
                hospital=hospital, kind=ProvisioningJob.Kind.RESTORE, source_path=source,
                dispatch=False,
            )  # fmt: skip
        except HMSError as exc:
            raise CommandError(exc.message) from None
        jobs.job_run(job_id=str(job.pk), task_id=f"command-line-{job.pk.hex[:8]}")
        job.refresh_from_db()
        if job.status != ProvisioningJob.Status.SUCCEEDED:
            raise CommandError(f"{job.step} failed: {job.error} (job {job.pk})")
        self.stdout.write(self.style.SUCCESS(job.summary))
