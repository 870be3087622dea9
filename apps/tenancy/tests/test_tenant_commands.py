from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from apps.tenancy.connections import hospital_alias
from apps.tenancy.models import Hospital
from apps.tenancy.tests.databases import database_remove


def verify() -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("verify_tenants", stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def unmigrate_regions(hospital: Hospital) -> list[str]:
    """Unapply regions (and whatever depends on it); returns the migrations undone."""
    alias = hospital_alias(hospital)
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan([("regions", None)])
    executor.migrate([("regions", None)])
    connections[alias].close()
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def test_verify_reports_ready_hospitals_and_exits_zero(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    output, code = verify()
    assert code == 0
    assert output.count("Ready") == 2
    assert hospital_a.code in output and hospital_b.code in output


def test_verify_reports_a_missing_database_and_exits_one(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    database_remove(hospital_b)
    output, code = verify()
    assert code == 1
    line = next(line for line in output.splitlines() if hospital_b.code in line)
    assert "Missing" in line


def test_verify_counts_unapplied_migrations(hospital_a: Hospital) -> None:
    undone = unmigrate_regions(hospital_a)
    output, code = verify()
    assert code == 1
    assert f"Incomplete: {len(undone)} unapplied migrations" in output
    assert "regions.0001_initial" in output


def test_migrate_tenants_applies_pending_migrations(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    undone = unmigrate_regions(hospital_a)
    out = StringIO()
    call_command("migrate_tenants", "--hospital", hospital_a.code, stdout=out)
    assert f"applying regions.0001_initial — 1/{len(undone)}" in out.getvalue()
    assert f"{hospital_a.code}: {len(undone)} migrations applied" in out.getvalue()
    assert hospital_b.code not in out.getvalue()
    assert verify()[1] == 0


def test_migrate_tenants_refuses_an_unknown_code(hospital_a: Hospital) -> None:
    with pytest.raises(CommandError, match="Unknown hospital code"):
        call_command("migrate_tenants", "--hospital", "NOPE1", stdout=StringIO())


def tenant_job(*args: str) -> str:
    out = StringIO()
    call_command("tenant_job", *args, stdout=out)
    return out.getvalue()


def test_tenant_job_queues_a_job_for_the_worker(hospital_a: Hospital) -> None:
    from apps.tenancy.models import ProvisioningJob

    output = tenant_job("verify", hospital_a.code.lower(), "--no-follow")
    job = ProvisioningJob.objects.get()
    assert (job.hospital, job.kind, job.status) == (hospital_a, "verify", "queued")
    assert f"Queued job {job.pk}: Verify {hospital_a.code}" in output


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["verify", "NOPE1"], "Unknown hospital code: NOPE1"),
        (["recreate", "CGH001"], "Type the subdomain 'city-general'"),
        (["create-database", "CGH001"], "already has a database"),
        (["retry", "not-a-job"], "is not a job id"),
        (["retry", "00000000-0000-0000-0000-000000000000"], "There is no such job"),
    ],
)
def test_tenant_job_refuses_with_a_reason(
    hospital_a: Hospital, args: list[str], reason: str
) -> None:
    with pytest.raises(CommandError, match=re.escape(reason)):
        tenant_job(*args, "--no-follow")
