"""The patient's appointments on the patient's page (``apps.patients.history``)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from apps.appointments.models import Appointment
from apps.appointments.selectors import patient_appointments
from apps.patients.history import HistoryEntry
from apps.patients.models import Patient


def _url(appointment: Appointment) -> str:
    try:
        return reverse("appointments:detail", args=[appointment.pk])
    except NoReverseMatch:  # outside a hospital's host (a command, a task)
        return ""


def appointments_of(patient: Patient) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            when=appointment.starts_at or appointment.checked_in_at or appointment.created_at,
            kind=_("Appointment"),
            title=_("%(doctor)s — %(status)s")
            % {"doctor": appointment.doctor.full_name, "status": appointment.get_status_display()},
            detail=appointment.cancel_reason
            or appointment.reason
            or appointment.get_kind_display(),
            url=_url(appointment),
        )
        for appointment in patient_appointments(patient=patient)
    ]
