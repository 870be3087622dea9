from __future__ import annotations

import uuid
import zoneinfo
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.tenancy.hosts import hospitals_changed


@cache
def time_zone_names() -> frozenset[str]:
    """Every IANA time zone this machine knows (the system's tzdata or the tzdata wheel)."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    # Not shown to people: the forms offer the zones as choices, refused in Django's own
    # words first; this guards the row against code that sets a name by hand.
    if value not in time_zone_names():
        raise ValidationError(f"Unknown time zone {value!r} (use an IANA name such as Asia/Baku).")


def default_time_zone() -> str:
    """A new hospital's time zone unless chosen: the platform's (HMS_TIME_ZONE). A
    callable, so the migration does not freeze the value of the machine that made it."""
    return str(settings.TIME_ZONE)


class HospitalQuerySet(models.QuerySet["Hospital"]):
    def update(self, **kwargs: Any) -> int:
        """An update of hospitals (their status, by the job runner ...) reaches the host
        cache like a save does."""
        updated = super().update(**kwargs)
        hospitals_changed()
        return updated


class Hospital(models.Model):
    """A tenant: one hospital with a database of its own (see apps.tenancy.connections)."""

    class Status(models.TextChoices):
        PROVISIONING = "provisioning", _("Provisioning")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Error")

    class Plan(models.TextChoices):
        BASIC = "basic", _("Basic")
        STANDARD = "standard", _("Standard")
        PREMIUM = "premium", _("Premium")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        help_text=_("Short upper-case code, e.g. CGH001; prefixes patient numbers."),
    )
    subdomain = models.CharField(
        _("subdomain"),
        max_length=63,
        unique=True,
        help_text=_("The first part of the hospital's web address, e.g. city-general."),
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PROVISIONING, db_index=True
    )
    plan = models.CharField(_("plan"), max_length=20, choices=Plan.choices, default=Plan.STANDARD)
    enabled_modules = models.JSONField(
        _("enabled modules"),
        default=list,
        blank=True,
        help_text=_("The staff modules this hospital subscribes to."),
    )
    #: what the hospital's staff see until they choose a language of their own (chosen
    #: when the hospital is added; English by default like the platform's LANGUAGE_CODE)
    language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    #: ISO 4217 code every amount of this hospital is shown in (see the ``money`` filter)
    currency = models.CharField(_("currency"), max_length=3, default="AZN")
    #: the hospital's clock: every time is stored in UTC and shown, typed and printed in
    #: this zone, and "today" is the day by it (activated by tenant_context; read through
    #: ``Hospital.zone``)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    #: printed under the name in the print header of every printable page
    address = models.CharField(_("address"), max_length=300, blank=True)
    #: the print header's telephone and tax identification number (VÖEN in Azerbaijan):
    #: an invoice or receipt handed to a patient or an insurer must carry both
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    tax_id = models.CharField(_("tax ID (VÖEN)"), max_length=20, blank=True)
    admin_name = models.CharField(_("administrator's name"), max_length=150, blank=True)
    admin_email = models.EmailField(_("administrator's email"), blank=True)
    # A staff session left open on a ward computer ends after this long without a
    # request (apps.accounts.middleware.SessionIdleTimeoutMiddleware).
    session_idle_minutes = models.PositiveIntegerField(
        _("staff session idle timeout (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    #: where the hospital's database lives: "" the local SQLite directory, else a
    #: PostgreSQL server's key (pg1, pg2 … in the order of HMS_TENANT_SERVERS); see
    #: apps.tenancy.storage
    server = models.CharField(_("database server"), max_length=16, blank=True, default="")
    #: hash of the tenant migration state last applied to this hospital's database; lets
    #: a fleet check recognise an up-to-date hospital without loading migrations
    migration_state = models.CharField(max_length=64, blank=True, editable=False)
    #: how the database's schema differs from what its migrations produce, one line per
    #: difference, as the last verify found it ("" = none found);
    #: see apps.tenancy.provisioning.schema
    schema_drift = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HospitalQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitals")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def host(self) -> str:
        return f"{self.subdomain}.{settings.HMS_BASE_DOMAIN}"

    @property
    def url(self) -> str:
        port = settings.HMS_PORT
        default_port = {"http": 80, "https": 443}.get(settings.HMS_PUBLIC_SCHEME)
        suffix = "" if port == default_port else f":{port}"
        return f"{settings.HMS_PUBLIC_SCHEME}://{self.host}{suffix}/"

    def module_enabled(self, key: str) -> bool:
        return key in self.enabled_modules

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The hospital's time zone: the one accessor for it (a zone this machine does
        not know — a row from a machine with newer tzdata — falls back to the platform's)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(str(settings.TIME_ZONE))


class HospitalLogo(models.Model):
    """The hospital's optional logo for the print header, kept in the platform database
    beside the hospital (served by a view, so it needs no shared media disk and works
    with DEBUG off). A row of its own keeps the bytes out of every Hospital query."""

    hospital = models.OneToOneField(
        Hospital, on_delete=models.CASCADE, primary_key=True, related_name="logo"
    )
    content_type = models.CharField(max_length=50)
    data = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"logo of {self.hospital_id}"


class ProvisioningJob(models.Model):
    """One long operation on a hospital's database, run by a Celery worker.

    The row, not the broker, is the source of truth: a worker claims a queued job with a
    conditional UPDATE, writes its progress and heartbeat here, and a task whose job is
    already running, finished or failed exits without touching anything. The database
    allows one active (queued or running) job per hospital.
    """

    class Kind(models.TextChoices):
        CREATE = "create", _("Provision new hospital")
        CREATE_DATABASE = "create_database", _("Create missing database")
        MIGRATE = "migrate", _("Migrate")
        VERIFY = "verify", _("Verify")
        SYNC = "sync", _("Sync reference data")
        RECREATE = "recreate", _("Recreate database")
        RESTORE = "restore", _("Restore from a backup")
        REPAIR = "repair", _("Repair schema drift")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    #: label of the step running now (or that failed)
    step = models.CharField(max_length=100, blank=True)
    #: what the step is doing, e.g. "applying patients.0003 — 14/52"
    message = models.CharField(max_length=300, blank=True)
    #: one entry per step: {"key", "label", "status", "duration", "summary"}
    log = models.JSONField(default=list, blank=True)
    #: one line on the outcome ("3 migrations applied", "already up to date")
    summary = models.CharField(max_length=300, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provisioning_jobs",
    )
    #: jobs started together (an admin action, a fleet migrate) share a batch
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    retry_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="retries"
    )
    #: the Celery task that claimed the job (a reaper takes over with its own id)
    task_id = models.CharField(max_length=64, blank=True)
    #: the copy of the database taken first (recreate keeps it; migrate restores it)
    backup_path = models.CharField(max_length=500, blank=True)
    #: identity ("device:inode") of the new database a recreate is about to move into
    #: place, written just before the move: the reaper compares it with the file in
    #: place to know whether the move happened
    replacement = models.CharField(max_length=64, blank=True)
    #: restore: the backup file written over the hospital's database
    source_path = models.CharField(max_length=500, blank=True)
    admin_username = models.CharField(max_length=150, blank=True)
    #: hash (never the clear text) of the password the worker gives a new administrator
    admin_password_hash = models.CharField(max_length=256, blank=True, editable=False)
    admin_must_change_password = models.BooleanField(default=True)
    #: whether this job gave the administrator that password (so it may be shown)
    admin_password_applied = models.BooleanField(default=False)
    fast_path = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_attempted_at = models.DateTimeField(null=True, blank=True)
    dispatch_error = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["hospital"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_job_per_hospital",
                violation_error_message="This hospital already has a job in progress.",
            )
        ]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="tenancy_job_status_beat"),
            models.Index(fields=["hospital", "-created_at"], name="tenancy_job_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.hospital.name}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_finished(self) -> bool:
        return not self.is_active

    @property
    def duration(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.finished_at or self.heartbeat_at
        return (end - self.started_at).total_seconds() if end else None

    @property
    def creates_hospital(self) -> bool:
        return self.kind in (self.Kind.CREATE, self.Kind.CREATE_DATABASE, self.Kind.RECREATE)


class ServiceHeartbeat(models.Model):
    """When a background service was last seen: ``worker`` (a worker ran the maintenance
    task the beat sends every few seconds) and ``beat`` (the beat sent a periodic task).
    Read by /healthz and the admin's "no worker" banner (apps/tenancy/jobs/health.py)."""

    name = models.CharField(max_length=32, primary_key=True)
    seen_at = models.DateTimeField()
    #: which process: the worker's host name, the beat's pid
    detail = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.name} seen at {self.seen_at:%Y-%m-%d %H:%M:%S}"
