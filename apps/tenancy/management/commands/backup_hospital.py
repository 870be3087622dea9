from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.exceptions import HMSError
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.backups import display_path
from apps.tenancy.provisioning.recovery import hospital_backup, hospital_backups


class Command(BaseCommand):
    help = (
        "Back up a hospital's database into tenant_databases/backups/ (a consistent copy, "
        "checked: SQLite's integrity check and the same rows as the database), and print "
        "its path — the FILE that restore_hospital takes. --list shows its backups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the hospital's code, e.g. CGH001")
        parser.add_argument("--list", action="store_true", help="list the backups instead")

    def handle(self, *args: Any, **options: Any) -> None:
        hospital = Hospital.objects.filter(code=options["code"].upper()).first()
        if hospital is None:
            raise CommandError(f"Unknown hospital code: {options['code']}")
        if options["list"]:
            for backup in hospital_backups(hospital):
                self.stdout.write(
                    f"{backup.taken_at:%Y-%m-%d %H:%M:%S}  {backup.reason:<16} "
                    f"{backup.size // 1024:>8} KiB  {backup.path}"
                )
            return
        try:
            path = hospital_backup(hospital, reason="backup")
        except HMSError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"{hospital.name} backed up to {display_path(path)}"))
        self.stdout.write(str(path))
