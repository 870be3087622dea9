from __future__ import annotations

from dataclasses import replace
from typing import Any

from apps.staff.models import StaffMember
from apps.staff.services import StaffDetails, staff_member_create
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def details(**changes: Any) -> StaffDetails:
    base = StaffDetails(
        first_name="Gunel",
        last_name="Rzayeva",
        job_title="Head nurse",
        department="Cardiology",
        phone="+994 50 111 22 33",
        email="gunel@example.com",
    )
    return replace(base, **changes)


def add_staff_member(hospital: Hospital, **changes: Any) -> StaffMember:
    with tenant_context(hospital):
        return staff_member_create(details=details(**changes))


def form_data(**changes: Any) -> dict[str, str]:
    values = {name: str(value) for name, value in details(**changes).__dict__.items()}
    if values.pop("is_active") == "True":
        values["is_active"] = "on"
    return values
