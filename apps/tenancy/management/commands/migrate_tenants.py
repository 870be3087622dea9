from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.exceptions import HMSError
from apps.tenancy.management.commands._progress import TerminalReporter
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning import hospital_migrate


class Command(BaseCommand):
    help = "Apply pending tenant migrations to every ready hospital (or those named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hospital", action="append", metavar="CODE", help="Only these")

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
