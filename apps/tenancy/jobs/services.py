"""Starting jobs on hospitals: every long operation on a hospital's database is a
ProvisioningJob, checked here (may this hospital get this job now, and may this person
ask for it), saved, and sent to the worker once the transaction that created it commits
(``apps.tenancy.jobs.dispatch``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core.exceptions import Conflict, ValidationError
from apps.platform_audit.models import PlatformEvent
from apps.platform_audit.services import platform_event_record
from apps.tenancy.hooks import PasswordHash
from apps.tenancy.jobs.dispatch import job_dispatch
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.migrations_state import tenant_migration_state
from apps.tenancy.storage import database_name, storage_for

if TYPE_CHECKING:
    from apps.accounts.models import User

Kind = ProvisioningJob.Kind


def _check_job_allowed(
    hospital: Hospital, kind: str, requested_by: User | None, confirm_subdomain: str | None
) -> None:
    ready = hospital.status == Hospital.Status.READY
    has_database = storage_for(hospital).exists(database_name(hospital))
    if kind == Kind.CREATE and ready:
        raise ValidationError(f"{hospital.name} is already provisioned.")
    if kind == Kind.CREATE_DATABASE and has_database:
        raise ValidationError(f"{hospital.name} already has a database.")
    if kind in (Kind.MIGRATE, Kind.SYNC) and not (ready and has_database):
        raise ValidationError(
            f"{hospital.name} is not ready ({hospital.get_status_display()}"
            f"{'' if has_database else ', no database'}); verify or recreate it first."
        )
    if kind == Kind.REPAIR:
        if requested_by is not None and not requested_by.is_superuser:
            raise PermissionDenied("Only a superuser may repair a hospital's database.")
        if not has_database:
            raise ValidationError(f"{hospital.name} has no database to repair.")
    if kind == Kind.RESTORE:
        if requested_by is not None and not requested_by.is_superuser:
            raise PermissionDenied("Only a superuser may restore a hospital's database.")
        if requested_by is not None and (confirm_subdomain or "").strip().lower() != (
            hospital.subdomain
        ):
            raise ValidationError(
                f"Type the subdomain {hospital.subdomain!r} to confirm restoring "
                f"{hospital.name}'s database.",
                field="confirm",
            )
    if kind == Kind.RECREATE:
        if requested_by is not None and not requested_by.is_superuser:
            raise PermissionDenied("Only a superuser may recreate a hospital's database.")
        if (confirm_subdomain or "").strip().lower() != hospital.subdomain:
            raise ValidationError(
                f"Type the subdomain {hospital.subdomain!r} to confirm recreating "
                f"{hospital.name}'s database.",
                field="confirm",
            )


def job_enqueue(
    *,
    hospital: Hospital,
    kind: str,
    requested_by: User | None = None,
    batch: uuid.UUID | None = None,
    retry_of: ProvisioningJob | None = None,
    admin_password: PasswordHash | None = None,
    confirm_subdomain: str | None = None,
    source_path: Path | None = None,
    dispatch: bool = True,
) -> ProvisioningJob:
    """Queue a job on ``hospital``; it is sent to the worker when the surrounding
    transaction commits (unless ``dispatch`` is false: the caller runs it inline). A
    hospital has at most one active job (a database constraint): a second one is refused
    with Conflict. Recreate needs the subdomain typed as confirmation and, from a person,
    a superuser; so does restore from a person (``source_path``: the backup file)."""
    if kind not in Kind.values:
        raise ValidationError(f"Unknown job kind {kind!r}.")
    _check_job_allowed(hospital, kind, requested_by, confirm_subdomain)
    if (kind == Kind.RESTORE) != (source_path is not None):
        raise ValidationError("A restore, and only a restore, names the backup to restore.")
    try:
        with transaction.atomic():
            job = ProvisioningJob.objects.create(
                hospital=hospital,
                kind=kind,
                requested_by=requested_by,
                batch=batch,
                retry_of=retry_of,
                admin_password_hash=admin_password.encoded if admin_password else "",
                admin_must_change_password=admin_password.must_change if admin_password else True,
                source_path=str(source_path or ""),
            )
            platform_event_record(
                kind=PlatformEvent.Kind.JOB_REQUESTED,
                summary=job.get_kind_display(),
                hospital=hospital,
                actor=requested_by,
                detail={"job": str(job.pk), "kind": kind},
            )
    except IntegrityError:
        active = hospital.jobs.filter(status__in=ProvisioningJob.ACTIVE_STATUSES).first()
        doing = f" ({active.get_kind_display().lower()}, {active.status})" if active else ""
        raise Conflict(
            f"{hospital.name} already has a job in progress{doing}; wait for it to finish."
        ) from None
    if dispatch:
        transaction.on_commit(partial(job_dispatch, job.pk))
    return job


def job_retry(*, job: ProvisioningJob, requested_by: User | None = None) -> ProvisioningJob:
    """Queue a failed job again, as a new job on the same hospital (same batch); the
    administrator's password hash moves to the new job."""
    if job.status != ProvisioningJob.Status.FAILED:
        raise ValidationError("Only a failed job can be retried.")
    secret = (
        PasswordHash(job.admin_password_hash, job.admin_must_change_password)
        if job.admin_password_hash
        else None
    )
    with transaction.atomic():
        retry = job_enqueue(
            hospital=job.hospital,
            kind=job.kind,
            requested_by=requested_by,
            batch=job.batch,
            retry_of=job,
            admin_password=secret,
            confirm_subdomain=job.hospital.subdomain,  # confirmed when first asked
            source_path=Path(job.source_path) if job.source_path else None,
        )
        ProvisioningJob.objects.filter(pk=job.pk).update(admin_password_hash="")
    return retry


