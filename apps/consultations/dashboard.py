"""The doctor's "my queue" tile; an administrator sees the whole hospital's figures."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.rules import is_doctor, is_hospital_admin
from apps.appointments.models import Appointment, AppointmentStatus
from apps.consultations.selectors import doctor_of_user
from apps.core.dashboard import Figure, Tile

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital


def tiles(*, hospital: Hospital, user: User, today: date) -> list[Tile]:
    if not hospital.module_enabled("consultations"):
        return []
    appointments = Appointment.objects.filter(date=today)
    url = reverse("consultations:today", urlconf=settings.HMS_HOSPITAL_URLCONF)
    if is_hospital_admin(user):
        title = _("Consultations today")
    else:
        doctor = doctor_of_user(user=user) if is_doctor(user) else None
        if doctor is None:
            return []
        appointments = appointments.filter(doctor=doctor)
        title = _("My queue")
    counts = appointments.aggregate(
        waiting=Count("pk", filter=Q(status=AppointmentStatus.CHECKED_IN)),
        in_consultation=Count("pk", filter=Q(status=AppointmentStatus.IN_CONSULTATION)),
        seen=Count("pk", filter=Q(status=AppointmentStatus.COMPLETED)),
        expected=Count("pk", filter=Q(status=AppointmentStatus.SCHEDULED)),
    )
    return [
        Tile(
            key="consultations.queue",
            title=title,
            figures=[
                Figure(_("Waiting"), str(counts["waiting"]), url),
                Figure(_("In consultation"), str(counts["in_consultation"]), url),
                Figure(_("Seen"), str(counts["seen"]), url),
                Figure(_("Not arrived yet"), str(counts["expected"]), url),
            ],
            url=url,
            order=20,
        )
    ]
