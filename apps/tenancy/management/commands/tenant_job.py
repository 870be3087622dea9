from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.exceptions import HMSError
from apps.tenancy.jobs.selectors import job_get
from apps.tenancy.jobs.services import job_enqueue, job_retry
from apps.tenancy.management.commands._progress import JobFollower
from apps.tenancy.models import Hospital, ProvisioningJob

KINDS = {
    "verify": ProvisioningJob.Kind.VERIFY,
    "sync": ProvisioningJob.Kind.SYNC,
    "create-database": ProvisioningJob.Kind.CREATE_DATABASE,
    "recreate": ProvisioningJob.Kind.RECREATE,
    "repair": ProvisioningJob.Kind.REPAIR,
}


class Command(BaseCommand):
    help = (
        "Run a job on a hospital's database in the worker and follow it: verify, sync "
        "(reference data), create-database (when missing), recreate (backs up first; "
        "needs --confirm SUBDOMAIN), repair (schema drift: the schema its migrations "
        "produce, every row kept; backs up first); or retry a failed job. Ctrl-C stops "
        "following."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=[*KINDS, "retry"])
        parser.add_argument("target", help="the hospital's code, or the job id for retry")
        parser.add_argument("--confirm", help="recreate: the hospital's subdomain, typed again")
        parser.add_argument("--no-follow", action="store_true", help="queue and return")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            job = self.start(options)
        except HMSError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Queued job {job.pk}: {job.get_kind_display()} {job.hospital.code}")
        if options["no_follow"]:
            return
        try:
            (job,) = JobFollower(self.stdout, self.style).follow([job.pk])
        except KeyboardInterrupt:
            self.stdout.write(f"\nStopped following; job {job.pk} carries on in the worker.")
            return
        if job.status == ProvisioningJob.Status.FAILED:
            raise CommandError(f"{job.step} failed: {job.error} (job {job.pk})")

    def start(self, options: dict[str, Any]) -> ProvisioningJob:
        if options["action"] == "retry":
            try:
                job_id = uuid.UUID(options["target"])
            except ValueError:
                raise CommandError(f"{options['target']!r} is not a job id") from None
            return job_retry(job=job_get(job_id))
        hospital = Hospital.objects.filter(code=options["target"].upper()).first()
        if hospital is None:
            raise CommandError(f"Unknown hospital code: {options['target']}")
        return job_enqueue(
            hospital=hospital,
            kind=KINDS[options["action"]],
            confirm_subdomain=options["confirm"],
        )