@dataclass(frozen=True)
class Refusal:
    hospital: Hospital
    reason: str


@dataclass(frozen=True)
class JobBatch:
    """Jobs started together; ``refused`` lists hospitals that got none, and why."""

    batch: uuid.UUID
    jobs: list[ProvisioningJob] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def jobs_enqueue_many(
    *,
    hospitals: Iterable[Hospital],
    kind: str,
    requested_by: User | None = None,
    confirmations: dict[str, str] | None = None,
) -> JobBatch:
    """One job per hospital, all in one batch; a hospital that may not get one (busy,
    not ready ...) is refused without stopping the others."""
    result = JobBatch(batch=uuid.uuid4())
    for hospital in hospitals:
        try:
            job = job_enqueue(
                hospital=hospital,
                kind=kind,
                requested_by=requested_by,
                batch=result.batch,
                confirm_subdomain=(confirmations or {}).get(str(hospital.pk)),
            )
        except (ValidationError, Conflict) as exc:
            result.refused.append(Refusal(hospital, exc.message))
            continue
        result.jobs.append(job)
    return result


def fleet_migrate(*, hospitals: Iterable[Hospital], requested_by: User | None = None) -> JobBatch:
    """Migrate many hospitals in parallel: one job each, which the worker processes
    share out. A hospital already at the current migration state (its recorded
    ``migration_state`` hash matches; no migration is loaded to tell) gets a job
    recorded as done at once; one hospital's failure does not stop the others."""
    state = tenant_migration_state()
    result = JobBatch(batch=uuid.uuid4())
    now = timezone.now()
    up_to_date = []
    behind = []
    for hospital in hospitals:
        if hospital.status == Hospital.Status.READY and hospital.migration_state == state:
            up_to_date.append(hospital)
        else:
            behind.append(hospital)
    result.jobs.extend(
        ProvisioningJob.objects.bulk_create(
            ProvisioningJob(
                hospital=hospital,
                kind=Kind.MIGRATE,
                status=ProvisioningJob.Status.SUCCEEDED,
                percent=100,
                summary="already up to date (its recorded migration state is current)",
                requested_by=requested_by,
                batch=result.batch,
                started_at=now,
                finished_at=now,
            )
            for hospital in up_to_date
        )
    )
    for hospital in behind:
        try:
            job = job_enqueue(
                hospital=hospital, kind=Kind.MIGRATE, requested_by=requested_by, batch=result.batch
            )
        except (ValidationError, Conflict) as exc:
            result.refused.append(Refusal(hospital, exc.message))
            continue
        result.jobs.append(job)
    return result
