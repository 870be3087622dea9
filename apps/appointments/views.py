"""Appointment pages: the day's flow board, booking from a slot grid (or as a walk-in),
an appointment with its actions (check in, cancel, no-show, reschedule), a doctor's
unavailability and the hospital's booking rules.

Everyone with the module (front desk, doctors, nurses) sees the board and appointments;
the front desk books and moves them; hospital administrators also keep the doctors'
unavailability and the rules."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import may_act_as, may_use_module, roles_required
from apps.accounts.models import Role
from apps.appointments import selectors, services, transitions
from apps.appointments.forms import (
    BoardFilterForm,
    BookingForm,
    CancelForm,
    DoctorDayForm,
    RescheduleForm,
    SettingsForm,
    UnavailabilityForm,
    WalkInForm,
)
from apps.appointments.models import Appointment, AppointmentStatus, DoctorUnavailability
from apps.appointments.services import BookingNeedsConfirmation
from apps.core.exceptions import HMSError, NotFound
from apps.core.htmx import add_errors, page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.modules import module_for_namespace
from apps.doctors.models import Doctor
from apps.patients.models import Patient
from apps.patients.selectors import patient_get, patient_search

#: who books, checks in, cancels and reschedules (hospital administrators always may)
BOOKERS = frozenset({Role.RECEPTIONIST})
PICKER_SIZE = 10


def _get_appointment(appointment_id: uuid.UUID) -> Appointment:
    try:
        return selectors.appointment_get(appointment_id=appointment_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _get_unavailability(unavailability_id: uuid.UUID) -> DoctorUnavailability:
    try:
        return selectors.unavailability_get(unavailability_id=unavailability_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _patient_or_none(value: str | None) -> Patient | None:
    try:
        return patient_get(patient_id=uuid.UUID(value or ""))
    except (ValueError, NotFound):
        return None


def _next_or(request: HospitalRequest, fallback: str) -> str:
    """Where an action returns to: the page it was pressed on when that is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _add_booking_errors(form: Any, error: HMSError) -> None:
    """A service's ``starts_at`` is the form's ``time``."""
    if error.field == "starts_at":
        form.add_error("time", error.message)
    else:
        add_errors(form, error)


# -- the flow board --------------------------------------------------------------------


@require_GET
def today(request: HospitalRequest) -> HttpResponse:
    filters = BoardFilterForm(request.GET)
    board_filters = filters.filters()
    day = filters.day()
    now = timezone.now()
    context = {
        "filters": filters,
        "day": day,
        "is_today": day == timezone.localdate(),
        "rows": selectors.flow_board_rows(day=day, filters=board_filters, now=now),
        "base": reverse("appointments:today"),
        "counts": _status_counts(selectors.day_counts(day=day)),
        "can_book": may_act_as(request.user, BOOKERS),
        "invoice_url": _invoice_url(request),
        "now": now,
        "query": urlencode({k: v for k, v in request.GET.items() if v}),
    }
    return render(request, page_or_fragment(request, "appointments/today.html", "board"), context)


def _invoice_url(request: HospitalRequest) -> str:
    """The billing module's invoice page of a patient (``{patient}`` in place of the id)
    when the hospital has billing and the user's role may use it; else empty."""
    billing = module_for_namespace("billing")
    if billing is None or not request.hospital.module_enabled(billing.key):
        return ""
    if not may_use_module(request.user, billing):
        return ""
    placeholder = uuid.UUID(int=0)
    return reverse("billing:pick", args=[placeholder]).replace(str(placeholder), "{patient}")


def _status_counts(counts: dict[str, int]) -> list[tuple[AppointmentStatus, int]]:
    return [(status, counts[status]) for status in AppointmentStatus]


