"""What the consultation views share: the appointment or consultation a URL names, and
who may write in a consultation (its own doctor, or an administrator)."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render

from apps.accounts.rules import may_act_for_doctor
from apps.appointments.models import Appointment
from apps.consultations import selectors
from apps.consultations.models import Consultation
from apps.core.http import HospitalRequest
from apps.core.viewkit import found
from apps.doctors.models import Doctor


def appointment_or_404(appointment_id: uuid.UUID) -> Appointment:
    return found(selectors.appointment_get, appointment_id=appointment_id)


def consultation_or_404(consultation_id: uuid.UUID) -> Consultation:
    return found(selectors.consultation_get, consultation_id=consultation_id)


def is_own_doctor(request: HospitalRequest, doctor: Doctor) -> bool:
    """Hospital administrators act for any doctor; a doctor only for themselves."""
    return may_act_for_doctor(request.user, doctor)


def forbidden(request: HospitalRequest) -> HttpResponse:
    return render(request, "accounts/forbidden.html", status=403)


def writable(request: HospitalRequest, consultation_id: uuid.UUID) -> Consultation | None:
    """The consultation, when the user is its doctor (or an administrator)."""
    consultation = consultation_or_404(consultation_id)
    return consultation if is_own_doctor(request, consultation.doctor) else None
