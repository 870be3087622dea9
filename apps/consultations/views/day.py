"""The doctor's day: the day list, opening a consultation for a visit, and the visit's
vitals (recorded by a nurse or the doctor)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.accounts.rules import has_clinical_role, is_doctor, may_grant_cover
from apps.accounts.selectors import accounts_by_id
from apps.appointments.models import AppointmentStatus
from apps.consultations import selectors
from apps.consultations.cover import is_covering
from apps.consultations.forms import VitalsForm
from apps.consultations.services import consultation_open, vitals_record
from apps.consultations.views.common import (
    VITALS_RECORDERS,
    appointment_or_404,
    forbidden,
    may_write,
)
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import action, form_action
from apps.doctors.models import Doctor


@require_GET
def day_list(request: HospitalRequest) -> HttpResponse:
    """A doctor sees their own patients of today; a nurse or an administrator picks
    the doctor, and so may a covering doctor (their own patients unless they pick)."""
    own = selectors.doctor_of_user(user=request.user) if is_doctor(request.user) else None
    picks_doctor = not is_doctor(request.user) or is_covering(user=request.user)
    doctors = list(Doctor.objects.filter(is_active=True))
    doctor: Doctor | None = own
    if picks_doctor:
        chosen = request.GET.get("doctor", "")
        doctor = next((d for d in doctors if str(d.pk) == chosen), own)
        if doctor is None and len(doctors) == 1:
            doctor = doctors[0]
    today = timezone.localdate()
    context: dict[str, Any] = {
        "doctor": doctor,
        "doctors": doctors,
        "is_doctor": is_doctor(request.user),
        "picks_doctor": picks_doctor,
        "may_grant_cover": may_grant_cover(request.user),
        "today": today,
        "appointments": selectors.doctor_day_list(doctor=doctor, day=today) if doctor else [],
        "may_open": doctor is not None and may_write(request, doctor),
        "may_record_vitals": has_clinical_role(request.user, VITALS_RECORDERS),
        "Status": AppointmentStatus,
    }
    return render(request, page_or_fragment(request, "consultations/today.html", "queue"), context)


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def consultation_open_view(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = appointment_or_404(appointment_id)
    if not may_write(request, appointment.doctor):
        return forbidden(request)
    opened = action(
        request, lambda: consultation_open(appointment=appointment, opened_by=request.user)
    )
    if not opened:
        return redirect_to(request, reverse("consultations:today"))
    return redirect_to(request, reverse("consultations:detail", args=[opened.result.pk]))


@require_http_methods(["GET", "POST"])
@roles_required(*VITALS_RECORDERS)
@acted_once
def visit_vitals(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = appointment_or_404(appointment_id)
    if request.method == "POST" and not has_clinical_role(request.user, VITALS_RECORDERS):
        return forbidden(request)  # an administrator reads the visit's vitals, records none
    form = VitalsForm(data=request.POST or None)
    recorded = form_action(
        form,
        lambda data: vitals_record(
            patient=appointment.patient,
            appointment=appointment,
            values=form.values(),
            recorded_by=request.user,
        ),
    )
    if recorded and not request.htmx:
        messages.success(request, _("Vitals recorded."))
        return redirect_to(request, request.path)
    measured = list(selectors.vitals_of_visit(appointment=appointment))
    history = [(vitals, selectors.vitals_flags(vitals=vitals)) for vitals in measured]
    context = {
        "may_record": has_clinical_role(request.user, VITALS_RECORDERS),
        "authors": accounts_by_id(
            hospital=request.hospital, user_ids=[v.recorded_by_id for v in measured]
        ),
        "appointment": appointment,
        "consultation": selectors.consultation_of_appointment(appointment=appointment),
        # with htmx the recorded values show above an empty form for the next ones
        "form": VitalsForm() if recorded else form,
        "recorded": recorded.result if recorded else None,
        "history": history,
    }
    return render(
        request, page_or_fragment(request, "consultations/vitals.html", "vitals"), context
    )