# -- booking ---------------------------------------------------------------------------


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
    query = request.GET.get("q", "").strip()[:100]
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
def book_slot(request: HospitalRequest) -> HttpResponse:
    form = BookingForm(request.POST)
    patient = _patient_or_none(request.POST.get("patient"))
    if patient is None:
        form.add_error(None, _("Choose the patient first."))
    elif form.is_valid():
        try:
            appointment = services.appointment_book(
                patient=patient,
                doctor=form.cleaned_data["doctor"],
                kind=form.cleaned_data["kind"],
                starts_at=form.starts_at(),
                reason=form.cleaned_data["reason"],
                confirm=form.cleaned_data["confirm"],
                booked_by_id=request.user.pk,
            )
        except BookingNeedsConfirmation as exc:
            return _booking_page(request, form=form, patient=patient, warning=exc)
        except HMSError as exc:
            _add_booking_errors(form, exc)
        else:
            messages.success(request, _("Booked %(appointment)s.") % {"appointment": appointment})
            return redirect_to(request, reverse("appointments:detail", args=[appointment.pk]))
    return _booking_page(request, form=form, patient=patient, status=400)


@require_POST
@roles_required(*BOOKERS)
def book_walk_in(request: HospitalRequest) -> HttpResponse:
    form = WalkInForm(request.POST)
    patient = _patient_or_none(request.POST.get("patient"))
    if patient is None:
        form.add_error(None, _("Choose the patient first."))
    elif form.is_valid():
        try:
            appointment = services.appointment_walk_in(
                patient=patient,
                doctor=form.cleaned_data["doctor"],
                reason=form.cleaned_data["reason"],
                confirm=form.cleaned_data["confirm"],
                booked_by_id=request.user.pk,
            )
        except BookingNeedsConfirmation as exc:
            return _booking_page(
                request, walk_in_form=form, patient=patient, warning=exc, walk_in=True
            )
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(patient)s joined the queue as number %(number)s.")
                % {"patient": patient.full_name, "number": appointment.queue_number},
            )
            return redirect_to(request, reverse("appointments:detail", args=[appointment.pk]))
    return _booking_page(request, walk_in_form=form, patient=patient, status=400)


# -- one appointment ---------------------------------------------------------------------


def _detail_context(request: HospitalRequest, appointment: Appointment) -> dict[str, Any]:
    return {
        "appointment": appointment,
        "can_book": may_act_as(request.user, BOOKERS),
        "cancel_form": CancelForm(),
        "waiting": selectors.waiting_minutes(appointment, now=timezone.now()),
        "is_today": appointment.date == timezone.localdate(),
        "reschedulable": appointment.status in services.RESCHEDULABLE
        and appointment.starts_at is not None,
    }


