"""What the consultation views share: the appointment or consultation a URL names, and
who may write in a consultation (its own doctor, or a doctor the hospital lets cover;
an administrator administers and writes nothing clinical)."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render

from apps.accounts.models import Role
from apps.accounts.rules import may_write_for_doctor
from apps.appointments.models import Appointment
from apps.consultations import selectors
from apps.consultations.cover import is_covering
from apps.consultations.models import Consultation
from apps.core.http import HospitalRequest
from apps.core.viewkit import found
from apps.doctors.models import Doctor

#: who records a visit's vitals: the clinicians themselves (an administrator, not being
#: one, reads them)
VITALS_RECORDERS = frozenset({Role.NURSE, Role.DOCTOR})


def appointment_or_404(appointment_id: uuid.UUID) -> Appointment:
    return found(selectors.appointment_get, appointment_id=appointment_id)


def consultation_or_404(consultation_id: uuid.UUID) -> Consultation:
    return found(selectors.consultation_get, consultation_id=consultation_id)


def may_write(request: HospitalRequest, doctor: Doctor) -> bool:
    """The doctor themselves, or a covering doctor; never an administrator as such."""
    return may_write_for_doctor(request.user, doctor, covering=is_covering(user=request.user))


def forbidden(request: HospitalRequest) -> HttpResponse:
    return render(request, "accounts/forbidden.html", status=403)


def writable(request: HospitalRequest, consultation_id: uuid.UUID) -> Consultation | None:
    """The consultation, when the user may write in it (``may_write``)."""
    consultation = consultation_or_404(consultation_id)
    return consultation if may_write(request, consultation.doctor) else None
