from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from apps.appointments.models import Appointment


def appointments_of_day(*, day: date) -> QuerySet[Appointment]:
    """Every appointment of ``day`` in the selected hospital, in time then queue order."""
    return Appointment.objects.filter(date=day).select_related("patient", "doctor")
