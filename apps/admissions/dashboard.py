"""The wards tile: beds free, occupied and being cleaned across the hospital, who is
waiting for a bed and who is due to go home."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.rules import may_act_as
from apps.admissions.models import Admission, AdmissionStatus, Bed, BedStatus
from apps.admissions.selectors import pending_requests
from apps.core.dashboard import Figure, Tile

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital

ROLES = {"doctor", "nurse", "receptionist"}


def _url(name: str) -> str:
    return reverse(f"admissions:{name}", urlconf=settings.HMS_HOSPITAL_URLCONF)


def tiles(*, hospital: Hospital, user: User, today: date) -> list[Tile]:
    if not hospital.module_enabled("admissions"):
        return []
    if not may_act_as(user, ROLES):
        return []
    beds = Bed.objects.filter(is_active=True, room__ward__is_active=True).aggregate(
        free=Count("pk", filter=Q(status=BedStatus.FREE)),
        occupied=Count("pk", filter=Q(status=BedStatus.OCCUPIED)),
        cleaning=Count("pk", filter=Q(status=BedStatus.CLEANING)),
    )
    going_home = Admission.objects.filter(
        status=AdmissionStatus.ADMITTED, expected_discharge_on__lte=today
    ).count()
    return [
        Tile(
            key="admissions.beds",
            title=_("Wards"),
            figures=[
                Figure(_("Free beds"), str(beds["free"]), _url("bed_maps")),
                Figure(_("Occupied beds"), str(beds["occupied"]), _url("admitted")),
                Figure(_("Beds being cleaned"), str(beds["cleaning"]), _url("bed_maps")),
                Figure(_("Waiting for a bed"), str(pending_requests().count()), _url("to_admit")),
                Figure(_("To discharge"), str(going_home), _url("to_discharge")),
            ],
            url=_url("admitted"),
            order=40,
        )
    ]
