"""Reading the state of hospitals and their databases (jobs: ``apps.tenancy.jobs.selectors``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from apps.tenancy.connections import hospital_alias
from apps.tenancy.jobs.selectors import job_latest
from apps.tenancy.models import Hospital, ProvisioningJob
from apps.tenancy.provisioning.migrations_state import inspect_database, tenant_migration_state
from apps.tenancy.provisioning.operations import hospital_schema_drift
from apps.tenancy.storage import database_name, storage_for


@dataclass(frozen=True)
class DatabaseStatus:
    """``state`` is one of: ready, incomplete, drift, missing, error, provisioning."""

    state: str
    table_count: int = 0
    unapplied: tuple[str, ...] = field(default=())
    detail: str = ""

    @property
    def label(self) -> str:
        if self.state == "incomplete":
            return f"Incomplete: {len(self.unapplied)} unapplied migrations"
        if self.state == "drift":
            return "Schema drift"
        return self.state.capitalize()

    @property
    def is_ready(self) -> bool:
        return self.state == "ready"


def hospital_database_status(hospital: Hospital, *, deep: bool = False) -> DatabaseStatus:
    """Look at the hospital's database itself (file, tables, unapplied migrations) and,
    when ``deep``, compare its schema with the template's (tables, columns, indexes,
    constraints): a difference is the state "drift"."""
    if hospital.status == Hospital.Status.PROVISIONING:
        return DatabaseStatus("provisioning")
    try:
        storage = storage_for(hospital)
    except ImproperlyConfigured as exc:
        return DatabaseStatus("error", detail=str(exc))
    name = database_name(hospital)
    if not storage.exists(name):
        return DatabaseStatus("missing", detail=f"{storage.describe(name)} does not exist")
    try:
        inspection = inspect_database(hospital_alias(hospital))
    except DatabaseError as exc:
        return DatabaseStatus("error", detail=str(exc))
    if inspection.table_count == 0:
        return DatabaseStatus("error", detail="the database has no tables")
    if inspection.unapplied:
        return DatabaseStatus(
            "incomplete", table_count=inspection.table_count, unapplied=inspection.unapplied
        )
    if hospital.status == Hospital.Status.FAILED:
        return DatabaseStatus(
            "error", table_count=inspection.table_count, detail="the last operation failed"
        )
    if deep:
        drift = hospital_schema_drift(hospital)
        Hospital.objects.filter(pk=hospital.pk).update(schema_drift="\n".join(drift))
        if drift:
            detail = f"{len(drift)}: " + "; ".join(drift)
            return DatabaseStatus("drift", table_count=inspection.table_count, detail=detail)
    return DatabaseStatus("ready", table_count=inspection.table_count)


# -- fleet -------------------------------------------------------------------------------


def hospitals_needing_migration(
    hospitals: QuerySet[Hospital] | None = None,
) -> QuerySet[Hospital]:
    """Ready hospitals whose recorded migration state differs from the current one.

    Compares two strings per hospital in the database — no migration is loaded — so
    checking a fleet of hundreds takes milliseconds. A verify job keeps the recorded
    state honest when a database was changed behind the platform's back.
    """
    queryset = Hospital.objects.all() if hospitals is None else hospitals
    return queryset.filter(status=Hospital.Status.READY).exclude(
        migration_state=tenant_migration_state()
    )


# -- the hospital list's badges ----------------------------------------------------------


def hospitals_with_latest_job(queryset: QuerySet[Hospital]) -> QuerySet[Hospital]:
    """Annotate each hospital with its latest job's id, kind, status and percent (one
    query for a whole page, for ``hospital_badge``)."""
    latest = ProvisioningJob.objects.filter(hospital=OuterRef("pk")).order_by("-created_at")
    return queryset.annotate(
        **{
            f"latest_job_{name}": Subquery(latest.values(name)[:1])
            for name in ("id", "kind", "status", "percent")
        }
    )


@dataclass(frozen=True)
class Badge:
    """``state``: ready, provisioning, running, queued, incomplete, drift, missing or
    error."""

    state: str
    label: str
    job_id: uuid.UUID | None = None
    #: an active job: the badge is worth refreshing
    live: bool = False


def _latest_job(hospital: Hospital) -> ProvisioningJob | None:
    if not hasattr(hospital, "latest_job_id"):
        return job_latest(hospital)
    if hospital.latest_job_id is None:
        return None
    return ProvisioningJob(
        id=hospital.latest_job_id,
        hospital=hospital,
        kind=hospital.latest_job_kind,  # type: ignore[attr-defined]
        status=hospital.latest_job_status,  # type: ignore[attr-defined]
        percent=hospital.latest_job_percent,  # type: ignore[attr-defined]
    )


def hospital_badge(hospital: Hospital) -> Badge:
    """The hospital's status for the list, cheaply: its status, its latest job, one
    existence check of the database on its storage and the recorded migration state — never the
    migration executor (``hospital_database_status`` is the thorough look)."""
    job = _latest_job(hospital)
    job_id = job.pk if job else None
    active = job if job is not None and job.is_active else None
    if hospital.status == Hospital.Status.PROVISIONING:
        label = (
            _("Provisioning %(percent)d%%") % {"percent": active.percent}
            if active
            else _("Provisioning")
        )
        return Badge("provisioning", label, job_id, live=active is not None)
    if active is not None:
        kind = active.get_kind_display()
        if active.status == ProvisioningJob.Status.QUEUED:
            return Badge("queued", _("%(kind)s: queued") % {"kind": kind}, job_id, live=True)
        label = _("%(kind)s %(percent)d%%") % {"kind": kind, "percent": active.percent}
        return Badge("running", label, job_id, live=True)
    if hospital.status == Hospital.Status.FAILED:
        return Badge("error", _("Error"), job_id)
    try:
        in_place = storage_for(hospital).exists(database_name(hospital))
    except ImproperlyConfigured:
        return Badge("error", _("Database server not configured"), job_id)
    if not in_place:
        return Badge("missing", _("Missing"), job_id)
    if hospital.migration_state != tenant_migration_state():
        return Badge("incomplete", _("Incomplete: migrations pending"), job_id)
    if hospital.schema_drift:  # as the last verify found it
        return Badge("drift", _("Schema drift"), job_id)
    return Badge("ready", _("Ready"), job_id)
