"""Creating hospitals (validation of the names that become URLs and file names), adding
one with the job that provisions it, recording changes to one, and deleting one. Jobs
on hospitals are started by ``apps.tenancy.jobs.services``."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from apps.core.exceptions import Conflict, ValidationError
from apps.core.modules import all_modules
from apps.platform_audit.models import PlatformEvent
from apps.platform_audit.services import platform_event_record
from apps.tenancy.connections import (
    alias_for_code,
    forget_database,
)
from apps.tenancy.hooks import hospital_admin_provider
from apps.tenancy.jobs.services import job_enqueue
from apps.tenancy.models import Hospital, ProvisioningJob, default_time_zone, time_zone_names
from apps.tenancy.provisioning.backups import backup_path, database_copy
from apps.tenancy.storage import (
    checked_name,
    database_name,
    placement_choose,
    storage_for,
    storages,
)

if TYPE_CHECKING:
    from apps.accounts.models import User

Kind = ProvisioningJob.Kind
logger = logging.getLogger(__name__)

RESERVED_SUBDOMAINS = frozenset(
    {
        "admin",
        "www",
        "api",
        "app",
        "static",
        "media",
        "mail",
        "smtp",
        "ftp",
        "platform",
        "hms",
        "localhost",
        "login",
        "status",
        "help",
        "support",
        "docs",
        "dev",
        "test",
    }
)
_SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")


def subdomain_validate(subdomain: str) -> str:
    value = subdomain.strip().lower()
    if not _SUBDOMAIN.match(value):
        raise ValidationError(
            _(
                "Subdomain %(subdomain)r is not valid: use lower-case letters, digits and "
                "hyphens (not at the start or end), at most 63 characters."
            )
            % {"subdomain": subdomain},
            field="subdomain",
        )
    if value in RESERVED_SUBDOMAINS:
        message = _("Subdomain %(subdomain)r is reserved.") % {"subdomain": value}
        raise ValidationError(message, field="subdomain")
    if Hospital.objects.filter(subdomain=value).exists():
        message = _("Subdomain %(subdomain)r is already taken.") % {"subdomain": value}
        raise ValidationError(message, field="subdomain")
    return value


def code_validate(code: str) -> str:
    value = code.strip().upper()
    if not _CODE.match(value):
        raise ValidationError(
            _(
                "Code %(code)r is not valid: 2-16 upper-case letters and digits, starting "
                "with a letter (e.g. CGH001)."
            )
            % {"code": code},
            field="code",
        )
    if Hospital.objects.filter(code=value).exists():
        raise ValidationError(_("Code %(code)r is already taken.") % {"code": value}, field="code")
    try:
        name = checked_name(f"hospital_{value.lower()}")
    except ValidationError as exc:
        raise ValidationError(exc.message, field="code") from None
    taken_on = next((storage for storage in storages() if storage.exists(name)), None)
    if taken_on is not None:
        raise ValidationError(
            _("A database already exists for code %(code)r (%(file)s).")
            % {"code": value, "file": taken_on.describe(name)},
            field="code",
        )
    return value


def code_suggest(name: str) -> str:
    """Initials of the name and the first free number: City General Hospital → CGH001."""
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z0-9]+", name)).upper()[:6]
    if not initials or not initials[0].isalpha():
        initials = "H" + initials
    initials = initials[:12]
    taken = set(Hospital.objects.filter(code__startswith=initials).values_list("code", flat=True))
    for number in range(1, 10000):
        candidate = f"{initials}{number:03d}"
        if candidate not in taken and not database_path_exists(candidate):
            return candidate
    raise ValidationError(f"No free code for {name!r}; give one with --code.", field="code")


def database_path_exists(code: str) -> bool:
    """Whether a database for hospital code ``code`` exists on any storage."""
    name = f"hospital_{code.lower()}"
    return any(storage.exists(name) for storage in storages())


def default_modules() -> list[str]:
    return [module.key for module in all_modules()]


def hospital_create(
    *,
    name: str,
    subdomain: str,
    code: str | None = None,
    plan: str = Hospital.Plan.STANDARD,
    enabled_modules: Iterable[str] | None = None,
    admin_name: str = "",
    admin_email: str = "",
    requested_by: User | None = None,
    server: str | None = None,
    language: str = "",
    currency: str = "",
    time_zone: str = "",
) -> Hospital:
    """Validate and save a new hospital in status Provisioning; nothing else is created
    until it is provisioned, so a refusal here leaves nothing behind. Its database goes
    to ``server`` (a storage key) when given, else to the least loaded storage. Language,
    currency and time zone left empty are the model's defaults (the time zone: the
    platform's, HMS_TIME_ZONE)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("The hospital needs a name."), field="name")
    if len(name) > 200:
        raise ValidationError(_("The name is longer than 200 characters."), field="name")
    subdomain = subdomain_validate(subdomain)
    code = code_validate(code) if code else code_suggest(name)
    if plan not in Hospital.Plan.values:
        raise ValidationError(f"Unknown plan {plan!r}.", field="plan")
    chosen_server = placement_choose(server)
    modules = default_modules() if enabled_modules is None else list(enabled_modules)
    unknown = sorted(set(modules) - set(default_modules()))
    if unknown:
        raise ValidationError(f"Unknown modules: {', '.join(unknown)}.", field="enabled_modules")
    language = language or Hospital._meta.get_field("language").get_default()
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(f"Unknown language {language!r}.", field="language")
    currency = currency.strip().upper() or Hospital._meta.get_field("currency").get_default()
    if len(currency) != 3 or not currency.isalpha():
        raise ValidationError(_("Use a three-letter ISO 4217 code, e.g. AZN."), field="currency")
    time_zone = time_zone or default_time_zone()
    if time_zone not in time_zone_names():
        # as the plan's and the modules' refusals: the form's choices refuse first
        raise ValidationError(
            f"Unknown time zone {time_zone!r} (use an IANA name such as Asia/Baku).",
            field="time_zone",
        )
    if admin_email:
        try:
            validate_email(admin_email)
        except Exception:
            raise ValidationError(
                _("%(email)r is not a valid email address.") % {"email": admin_email},
                field="admin_email",
            ) from None
    hospital = Hospital(
        name=name,
        subdomain=subdomain,
        code=code,
        plan=plan,
        enabled_modules=modules,
        admin_name=admin_name.strip(),
        admin_email=admin_email.strip(),
        server=chosen_server,
        language=language,
        currency=currency,
        time_zone=time_zone,
    )  # born Provisioning (the model's default; apps.tenancy.status)
    try:
        with transaction.atomic():
            hospital.save()
            platform_event_record(
                kind=PlatformEvent.Kind.HOSPITAL_CREATED,
                summary=f"{hospital.name} ({hospital.subdomain})",
                hospital=hospital,
                actor=requested_by,
                detail={
                    "plan": hospital.plan,
                    "modules": hospital.enabled_modules,
                    "server": hospital.server,
                },
            )
    except IntegrityError:
        raise ValidationError(
            _("Another hospital with this subdomain or code was just created."),
            field="subdomain",
        ) from None
    return hospital


