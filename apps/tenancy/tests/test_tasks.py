"""Task bodies, run eagerly in this process (the real worker is in ``integration/``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from apps.tenancy.context import current_hospital
from apps.tenancy.hospital_task import HospitalTask
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.services import hospital_add
from apps.tenancy.tasks import maintain_jobs, run_job
from worker import app as celery_app


@celery_app.task(base=HospitalTask, bind=True, name="tests.tenancy.current_hospital_code")
def current_hospital_code(self: Any, *, hospital_id: str) -> str | None:
    hospital = current_hospital()
    return hospital.code if hospital else None


def test_a_hospital_task_runs_inside_the_tenant_context_of_the_hospital_it_names(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    assert current_hospital_code.apply(kwargs={"hospital_id": str(hospital_b.pk)}).get() == (
        hospital_b.code
    )
    assert current_hospital() is None  # and leaves no hospital selected behind


def test_a_hospital_task_for_a_hospital_that_no_longer_exists_does_nothing(db: None) -> None:
    result = current_hospital_code.apply(
        kwargs={"hospital_id": "00000000-0000-0000-0000-000000000000"}
    ).get()
    assert result == "skipped: hospital gone"


def test_tasks_acknowledge_late_and_are_requeued_when_their_worker_dies() -> None:
    assert run_job.acks_late
    assert run_job.reject_on_worker_lost


def test_run_job_provisions_and_returns_nothing_secret(db: None) -> None:
    added = hospital_add(name="Harbour View Hospital", subdomain="harbour")
    result = run_job.apply(
        kwargs={"job_id": str(added.job.pk), "hospital_id": str(added.hospital.pk)}
    ).get()
    assert result == "succeeded"
    added.hospital.refresh_from_db()
    assert added.hospital.status == Hospital.Status.READY


def test_maintain_jobs_reaps_jobs_whose_worker_stopped(db: None) -> None:
    added = hospital_add(name="Harbour View Hospital", subdomain="harbour")
    long_ago = timezone.now() - timedelta(minutes=5)
    ProvisioningJob.objects.filter(pk=added.job.pk).update(
        status=ProvisioningJob.Status.RUNNING, task_id="gone", heartbeat_at=long_ago
    )
    maintain_jobs.apply().get()
    assert ProvisioningJob.objects.get(pk=added.job.pk).status == ProvisioningJob.Status.FAILED
