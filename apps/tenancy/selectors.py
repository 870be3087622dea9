"""Reading the state of hospitals and their databases."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DatabaseError

from apps.tenancy.connections import database_path, hospital_alias
from apps.tenancy.migrations_state import inspect_database
from apps.tenancy.models import Hospital


@dataclass(frozen=True)
class DatabaseStatus:
    """``state`` is one of: ready, incomplete, missing, error, provisioning."""

    state: str
    table_count: int = 0
    unapplied: tuple[str, ...] = field(default=())
    detail: str = ""

    @property
    def label(self) -> str:
        if self.state == "incomplete":
            return f"Incomplete: {len(self.unapplied)} unapplied migrations"
        return self.state.capitalize()

    @property
    def is_ready(self) -> bool:
        return self.state == "ready"


def hospital_database_status(hospital: Hospital) -> DatabaseStatus:
    """Look at the hospital's database itself (file, tables, unapplied migrations)."""
    if hospital.status == Hospital.Status.PROVISIONING:
        return DatabaseStatus("provisioning")
    path = database_path(hospital)
    if not path.exists():
        return DatabaseStatus("missing", detail=f"{path.name} does not exist")
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
    return DatabaseStatus("ready", table_count=inspection.table_count)


def hospital_by_host(host: str, base_domain: str) -> tuple[bool, Hospital | None]:
    """Resolve a Host header: (is_platform_host, hospital or None)."""
    hostname = host.split(":", 1)[0].lower().rstrip(".")
    if hostname in {base_domain, "127.0.0.1", "testserver"}:
        return True, None
    suffix = f".{base_domain}"
    if not hostname.endswith(suffix):
        return False, None
    subdomain = hostname[: -len(suffix)]
    return False, Hospital.objects.filter(subdomain=subdomain).first()
