"""Backups of hospital databases, and restoring one.

A backup is a consistent copy taken by the hospital's storage (``apps.tenancy.storage``:
owner-only, fsynced, under its final name only once complete), checked before it is
called a backup: the storage reads it back (for SQLite: the integrity check), and it
holds the same rows in every table as the database it was taken from. The beat takes a
scheduled backup of every ready hospital every night (HMS_BACKUP_HOUR) and removes
scheduled backups older than HMS_BACKUP_RETENTION_DAYS (the newest is always kept);
backups taken before a recreate, a migrate or a restore, by hand or before a delete are
never removed automatically.

A restore is a job (kind ``restore``: one at a time per hospital, the hospital offline
meanwhile, reaped like a migrate if its worker dies): the file is checked, the current
database copied aside, the backup written over it by the storage, and the result checked
against the file — any failure writes the copy taken aside back.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.tenancy.connections import hospital_alias
from apps.tenancy.exceptions import ProvisioningError
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.backups import (
    backup_path,
    backups_dir,
    database_copy,
    database_restore,
    display_path,
)
from apps.tenancy.provisioning.migrations_state import (
    recorded_migrations,
    tenant_migration_names,
    tenant_migration_state,
)
from apps.tenancy.provisioning.pipeline import verify_alias
from apps.tenancy.provisioning.steps import Reporter, Step, StepRunner, silent
from apps.tenancy.status import hospital_mark_ready
from apps.tenancy.storage import database_name, storage_for

logger = logging.getLogger(__name__)

#: the reason of the backups the beat takes (and prunes)
SCHEDULED = "scheduled"
_BACKUP_NAME = re.compile(
    r"^hospital_(?P<code>[a-z0-9]+)\.(?P<stamp>\d{8}-\d{6})\.[0-9a-f]+\.before-(?P<reason>[a-z-]+)"
    r"(?P<suffix>\.[a-z0-9]+)$"
)


class BackupError(ProvisioningError):
    """A backup could not be taken, or a file is not a sound backup of a hospital."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    code: str
    taken_at: datetime
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def display(self) -> str:
        return display_path(self.path)


# -- checking a backup file -------------------------------------------------------------


def database_file_check(hospital: Hospital, path: Path) -> dict[str, int]:
    """Check that the file ``path`` is a sound backup of a hospital database on
    ``hospital``'s storage (readable, undamaged), recording no migration this code does
    not know (a backup from before later migrations is fine: a migrate brings it up to
    date). Returns its row counts."""
    step = "Check the backup"
    if not path.is_file():
        raise BackupError(f"{path} does not exist", step=step)
    try:
        contents = storage_for(hospital).backup_check(path)
    except ValueError as exc:
        raise BackupError(str(exc), step=step) from exc
    unknown = sorted(
        f"{app}.{name}" for app, name in contents.migrations - tenant_migration_names()
    )
    if unknown:
        raise BackupError(
            f"{path.name} has migrations this version does not know: {', '.join(unknown[:5])}",
            step=step,
        )
    return dict(contents.row_counts)


def _same_rows(expected: dict[str, int], actual: dict[str, int], what: str, step: str) -> None:
    if expected != actual:
        differing = sorted(
            table
            for table in expected.keys() | actual.keys()
            if expected.get(table) != actual.get(table)
        )
        raise BackupError(f"{what} differs in {', '.join(differing[:5])}", step=step)


def _live_row_counts(hospital: Hospital) -> dict[str, int]:
    return storage_for(hospital).row_counts(database_name(hospital))


# -- backups ----------------------------------------------------------------------------


def hospital_backup(hospital: Hospital, *, reason: str = "backup") -> Path:
    """Take a checked backup of ``hospital``'s database into the backups directory;
    returns its path. Raises BackupError (and keeps nothing) if the copy is not sound."""
    storage, name = storage_for(hospital), database_name(hospital)
    if not storage.exists(name):
        raise BackupError(f"{hospital.name} has no database to back up", step="Back up")
    target = backup_path(hospital, reason)
    expected = storage.counted_backup(name, target)
    try:
        # Read back: sound, and the same rows as the database had when it was copied.
        _same_rows(
            expected, database_file_check(hospital, target), "the backup read back", "Back up"
        )
    except Exception:
        target.unlink(missing_ok=True)
        raise
    logger.info("backed up %s to %s", hospital.code, display_path(target))
    return target


def hospital_backups(hospital: Hospital) -> list[BackupFile]:
    """The hospital's backups, newest first."""
    directory = backups_dir()
    if not directory.is_dir():
        return []
    found = []
    suffix = storage_for(hospital).backup_suffix
    for path in directory.glob(f"hospital_{hospital.code.lower()}.*"):
        match = _BACKUP_NAME.match(path.name)
        if match is None or match["code"] != hospital.code.lower() or match["suffix"] != suffix:
            continue
        # stamped in UTC (backups.backup_path), whatever zone is active here
        taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            continue
        found.append(BackupFile(path, hospital.code, taken, match["reason"], size))
    return sorted(found, key=lambda backup: (backup.taken_at, backup.name), reverse=True)