def hospital_changes_record(
    *, hospital: Hospital, changes: dict[str, object], actor: User | None = None
) -> None:
    """Record in the platform's audit log that ``hospital``'s details were changed
    (``changes``: field → value before); a change of modules is an event of its own."""
    before = {name: value for name, value in changes.items()}
    detail = {
        name: [_plain_value(value), _plain_value(getattr(hospital, name, None))]
        for name, value in before.items()
    }
    kind = (
        PlatformEvent.Kind.MODULES_CHANGED
        if "enabled_modules" in changes
        else PlatformEvent.Kind.HOSPITAL_CHANGED
    )
    platform_event_record(
        kind=kind, summary=", ".join(sorted(changes)), hospital=hospital, actor=actor, detail=detail
    )


def _plain_value(value: object) -> object:
    return value if isinstance(value, (str, int, float, bool, list, type(None))) else str(value)


@dataclass(frozen=True)
class HospitalAdded:
    hospital: Hospital
    job: ProvisioningJob
    #: generated here, for whoever asked to see once; the job only has its hash
    temporary_password: str | None

    def __repr__(self) -> str:  # keep the password out of tracebacks and logs
        return f"HospitalAdded(hospital={self.hospital.code!r}, job={self.job.pk})"


def hospital_add(
    *,
    name: str,
    subdomain: str,
    code: str | None = None,
    plan: str = Hospital.Plan.STANDARD,
    enabled_modules: Iterable[str] | None = None,
    admin_name: str = "",
    admin_email: str = "",
    admin_password: str | None = None,
    requested_by: User | None = None,
    server: str | None = None,
    language: str = "",
    currency: str = "",
    time_zone: str = "",
) -> HospitalAdded:
    """Save a new hospital (status Provisioning) and queue the job that provisions it.

    The administrator's password is chosen here — the given one, or a temporary one
    returned once — and only its hash goes on the job, so the clear text never reaches
    the broker, the Celery results or the database.
    """
    accounts = hospital_admin_provider()  # apps.accounts, plugged in
    password = admin_password or accounts.temporary_password_generate()
    secret = accounts.password_hash_make(password, temporary=admin_password is None)
    with transaction.atomic():
        hospital = hospital_create(
            name=name,
            subdomain=subdomain,
            code=code,
            plan=plan,
            enabled_modules=enabled_modules,
            admin_name=admin_name,
            admin_email=admin_email,
            requested_by=requested_by,
            server=server,
            language=language,
            currency=currency,
            time_zone=time_zone,
        )
        job = job_enqueue(
            hospital=hospital, kind=Kind.CREATE, requested_by=requested_by, admin_password=secret
        )
    return HospitalAdded(hospital, job, None if admin_password else password)


def hospital_delete(*, hospital: Hospital, actor: User | None = None) -> Path | None:
    """Delete a hospital: its row, its users and its jobs — after keeping a backup of
    its database in ``tenant_databases/backups/`` (returned; None when it had none).

    Refused while a job is queued or running for it. The database is copied by its
    storage (consistent even mid-write) before anything is removed, so a failure leaves the
    hospital as it was.
    """
    if hospital.jobs.filter(status__in=ProvisioningJob.ACTIVE_STATUSES).exists():
        raise Conflict(f"{hospital.name} has a job in progress; wait for it to finish.")
    storage, name = storage_for(hospital), database_name(hospital)
    has_database = storage.exists(name)
    backup = database_copy(hospital, backup_path(hospital, "delete")) if has_database else None
    with transaction.atomic():
        platform_event_record(
            kind=PlatformEvent.Kind.HOSPITAL_DELETED,
            summary=f"{hospital.name} ({hospital.subdomain})",
            hospital=hospital,
            actor=actor,
            detail={"backup": str(backup) if backup else ""},
        )
        hospital.delete()
    forget_database(alias_for_code(hospital.code))
    storage.drop(name)
    logger.info("deleted hospital %s (backup: %s)", hospital.code, backup)
    return backup
