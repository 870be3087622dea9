from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.exceptions import HMSError
from apps.tenancy.management.commands._progress import TerminalReporter
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning import hospital_provision
from apps.tenancy.services import hospital_create


class Command(BaseCommand):
    help = (
        "Create a hospital and provision its database inline: create, migrate, seed "
        "reference data, create its administrator, verify, move into place."
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

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            hospital = hospital_create(
                name=options["name"],
                subdomain=options["subdomain"],
                code=options["code"],
                plan=options["plan"],
                admin_name=options["admin_name"],
                admin_email=options["admin_email"],
            )
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
