from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.core.exceptions import Conflict
from apps.tenancy.jobs.services import job_enqueue
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.backups import backups_dir
from apps.tenancy.services import hospital_delete
from apps.tenancy.storage.sqlite import database_path
from apps.tenancy.tests.databases import database_exists


def delete_url(hospital: Hospital) -> str:
    return f"/admin/tenancy/hospital/{hospital.pk}/delete/"


def test_deleting_a_hospital_keeps_a_backup_of_its_database(hospital_a: Hospital) -> None:
    path = database_path(hospital_a)
    backup = hospital_delete(hospital=hospital_a)
    assert backup is not None and backup.parent == backups_dir()
    assert "before-delete" in backup.name and backup.stat().st_size > 0
    assert not path.exists()
    assert not Hospital.objects.filter(pk=hospital_a.pk).exists()
    assert not User.objects.filter(hospital_id=hospital_a.pk).exists()


def test_a_hospital_with_a_job_in_progress_is_not_deleted(hospital_a: Hospital) -> None:
    job_enqueue(hospital=hospital_a, kind=ProvisioningJob.Kind.VERIFY)
    with pytest.raises(Conflict, match="job in progress"):
        hospital_delete(hospital=hospital_a)
    assert database_exists(hospital_a)
    assert Hospital.objects.filter(pk=hospital_a.pk).exists()


def test_the_admin_delete_asks_for_confirmation_then_keeps_the_backup(
    hospital_a: Hospital, platform_client: Client, _tenant_storage: Path
) -> None:
    page = platform_client.get(delete_url(hospital_a))
    assert page.status_code == 200 and "Are you sure" in page.text
    response = platform_client.post(delete_url(hospital_a), {"post": "yes"}, follow=True)
    assert "its database is kept at" in response.text
    assert not Hospital.objects.filter(pk=hospital_a.pk).exists()
    assert list((_tenant_storage / "backups").glob("hospital_*before-delete*"))


def test_the_admin_refuses_to_delete_a_hospital_mid_job(
    hospital_a: Hospital, platform_client: Client
) -> None:
    job_enqueue(hospital=hospital_a, kind=ProvisioningJob.Kind.VERIFY)
    page = platform_client.get(delete_url(hospital_a))
    assert "a job is in progress" in page.text
    platform_client.post(delete_url(hospital_a), {"post": "yes"})
    assert Hospital.objects.filter(pk=hospital_a.pk).exists()


def test_only_superusers_may_delete_hospitals(
    hospital_a: Hospital, operator_client: Client
) -> None:
    assert operator_client.get(delete_url(hospital_a)).status_code == 403
    operator_client.post(delete_url(hospital_a), {"post": "yes"})
    assert Hospital.objects.filter(pk=hospital_a.pk).exists()


def test_a_hospital_with_finished_jobs_can_be_deleted_with_its_job_history(
    hospital_a: Hospital, platform_client: Client
) -> None:
    job = job_enqueue(hospital=hospital_a, kind=ProvisioningJob.Kind.VERIFY)
    ProvisioningJob.objects.filter(pk=job.pk).update(status=ProvisioningJob.Status.SUCCEEDED)
    page = platform_client.get(delete_url(hospital_a))
    assert "Are you sure" in page.text
    platform_client.post(delete_url(hospital_a), {"post": "yes"})
    assert not Hospital.objects.filter(pk=hospital_a.pk).exists()
    assert not ProvisioningJob.objects.filter(pk=job.pk).exists()
