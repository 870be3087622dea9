from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.tenancy.models import Hospital
from apps.tenancy.selectors import hospital_database_status


class Command(BaseCommand):
    help = (
        "Check every hospital's database: status, table count and unapplied migrations; "
        "with --deep also its schema (tables, columns, indexes, constraints) against the "
        "template's, reporting any difference as Schema drift (repair: tenant_job repair "
        "CODE). Exits with code 1 when any hospital is not ready."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--hospital", action="append", metavar="CODE", help="Only these")
        parser.add_argument(
            "--deep", action="store_true", help="also compare each schema with the template's"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hospitals = Hospital.objects.order_by("code")
        if options["hospital"]:
            hospitals = hospitals.filter(code__in=[c.upper() for c in options["hospital"]])
        row = "{:<12} {:<28} {:<44} {:>6}  {}"
        self.stdout.write(row.format("CODE", "HOSPITAL", "STATUS", "TABLES", "UNAPPLIED"))
        not_ready = 0
        for hospital in hospitals:
            status = hospital_database_status(hospital, deep=options["deep"])
            not_ready += not status.is_ready
            label = status.label + (f" ({status.detail})" if status.detail else "")
            line = row.format(
                hospital.code,
                hospital.name[:28],
                label[:44],
                status.table_count,
                ", ".join(status.unapplied) or "-",
            )
            self.stdout.write(
                self.style.SUCCESS(line) if status.is_ready else self.style.ERROR(line)
            )
            if status.state == "drift":
                for difference in status.detail.split(": ", 1)[1].split("; "):
                    self.stdout.write(f"{'':<12} - {difference}")
        if not_ready:
            raise CommandError(f"{not_ready} hospital(s) not ready", returncode=1)
