from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from apps.core.exceptions import HMSError
from apps.tenancy.jobs.services import fleet_migrate
from apps.tenancy.management.commands._progress import JobFollower, TerminalReporter
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.pipeline import hospital_migrate


class Command(BaseCommand):
    help = (
        "Apply pending tenant migrations to every ready hospital (or those named). Inline "
        "one after another by default; with --enqueue as one job per hospital that the "
        "worker processes run in parallel, followed here, ending with a summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hospital", action="append", metavar="CODE", help="Only these")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Send one job per hospital to the Celery workers and follow them (Ctrl-C "
            "stops following, not the jobs)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hospitals = Hospital.objects.filter(status=Hospital.Status.READY).order_by("code")
        if options["hospital"]:
            codes = [c.upper() for c in options["hospital"]]
            unknown = sorted(
                set(codes)
                - set(Hospital.objects.filter(code__in=codes).values_list("code", flat=True))
            )
            if unknown:
                raise CommandError(f"Unknown hospital code(s): {', '.join(unknown)}")
            hospitals = hospitals.filter(code__in=codes)
        if options["enqueue"]:
            self.enqueue(hospitals)
        else:
            self.inline(hospitals)

    def inline(self, hospitals: QuerySet[Hospital]) -> None:
        failures = 0
        for hospital in hospitals:
            self.stdout.write(f"{hospital.code} {hospital.name}")
            try:
                applied = hospital_migrate(
                    hospital, report=TerminalReporter(self.stdout, self.style, prefix="  ")
                )
            except HMSError as exc:
                failures += 1
                self.stdout.write(self.style.ERROR(f"  {hospital.code}: failed: {exc.message}"))
                continue
            self.stdout.write(
                self.style.SUCCESS(f"  {hospital.code}: {applied} migrations applied")
            )
        if failures:
            raise CommandError(f"{failures} hospital(s) failed to migrate")

    def enqueue(self, hospitals: QuerySet[Hospital]) -> None:
        started = fleet_migrate(hospitals=hospitals)
        queued = [job for job in started.jobs if job.is_active]
        self.stdout.write(
            f"Batch {started.batch}: {len(started.jobs)} hospital(s), {len(queued)} queued, "
            f"{len(started.jobs) - len(queued)} already up to date"
        )
        for refusal in started.refused:
            self.stdout.write(self.style.WARNING(f"  {refusal.hospital.code}: {refusal.reason}"))
        try:
            jobs = JobFollower(self.stdout, self.style).follow([j.pk for j in started.jobs])
        except KeyboardInterrupt:
            self.stdout.write(
                f"\nStopped following. The jobs carry on in the workers (batch {started.batch})."
            )
            return
        self.stdout.write("Summary:")
        for job in jobs:
            if job.status == ProvisioningJob.Status.SUCCEEDED:
                line = f"  {job.hospital.code:<10} ok      {job.summary}"
                self.stdout.write(self.style.SUCCESS(line))
            else:
                line = f"  {job.hospital.code:<10} FAILED  at {job.step}: {job.error}"
                self.stdout.write(self.style.ERROR(line))
        for refusal in started.refused:
            line = f"  {refusal.hospital.code:<10} skipped {refusal.reason}"
            self.stdout.write(self.style.WARNING(line))
        failed = sum(job.status == ProvisioningJob.Status.FAILED for job in jobs)
        if failed or started.refused:
            raise CommandError(
                f"{failed} hospital(s) failed to migrate, {len(started.refused)} skipped"
            )
