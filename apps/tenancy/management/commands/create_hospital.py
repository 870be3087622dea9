from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.exceptions import HMSError
from apps.tenancy.management.commands._progress import JobFollower, TerminalReporter
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.pipeline import hospital_provision
from apps.tenancy.services import hospital_add, hospital_create


class Command(BaseCommand):
    help = (
        "Create a hospital and provision its database: create, migrate, seed reference "
        "data, create its administrator, verify, move into place. Inline by default; with "
        "--enqueue the worker does it as a job whose progress is followed here."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="Hospital name")
        parser.add_argument("--subdomain", required=True, help="e.g. city-general")
        parser.add_argument("--code", help="e.g. CGH001 (default: from the name's initials)")
        parser.add_argument("--plan", default=Hospital.Plan.STANDARD, choices=Hospital.Plan.values)
        parser.add_argument("--admin-name", default="", help="Hospital administrator's name")
        parser.add_argument("--admin-email", default="", help="Hospital administrator's email")
        parser.add_argument(
            "--admin-password",
            help="The administrator's own password (otherwise a temporary one is printed once)",
        )
        parser.add_argument(
            "--server",
            help="The database server (pg1, pg2 … in the order of HMS_TENANT_SERVERS); "
            "default: the least loaded",
        )
        parser.add_argument(
            "--language", default="", help="Staff's default language (az, en; default: en)"
        )
        parser.add_argument("--currency", default="", help="ISO 4217 code (default: AZN)")
        parser.add_argument(
            "--time-zone",
            default="",
            help="The hospital's clock, e.g. Asia/Baku (default: HMS_TIME_ZONE)",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Send the work to the Celery worker and follow its progress (Ctrl-C stops "
            "following, not the job)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            self.enqueue(options)
        else:
            self.inline(options)

    def inline(self, options: dict[str, Any]) -> None:
        try:
            hospital = hospital_create(**hospital_fields(options))
        except HMSError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Provisioning {hospital.name} ({hospital.code}) at {hospital.host}")
        try:
            result = hospital_provision(
                hospital,
                report=TerminalReporter(self.stdout, self.style),
                admin_password=options["admin_password"],
            )
        except HMSError as exc:
            # An inline run is all or nothing: leave no half-made hospital behind.
            hospital.delete()
            step = getattr(exc, "step", "provisioning")
            raise CommandError(f"{step} failed: {exc.message}") from None
        self.stdout.write(self.style.SUCCESS(f"{hospital.name} is ready: {hospital.url}"))
        self.stdout.write(f"Administrator username: {result.admin_username}")
        if result.temporary_password:
            self.stdout.write(
                f"Temporary password (shown once, must be changed at first login): "
                f"{result.temporary_password}"
            )

    def enqueue(self, options: dict[str, Any]) -> None:
        try:
            added = hospital_add(
                **hospital_fields(options), admin_password=options["admin_password"]
            )
        except HMSError as exc:
            raise CommandError(exc.message) from None
        hospital = added.hospital
        self.stdout.write(
            f"Queued job {added.job.pk}: provision {hospital.name} ({hospital.code}) "
            f"at {hospital.host}"
        )
        try:
            (job,) = JobFollower(self.stdout, self.style).follow([added.job.pk])
        except KeyboardInterrupt:
            self.stdout.write(
                f"\nStopped following. Job {added.job.pk} carries on in the worker; "
                "watch it in the admin."
            )
            if added.temporary_password:
                # Nobody else will ever see it: better printed now than lost.
                self.stdout.write(
                    f"Temporary password of the administrator, once the job is done: "
                    f"{added.temporary_password}"
                )
            return
        if job.status == ProvisioningJob.Status.FAILED:
            raise CommandError(
                f"{job.step or 'provisioning'} failed: {job.error} — retry with "
                f"`manage.py tenant_job retry {job.pk}` or from the admin"
            )
        self.stdout.write(self.style.SUCCESS(f"{hospital.name} is ready: {hospital.url}"))
        self.stdout.write(f"Administrator username: {job.admin_username}")
        if added.temporary_password and job.admin_password_applied:
            self.stdout.write(
                f"Temporary password (shown once, must be changed at first login): "
                f"{added.temporary_password}"
            )


def hospital_fields(options: dict[str, Any]) -> dict[str, Any]:
    fields = (
        "name",
        "subdomain",
        "code",
        "plan",
        "admin_name",
        "admin_email",
        "server",
        "language",
        "currency",
        "time_zone",
    )
    return {field: options[field] for field in fields}
