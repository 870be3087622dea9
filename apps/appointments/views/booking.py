"""Booking from a doctor's slot grid, or a walk-in joining the queue (the front desk)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import roles_required
from apps.appointments import selectors, services
from apps.appointments.forms import BookingForm, DoctorDayForm, WalkInForm
from apps.appointments.services import BookingNeedsConfirmation
from apps.appointments.views import BOOKERS
from apps.core.exceptions import HMSError, NotFound
from apps.core.htmx import add_errors, page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import submitted_once, submitted_once_at_a_time
from apps.core.viewkit import Refused, form_action, search_query
from apps.patients.models import Patient
from apps.patients.selectors import patient_get, patient_search

PICKER_SIZE = 10


def _patient_or_none(value: str | None) -> Patient | None:
    try:
        return patient_get(patient_id=uuid.UUID(value or ""))
    except (ValueError, NotFound):
        return None


def add_booking_errors(form: BaseForm, error: HMSError) -> None:
    """A service's ``starts_at`` is the form's ``time``."""
    if error.field == "starts_at":
        form.add_error("time", error.message)
    else:
        add_errors(form, error)


def _grid_context(*, doctor: str, day: str) -> dict[str, Any]:
    """The doctor-and-day form and, once both are valid, the doctor's slot grid."""
    day_form = DoctorDayForm({"doctor": doctor, "date": day or timezone.localdate().isoformat()})
    grid = None
    if day_form.is_valid():
        grid = selectors.slot_grid(
            doctor=day_form.cleaned_data["doctor"], day=day_form.cleaned_data["date"]
        )
    return {"day_form": day_form, "grid": grid, "today": timezone.localdate()}


@require_GET
@roles_required(*BOOKERS)
def book(request: HospitalRequest) -> HttpResponse:
    patient = _patient_or_none(request.GET.get("patient"))
    grid = _grid_context(doctor=request.GET.get("doctor", ""), day=request.GET.get("date", ""))
    context = {"patient": patient, **grid, "form": BookingForm(), "walk_in_form": WalkInForm()}
    return render(request, page_or_fragment(request, "appointments/book.html", "booking"), context)


@require_GET
@roles_required(*BOOKERS)
def book_patients(request: HospitalRequest) -> HttpResponse:
    """The booking page's patient picker: matches of the search box, each a link back to
    the booking page with that patient chosen."""
    query = search_query(request)
    patients = list(patient_search(query=query)[:PICKER_SIZE]) if query else []
    keep = {k: request.GET[k] for k in ("doctor", "date") if request.GET.get(k)}
    choices = [(p, urlencode({**keep, "patient": str(p.pk)})) for p in patients]
    grid = _grid_context(doctor=keep.get("doctor", ""), day=keep.get("date", ""))
    context = {**grid, "choices": choices, "query": query, "form": BookingForm()}
    template = page_or_fragment(request, "appointments/book.html", "patient_results")
    return render(request, template, context)


def _booking_page(
    request: HospitalRequest,
    *,
    patient: Patient | None,
    form: BookingForm | None = None,
    walk_in_form: WalkInForm | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The booking page again after a POST: its errors, or the warning to confirm."""
    data = request.POST
    grid = _grid_context(doctor=data.get("doctor", ""), day=data.get("date", ""))
    context = {
        "patient": patient,
        **grid,
        "form": form or BookingForm(),
        "walk_in_form": walk_in_form or WalkInForm(),
        **extra,
    }
    return render(request, "appointments/book.html", context, status=status)


@require_POST
@roles_required(*BOOKERS)
@submitted_once
def book_slot(request: HospitalRequest) -> HttpResponse:
    form = BookingForm(request.POST)
    patient = _patient_or_none(request.POST.get("patient"))
    if patient is None:
        form.add_error(None, _("Choose the patient first."))
        return _booking_page(request, form=form, patient=patient, status=400)
    booked = form_action(
        form,
        lambda data: services.appointment_book(
            patient=patient,
            doctor=data["doctor"],
            kind=data["kind"],
            starts_at=form.starts_at(),
            reason=data["reason"],
            confirm=data["confirm"],
            booked_by_id=request.user.pk,
        ),
        refused=lambda error: add_booking_errors(form, error),
        handles=BookingNeedsConfirmation,
    )
    if isinstance(booked, Refused):
        return _booking_page(request, form=form, patient=patient, warning=booked.error)
    if booked:
        appointment = booked.result
        messages.success(request, _("Booked %(appointment)s.") % {"appointment": appointment})
        return redirect_to(request, reverse("appointments:detail", args=[appointment.pk]))
    return _booking_page(request, form=form, patient=patient, status=400)


@require_POST
@roles_required(*BOOKERS)
@submitted_once_at_a_time
def book_walk_in(request: HospitalRequest) -> HttpResponse:
    form = WalkInForm(request.POST)
    patient = _patient_or_none(request.POST.get("patient"))
    if patient is None:
        form.add_error(None, _("Choose the patient first."))
        return _booking_page(request, walk_in_form=form, patient=patient, status=400)
    joined = form_action(
        form,
        lambda data: services.appointment_walk_in(
            patient=patient,
            doctor=data["doctor"],
            reason=data["reason"],
            confirm=data["confirm"],
            booked_by_id=request.user.pk,
        ),
        handles=BookingNeedsConfirmation,
    )
    if isinstance(joined, Refused):
        return _booking_page(
            request, walk_in_form=form, patient=patient, warning=joined.error, walk_in=True
        )
    if joined:
        appointment = joined.result
        messages.success(
            request,
            _("%(patient)s joined the queue as number %(number)s.")
            % {"patient": patient.full_name, "number": appointment.queue_number},
        )
        return redirect_to(request, reverse("appointments:detail", args=[appointment.pk]))
    return _booking_page(request, walk_in_form=form, patient=patient, status=400)