def hospital_backup_find(hospital: Hospital, name: str) -> BackupFile | None:
    """One of the hospital's backups by file name (never a path from outside)."""
    return next((b for b in hospital_backups(hospital) if b.name == name), None)


def backups_prune(hospital: Hospital, *, now: datetime | None = None) -> int:
    """Remove the hospital's scheduled backups older than the retention, always keeping
    the newest; returns how many were removed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HMS_BACKUP_RETENTION_DAYS)
    scheduled = [b for b in hospital_backups(hospital) if b.reason == SCHEDULED]
    removed = 0
    for backup in scheduled[1:]:
        if backup.taken_at < cutoff:
            backup.path.unlink(missing_ok=True)
            removed += 1
    return removed


def _scheduled_backup_due(hospital: Hospital, now: datetime) -> bool:
    """At HMS_BACKUP_HOUR by the hospital's clock (its night, not the platform's), once
    (none in the last 23 h); at any hour when the last one is more than 26 h old or there
    is none (a night was missed, or a new hospital)."""
    latest = next((b for b in hospital_backups(hospital) if b.reason == SCHEDULED), None)
    if latest is None or now - latest.taken_at > timedelta(hours=26):
        return True
    at_backup_hour = timezone.localtime(now, hospital.zone).hour == settings.HMS_BACKUP_HOUR
    return at_backup_hour and now - latest.taken_at >= timedelta(hours=23)


@dataclass(frozen=True)
class ScheduledBackups:
    taken: list[Path]
    failed: dict[str, str]
    pruned: int


def hospitals_backup_scheduled(*, now: datetime | None = None) -> ScheduledBackups:
    """The beat's nightly backup: every ready hospital with no job in progress whose
    backup is due (``_scheduled_backup_due``) gets one; old scheduled backups are pruned.
    Run every HMS_BACKUP_CHECK_SECONDS, so a night missed while no worker ran is caught
    up at the next run."""
    now = now or timezone.now()
    taken: list[Path] = []
    failed: dict[str, str] = {}
    pruned = 0
    busy = ProvisioningJob.objects.filter(status__in=ProvisioningJob.ACTIVE_STATUSES)
    hospitals = Hospital.objects.filter(status=Hospital.Status.READY).exclude(
        pk__in=busy.values("hospital_id")
    )
    for hospital in hospitals.order_by("code"):
        if _scheduled_backup_due(hospital, now):
            try:
                taken.append(hospital_backup(hospital, reason=SCHEDULED))
            except Exception as exc:
                logger.exception("scheduled backup of %s failed", hospital.code)
                failed[hospital.code] = str(exc)
        pruned += backups_prune(hospital, now=now)
    return ScheduledBackups(taken, failed, pruned)


# -- restore ----------------------------------------------------------------------------

RESTORE_STEPS = (
    Step("check", gettext_noop("Check the backup"), 20),
    Step("backup", gettext_noop("Copy the current database aside"), 20),
    Step("restore", gettext_noop("Write the backup in place"), 40),
    Step("verify", gettext_noop("Verify database"), 20),
)


def hospital_restore(
    hospital: Hospital, *, source: Path, safety_copy: Path, report: Reporter = silent
) -> str:
    """Write the backup ``source`` over ``hospital``'s database (see the module
    docstring); the current database goes to ``safety_copy`` first and is written back
    if anything fails. Returns a one-line summary."""
    runner = StepRunner(RESTORE_STEPS, report)
    with runner.step("check") as step:
        expected = database_file_check(hospital, source)
        step.summary = f"{source.name}: sound, {sum(expected.values())} rows"
    had_database = storage_for(hospital).exists(database_name(hospital))
    with runner.step("backup") as step:
        if had_database:
            database_copy(hospital, safety_copy)
            step.summary = f"copied to {display_path(safety_copy)}"
        else:
            step.summary = "no database in place; nothing to copy"
    try:
        with runner.step("restore") as step:
            database_restore(source, hospital)
            step.summary = f"{display_path(source)} written in place"
        with runner.step("verify") as step:
            _same_rows(expected, _live_row_counts(hospital), "the restored database", "Verify")
            behind = tenant_migration_names() - recorded_migrations(hospital_alias(hospital))
            if not behind:
                step.summary = verify_alias(hospital_alias(hospital))
            else:
                step.summary = f"same rows as the backup; {len(behind)} migrations to apply"
    except ProvisioningError as exc:
        if not had_database:
            raise
        try:
            database_restore(safety_copy, hospital)
        except Exception as restore_error:
            raise ProvisioningError(
                f"{exc.message}; writing back the database copied aside failed too "
                f"({restore_error}) — it is kept at {display_path(safety_copy)}",
                step=exc.step,
            ) from exc
        safety_copy.unlink(missing_ok=True)
        raise ProvisioningError(
            f"{exc.message} — the database as it was before the restore is back in place",
            step=exc.step,
        ) from exc
    hospital_mark_ready(
        hospital=hospital, migration_state="" if behind else tenant_migration_state()
    )
    kept = f"; the database it replaced is kept at {display_path(safety_copy)}"
    pending = f" ({len(behind)} migrations to apply: run Migrate)" if behind else ""
    return f"{hospital.name} restored from {source.name}{pending}{kept if had_database else ''}"