@require_GET
def appointment_detail(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = _get_appointment(appointment_id)
    context = _detail_context(request, appointment)
    return render(
        request, page_or_fragment(request, "appointments/detail.html", "content"), context
    )


def _act(
    request: HospitalRequest, appointment: Appointment, action: Any, done: str
) -> HttpResponse:
    try:
        action()
    except HMSError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    detail = reverse("appointments:detail", args=[appointment.pk])
    return redirect_to(request, _next_or(request, detail))


@require_POST
@roles_required(*BOOKERS)
def appointment_check_in(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = _get_appointment(appointment_id)
    return _act(
        request,
        appointment,
        lambda: transitions.appointment_check_in(appointment=appointment),
        _("%(patient)s is checked in.") % {"patient": appointment.patient.full_name},
    )


@require_POST
@roles_required(*BOOKERS)
def appointment_no_show(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = _get_appointment(appointment_id)
    return _act(
        request,
        appointment,
        lambda: services.appointment_no_show(appointment=appointment),
        _("%(patient)s is marked as a no-show.") % {"patient": appointment.patient.full_name},
    )


@require_POST
@roles_required(*BOOKERS)
def appointment_cancel(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = _get_appointment(appointment_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            transitions.appointment_cancel(
                appointment=appointment, reason=form.cleaned_data["reason"]
            )
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The appointment is cancelled."))
            return redirect_to(request, reverse("appointments:detail", args=[appointment.pk]))
    context = {**_detail_context(request, appointment), "cancel_form": form}
    template = page_or_fragment(request, "appointments/detail.html", "content")
    return render(request, template, context, status=400)


@require_http_methods(["GET", "POST"])
@roles_required(*BOOKERS)
def appointment_reschedule(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = _get_appointment(appointment_id)
    form = RescheduleForm(request.POST or None)
    context: dict[str, Any] = {"appointment": appointment, "form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appointment_reschedule(
                    appointment=appointment,
                    starts_at=form.starts_at(),
                    confirm=form.cleaned_data["confirm"],
                )
            except BookingNeedsConfirmation as exc:
                context["warning"] = exc
            except HMSError as exc:
                _add_booking_errors(form, exc)
            else:
                messages.success(request, _("The appointment is rescheduled."))
                return redirect_to(request, reverse("appointments:detail", args=[appointment.pk]))
        status = 200 if "warning" in context else 400
    day = _day_param(request, appointment)
    context["grid"] = selectors.slot_grid(doctor=appointment.doctor, day=day)
    template = page_or_fragment(request, "appointments/reschedule.html", "grid")
    return render(request, template, context, status=status)


def _day_param(request: HospitalRequest, appointment: Appointment) -> date:
    raw = request.POST.get("date") or request.GET.get("date") or ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not selectors.day_within_reach(day):
        return max(appointment.date, timezone.localdate())
    return day


# -- unavailability (administrators) -------------------------------------------------------


@require_GET
@roles_required()
def unavailability_list(request: HospitalRequest) -> HttpResponse:
    context = {"periods": selectors.unavailability_list(), "form": UnavailabilityForm()}
    return render(request, "appointments/unavailability_list.html", context)


@require_http_methods(["GET", "POST"])
@roles_required()
def unavailability_add(request: HospitalRequest) -> HttpResponse:
    form = UnavailabilityForm(request.POST or None, initial=_unavailability_initial(request))
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.period()
        period_of = {
            "kind": form.cleaned_data["kind"],
            "starts_at": starts_at,
            "ends_at": ends_at,
            "reason": form.cleaned_data["reason"],
            "created_by_id": request.user.pk,
        }
        try:
            if form.cleaned_data["every_doctor"]:
                periods = services.unavailability_create_for_every_doctor(**period_of)
            else:
                periods = [
                    services.unavailability_create(doctor=form.cleaned_data["doctor"], **period_of)
                ]
        except HMSError as exc:
            if exc.field == "ends_at":  # the period's end is typed as a day and a time
                form.add_error(
                    "time_to" if form.cleaned_data["time_to"] else "date_to", exc.message
                )
            else:
                add_errors(form, exc)
        else:
            if len(periods) > 1:
                messages.success(
                    request,
                    _("The time of %(count)s doctors is blocked.") % {"count": len(periods)},
                )
                return redirect_to(request, reverse("appointments:unavailability_list"))
            messages.success(request, _("The doctor's time is blocked."))
            url = reverse("appointments:unavailability", args=[periods[0].pk])
            return redirect_to(request, url)
    template = page_or_fragment(request, "appointments/unavailability_form.html", "form")
    status = 400 if form.is_bound else 200
    return render(request, template, {"form": form}, status=status)


def _unavailability_initial(request: HospitalRequest) -> dict[str, Any]:
    raw = request.GET.get("doctor", "")
    doctor = Doctor.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    today = timezone.localdate()
    return {"doctor": doctor, "date_from": today, "date_to": today}


@require_GET
@roles_required()
def unavailability_detail(request: HospitalRequest, unavailability_id: uuid.UUID) -> HttpResponse:
    period = _get_unavailability(unavailability_id)
    context = {
        "period": period,
        "collisions": selectors.unavailability_collisions(unavailability=period),
    }
    return render(request, "appointments/unavailability_detail.html", context)


@require_POST
@roles_required()
def unavailability_delete(request: HospitalRequest, unavailability_id: uuid.UUID) -> HttpResponse:
    period = _get_unavailability(unavailability_id)
    services.unavailability_delete(unavailability=period)
    messages.success(request, _("The doctor's time is free again."))
    return redirect_to(request, reverse("appointments:unavailability_list"))


# -- settings (administrators) ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles_required()
def settings_view(request: HospitalRequest) -> HttpResponse:
    current = selectors.appointment_settings_get()
    form = SettingsForm(request.POST or None, initial={"conflict_policy": current.conflict_policy})
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_settings_update(
                conflict_policy=form.cleaned_data["conflict_policy"]
            )
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The booking rules are saved."))
            return redirect_to(request, reverse("appointments:settings"))
    status = 400 if form.is_bound else 200
    template = page_or_fragment(request, "appointments/settings.html", "form")
    return render(request, template, {"form": form}, status=status)
