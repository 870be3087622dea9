"""Backups and restores: a checked copy, a verified round trip, the nightly schedule
with its retention, and a restore that fails leaving the database as it was."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.core.exceptions import ValidationError
from apps.tenancy.jobs.services import job_enqueue
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning import recovery
from apps.tenancy.provisioning.backups import backups_dir
from apps.tenancy.provisioning.recovery import (
    BackupError,
    hospital_backup,
    hospital_backups,
    hospitals_backup_scheduled,
)
from apps.tenancy.storage import storage_for
from apps.tenancy.tests.conftest import make_platform_user, run
from apps.tenancy.tests.test_jobs import db_execute, db_rows

Kind = ProvisioningJob.Kind
Status = ProvisioningJob.Status
REGIONS = "SELECT code FROM regions_region WHERE is_canonical = FALSE ORDER BY code"


def own_region(hospital: Hospital, code: str) -> None:
    db_execute(
        hospital,
        "INSERT INTO regions_region (name, code, is_canonical, is_active) "
        f"VALUES ('Region {code}', '{code}', FALSE, TRUE)",
    )


def command(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_a_backup_restored_by_the_commands_brings_back_exactly_what_was_backed_up(
    hospital_a: Hospital,
) -> None:
    own_region(hospital_a, "AAA")
    printed = command("backup_hospital", hospital_a.code)
    backup = Path(printed.strip().splitlines()[-1])
    assert backup.parent == backups_dir() and backup.stat().st_mode & 0o777 == 0o600
    own_region(hospital_a, "BBB")  # written after the backup
    db_execute(hospital_a, "DELETE FROM regions_region WHERE code = 'AAA'")

    output = command("restore_hospital", hospital_a.code, str(backup))

    assert f"{hospital_a.name} restored from {backup.name}" in output
    assert db_rows(hospital_a, REGIONS) == [("AAA",)]
    hospital_a.refresh_from_db()
    assert hospital_a.status == Hospital.Status.READY
    job = hospital_a.jobs.get(kind=Kind.RESTORE)
    assert job.status == Status.SUCCEEDED
    # the database it replaced is kept, and is itself a sound backup holding BBB
    aside = Path(job.backup_path)
    assert aside.exists()
    # (canonical regions and BBB, as many as the live canonical ones and AAA)
    regions_now = len(db_rows(hospital_a, "SELECT id FROM regions_region"))
    assert storage_for(hospital_a).backup_check(aside).row_counts["regions_region"] == regions_now


def test_a_damaged_file_is_refused_and_the_database_is_untouched(
    hospital_a: Hospital, tmp_path: Path
) -> None:
    own_region(hospital_a, "AAA")
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(CommandError, match="Check the backup failed"):
        command("restore_hospital", hospital_a.code, str(damaged))
    assert db_rows(hospital_a, REGIONS) == [("AAA",)]
    hospital_a.refresh_from_db()
    assert hospital_a.status == Hospital.Status.READY


def test_a_restore_that_fails_after_writing_puts_the_database_as_it_was_back(
    hospital_a: Hospital, monkeypatch: Any
) -> None:
    backup = hospital_backup(hospital_a)
    own_region(hospital_a, "NEW")
    monkeypatch.setattr(recovery, "_live_row_counts", lambda hospital: {"nonsense": 1})
    job = run(job_enqueue(hospital=hospital_a, kind=Kind.RESTORE, source_path=backup))
    assert job.status == Status.FAILED
    assert "the database as it was before the restore is back in place" in job.error
    assert db_rows(hospital_a, REGIONS) == [("NEW",)]
    hospital_a.refresh_from_db()
    assert hospital_a.status == Hospital.Status.READY


def test_a_backup_of_a_hospital_without_a_database_is_refused(hospital_a: Hospital) -> None:
    from apps.tenancy.tests.databases import database_remove

    database_remove(hospital_a)
    with pytest.raises(BackupError, match="no database"):
        hospital_backup(hospital_a)


def test_a_restore_asked_by_a_person_needs_a_superuser_and_the_subdomain_typed(
    hospital_a: Hospital,
) -> None:
    backup = hospital_backup(hospital_a)
    operator = make_platform_user(superuser=False, username="operator")
    with pytest.raises(PermissionDenied):
        job_enqueue(
            hospital=hospital_a, kind=Kind.RESTORE, source_path=backup, requested_by=operator,
            confirm_subdomain=hospital_a.subdomain,
        )  # fmt: skip
    root = make_platform_user(superuser=True, username="root")
    with pytest.raises(ValidationError, match="Type the subdomain"):
        job_enqueue(
            hospital=hospital_a, kind=Kind.RESTORE, source_path=backup, requested_by=root,
            confirm_subdomain="city",
        )  # fmt: skip
    assert not hospital_a.jobs.exists()


def age_backup(path: Path, *, days: float) -> Path:
    """Rename a backup as if taken ``days`` ago (the time is in its name)."""
    stamp = (timezone.localtime() - timedelta(days=days)).strftime("%Y%m%d-%H%M%S")
    prefix, _, rest = path.name.split(".", 2)
    older = path.with_name(f"{prefix}.{stamp}.{rest}")
    path.rename(older)
    return older


def test_the_nightly_backup_covers_every_ready_hospital_once_and_keeps_the_retention(
    hospital_a: Hospital, hospital_b: Hospital, settings: Any
) -> None:
    settings.HMS_BACKUP_RETENTION_DAYS = 14
    first = hospitals_backup_scheduled()
    assert len(first.taken) == 2 and first.failed == {}
    assert hospitals_backup_scheduled().taken == []  # not due again the same day

    (recent,) = [b.path for b in hospital_backups(hospital_a)]
    old = age_backup(hospital_backup(hospital_a, reason="scheduled"), days=20)
    manual_old = age_backup(hospital_backup(hospital_a, reason="backup"), days=30)
    age_backup(recent, days=1.5)  # a night was missed: due again at any hour
    again = hospitals_backup_scheduled()

    assert [p.name.split(".")[0] for p in again.taken] == [f"hospital_{hospital_a.code.lower()}"]
    assert again.pruned == 1 and not old.exists()
    assert manual_old.exists()  # only scheduled backups expire
    reasons = [b.reason for b in hospital_backups(hospital_a)]
    assert reasons.count("scheduled") == 2


def test_the_only_scheduled_backup_is_kept_however_old(hospital_a: Hospital, settings: Any) -> None:
    settings.HMS_BACKUP_RETENTION_DAYS = 1
    only = age_backup(hospital_backup(hospital_a, reason="scheduled"), days=30)
    hospital_a.status = Hospital.Status.FAILED  # not backed up again: not ready
    Hospital.objects.filter(pk=hospital_a.pk).update(status=Hospital.Status.FAILED)
    assert hospitals_backup_scheduled().pruned == 0
    assert only.exists()


# -- the admin ----------------------------------------------------------------------------


def backups_url(hospital: Hospital) -> str:
    return f"/admin/tenancy/hospital/{hospital.pk}/backups/"


def test_the_admin_lists_a_hospitals_backups_and_takes_one_now(
    hospital_a: Hospital, platform_client: Any
) -> None:
    response = platform_client.post(backups_url(hospital_a))
    assert response.status_code == 302
    (backup,) = hospital_backups(hospital_a)
    page = platform_client.get(backups_url(hospital_a)).content.decode()
    assert backup.display in page
    assert f"{backups_url(hospital_a)}{backup.name}/restore/" in page
    change = platform_client.get(f"/admin/tenancy/hospital/{hospital_a.pk}/change/")
    assert backups_url(hospital_a) in change.content.decode()


def test_a_superuser_restores_a_backup_after_typing_the_subdomain(
    hospital_a: Hospital, platform_client: Any
) -> None:
    backup = hospital_backup(hospital_a)
    url = f"{backups_url(hospital_a)}{backup.name}/restore/"
    assert "Type the hospital" in platform_client.get(url).content.decode()
    wrong = platform_client.post(url, {"confirm": "city"})
    assert wrong.status_code == 200
    assert f"Type {hospital_a.subdomain} exactly" in wrong.content.decode()
    assert not hospital_a.jobs.exists()

    response = platform_client.post(url, {"confirm": hospital_a.subdomain})

    job = hospital_a.jobs.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/tenancy/provisioningjob/{job.pk}/change/"
    assert (job.kind, job.source_path) == (Kind.RESTORE, str(backup))
    assert run(job).status == Status.SUCCEEDED


def test_only_a_superuser_may_restore_and_only_the_hospitals_own_backups(
    hospital_a: Hospital, hospital_b: Hospital, platform_client: Any, operator_client: Any
) -> None:
    backup = hospital_backup(hospital_a)
    url = f"{backups_url(hospital_a)}{backup.name}/restore/"
    assert operator_client.get(backups_url(hospital_a)).status_code == 200
    assert "/restore/" not in operator_client.get(backups_url(hospital_a)).content.decode()
    assert operator_client.get(url).status_code == 403
    assert operator_client.post(url, {"confirm": hospital_a.subdomain}).status_code == 403
    other = f"{backups_url(hospital_b)}{backup.name}/restore/"
    assert platform_client.get(other).status_code == 404
    not_a_backup = f"{backups_url(hospital_a)}hospital_{hospital_a.code.lower()}.sqlite3/restore/"
    assert platform_client.get(not_a_backup).status_code == 404  # the live file is no backup
    assert not hospital_a.jobs.exists()
