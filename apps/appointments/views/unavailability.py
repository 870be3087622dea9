"""A doctor's unavailability (hospital administrators): the periods booking avoids."""

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
from apps.appointments import selectors, services
from apps.appointments.forms import UnavailabilityForm
from apps.appointments.models import DoctorUnavailability
from apps.core.exceptions import HMSError
from apps.core.htmx import add_errors, page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.viewkit import form_action, found
from apps.doctors.models import Doctor


@require_GET
@roles_required()
def unavailability_list(request: HospitalRequest) -> HttpResponse:
    context = {"periods": selectors.unavailability_list(), "form": UnavailabilityForm()}
    return render(request, "appointments/unavailability_list.html", context)


@require_http_methods(["GET", "POST"])
@roles_required()
def unavailability_add(request: HospitalRequest) -> HttpResponse:
    form = UnavailabilityForm(request.POST or None, initial=_unavailability_initial(request))

    def block(data: dict[str, Any]) -> list[DoctorUnavailability]:
        starts_at, ends_at = form.period()
        period_of = {
            "kind": data["kind"],
            "starts_at": starts_at,
            "ends_at": ends_at,
            "reason": data["reason"],
            "created_by_id": request.user.pk,
        }
        if data["every_doctor"]:
            return services.unavailability_create_for_every_doctor(**period_of)
        return [services.unavailability_create(doctor=data["doctor"], **period_of)]

    blocked = form_action(form, block, refused=lambda error: _add_period_errors(form, error))
    if blocked:
        periods = blocked.result
        if len(periods) > 1:
            messages.success(
                request, _("The time of %(count)s doctors is blocked.") % {"count": len(periods)}
            )
            return redirect_to(request, reverse("appointments:unavailability_list"))
        messages.success(request, _("The doctor's time is blocked."))
        url = reverse("appointments:unavailability", args=[periods[0].pk])
        return redirect_to(request, url)
    template = page_or_fragment(request, "appointments/unavailability_form.html", "form")
    status = 400 if form.is_bound else 200
    return render(request, template, {"form": form}, status=status)


def _add_period_errors(form: UnavailabilityForm, error: HMSError) -> None:
    """The period's end is typed as a day and a time: its error goes to the time when
    one was typed, else to the day."""
    if error.field == "ends_at":
        form.add_error("time_to" if form.cleaned_data["time_to"] else "date_to", error.message)
    else:
        add_errors(form, error)


def _unavailability_initial(request: HospitalRequest) -> dict[str, Any]:
    raw = request.GET.get("doctor", "")
    doctor = Doctor.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    today = timezone.localdate()
    return {"doctor": doctor, "date_from": today, "date_to": today}


@require_GET
@roles_required()
def unavailability_detail(request: HospitalRequest, unavailability_id: uuid.UUID) -> HttpResponse:
    period = found(selectors.unavailability_get, unavailability_id=unavailability_id)
    context = {
        "period": period,
        "collisions": selectors.unavailability_collisions(unavailability=period),
    }
    return render(request, "appointments/unavailability_detail.html", context)


@require_POST
@roles_required()
def unavailability_delete(request: HospitalRequest, unavailability_id: uuid.UUID) -> HttpResponse:
    period = found(selectors.unavailability_get, unavailability_id=unavailability_id)
    services.unavailability_delete(unavailability=period)
    messages.success(request, _("The doctor's time is free again."))
    return redirect_to(request, reverse("appointments:unavailability_list"))
