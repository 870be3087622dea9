"""Creating hospitals: validation of the names that become URLs and file names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from apps.core.exceptions import ValidationError
from apps.tenancy.connections import database_file_name, database_path, safe_path_in, tenant_db_dir
from apps.tenancy.models import Hospital
from apps.tenancy.registry import all_modules

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
            f"Subdomain {subdomain!r} is not valid: use lower-case letters, digits and "
            "hyphens (not at the start or end), at most 63 characters.",
            field="subdomain",
        )
    if value in RESERVED_SUBDOMAINS:
        raise ValidationError(f"Subdomain {value!r} is reserved.", field="subdomain")
    if Hospital.objects.filter(subdomain=value).exists():
        raise ValidationError(f"Subdomain {value!r} is already taken.", field="subdomain")
    return value


def code_validate(code: str) -> str:
    value = code.strip().upper()
    if not _CODE.match(value):
        raise ValidationError(
            f"Code {code!r} is not valid: 2-16 upper-case letters and digits, starting "
            "with a letter (e.g. CGH001).",
            field="code",
        )
    if Hospital.objects.filter(code=value).exists():
        raise ValidationError(f"Code {value!r} is already taken.", field="code")
    try:
        path = safe_path_in(tenant_db_dir(), database_file_name(value))
    except ValidationError as exc:
        raise ValidationError(exc.message, field="code") from None
    if path.exists():
        raise ValidationError(
            f"A database file already exists for code {value!r} ({path.name}).", field="code"
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
    return (tenant_db_dir() / database_file_name(code)).exists()


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
) -> Hospital:
    """Validate and save a new hospital in status Provisioning; nothing else is created
    until it is provisioned, so a refusal here leaves nothing behind."""
    name = name.strip()
    if not name:
        raise ValidationError("The hospital needs a name.", field="name")
    if len(name) > 200:
        raise ValidationError("The name is longer than 200 characters.", field="name")
    subdomain = subdomain_validate(subdomain)
    code = code_validate(code) if code else code_suggest(name)
    if plan not in Hospital.Plan.values:
        raise ValidationError(f"Unknown plan {plan!r}.", field="plan")
    modules = default_modules() if enabled_modules is None else list(enabled_modules)
    unknown = sorted(set(modules) - set(default_modules()))
    if unknown:
        raise ValidationError(f"Unknown modules: {', '.join(unknown)}.", field="enabled_modules")
    if admin_email:
        try:
            validate_email(admin_email)
        except Exception:
            raise ValidationError(
                f"{admin_email!r} is not a valid email address.", field="admin_email"
            ) from None
    hospital = Hospital(
        name=name,
        subdomain=subdomain,
        code=code,
        plan=plan,
        enabled_modules=modules,
        admin_name=admin_name.strip(),
        admin_email=admin_email.strip(),
        status=Hospital.Status.PROVISIONING,
    )
    database_path(hospital)  # refuses a name that would escape tenant_databases/
    try:
        with transaction.atomic():
            hospital.save()
    except IntegrityError:
        raise ValidationError(
            "Another hospital with this subdomain or code was just created.", field="subdomain"
        ) from None
    return hospital
