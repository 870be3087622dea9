"""One appointment and its actions: check in, cancel, no-show, reschedule."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import may_act_as, roles_required
from apps.appointments import selectors, services, transitions
from apps.appointments.forms import CancelForm, RescheduleForm
from apps.appointments.models import Appointment
from apps.appointments.services import BookingNeedsConfirmation
from apps.appointments.views import BOOKERS
from apps.appointments.views.booking import add_booking_errors
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once, submitted_once, submitted_once_at_a_time
from apps.core.viewkit import Refused, action, form_action, found


def _next_or(request: HospitalRequest, fallback: str) -> str:
    """Where an action returns to: the page it was pressed on when that is ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


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
    appointment = found(selectors.appointment_get, appointment_id=appointment_id)
    context = _detail_context(request, appointment)
    return render(
        request, page_or_fragment(request, "appointments/detail.html", "content"), context
    )


def _act(
    request: HospitalRequest, appointment: Appointment, act: Callable[[], object], done: str
) -> HttpResponse:
    """A button on the appointment (or on the board): its outcome said above the page
    it was pressed on, which it returns to."""
    action(request, act, success=done)
    detail = reverse("appointments:detail", args=[appointment.pk])
    return redirect_to(request, _next_or(request, detail))


@require_POST
@roles_required(*BOOKERS)
@submitted_once_at_a_time
def appointment_check_in(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = found(selectors.appointment_get, appointment_id=appointment_id)
    return _act(
        request,
        appointment,
        lambda: transitions.appointment_check_in(appointment=appointment),
        _("%(patient)s is checked in.") % {"patient": appointment.patient.full_name},
    )


@require_POST
@roles_required(*BOOKERS)
@submitted_once_at_a_time
def appointment_no_show(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = found(selectors.appointment_get, appointment_id=appointment_id)
    return _act(
        request,
        appointment,
        lambda: services.appointment_no_show(appointment=appointment),
        _("%(patient)s is marked as a no-show.") % {"patient": appointment.patient.full_name},
    )


@require_POST
@roles_required(*BOOKERS)
@acted_once
def appointment_cancel(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = found(selectors.appointment_get, appointment_id=appointment_id)
    form = CancelForm(request.POST)
    cancel = transitions.appointment_cancel
    if form_action(form, lambda data: cancel(appointment=appointment, reason=data["reason"])):
        messages.success(request, _("The appointment is cancelled."))
        return redirect_to(request, reverse("appointments:detail", args=[appointment.pk]))
    context = {**_detail_context(request, appointment), "cancel_form": form}
    template = page_or_fragment(request, "appointments/detail.html", "content")
    return render(request, template, context, status=400)


@require_http_methods(["GET", "POST"])
@roles_required(*BOOKERS)
@submitted_once
def appointment_reschedule(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = found(selectors.appointment_get, appointment_id=appointment_id)
    form = RescheduleForm(request.POST or None)
    context: dict[str, Any] = {"appointment": appointment, "form": form}
    moved = form_action(
        form,
        lambda data: services.appointment_reschedule(
            appointment=appointment, starts_at=form.starts_at(), confirm=data["confirm"]
        ),
        refused=lambda error: add_booking_errors(form, error),
        handles=BookingNeedsConfirmation,
    )
    if isinstance(moved, Refused):
        context["warning"] = moved.error
    elif moved:
        messages.success(request, _("The appointment is rescheduled."))
        return redirect_to(request, reverse("appointments:detail", args=[appointment.pk]))
    status = 400 if request.method == "POST" and "warning" not in context else 200
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
