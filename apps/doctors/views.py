"""Doctor pages: list (search as you type, filters), detail, add/edit with the
region → city → clinic cascade and weekly hours, and the cascade's option fragments.
Everyone with the module may look; only hospital admins add and edit."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.access import roles_required
from apps.core.collation import az_order
from apps.core.htmx import redirect_to, shown_once_at
from apps.core.http import HospitalRequest
from apps.core.sorting import sorting_from
from apps.core.submissions import submitted_once
from apps.core.viewkit import form_action, paginate
from apps.doctors.forms import (
    DoctorFilterForm,
    DoctorForm,
    ScheduleDayForm,
    attach_error,
    city_choices,
    clinic_choices,
    option_groups,
    schedule_forms,
    schedule_of,
)
from apps.doctors.models import Doctor
from apps.doctors.selectors import doctor_list, doctor_login
from apps.doctors.services import DoctorSaved, doctor_create, doctor_update

PAGE_SIZE = 20

View = Callable[..., HttpResponse]


def _get_doctor(pk: int) -> Doctor:
    """A doctor of the request's hospital (the database is the hospital's own)."""
    return get_object_or_404(
        Doctor.objects.select_related("specialization", "region", "city", "clinic"), pk=pk
    )


#: the list's sortable columns and what each sorts by
SORT_COLUMNS = {
    "name": (az_order("full_name"), "pk"),
    "specialization": (az_order("specialization__name"), az_order("full_name"), "pk"),
    "clinic": (az_order("clinic__name"), az_order("full_name"), "pk"),
    "fee": ("consulting_fee", az_order("full_name"), "pk"),
}


@require_GET
def doctor_list_view(request: HospitalRequest) -> HttpResponse:
    filters = DoctorFilterForm(request.GET)
    sorting = sorting_from(request, SORT_COLUMNS, default="name")
    doctors = doctor_list(**filters.filters()).order_by(*sorting.order_by)
    page = paginate(request, doctors, size=PAGE_SIZE)
    template = "doctors/list.html#results" if request.htmx else "doctors/list.html"
    return render(request, template, {"filters": filters, "page": page, "sort": sorting.key})


@require_GET
def doctor_detail(request: HospitalRequest, pk: int) -> HttpResponse:
    doctor = _get_doctor(pk)
    context = {
        "doctor": doctor,
        "schedule": doctor.schedule.all(),
        "login": doctor_login(doctor=doctor, hospital=request.hospital),
    }
    return render(request, "doctors/detail.html", context)


@require_http_methods(["GET", "POST"])
@roles_required()  # hospital administrators
@submitted_once  # a double submit creates once (apps/core/submissions.py)
def doctor_add(request: HospitalRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = DoctorForm(data, hospital=request.hospital)
    days = schedule_forms(data)
    created = form_action(
        form,
        lambda data: doctor_create(
            hospital=request.hospital,
            details=form.details(),
            schedule=schedule_of(days),
            login=form.login_action(),
            link_user_id=form.link_user_id(),
        ),
        also_valid=days,
        refused=lambda error: attach_error(error, form, days),
    )
    if created:
        return _saved(request, created.result, message=_("Doctor %(doctor)s added."))
    return _render_form(request, form, days, doctor=None)


@require_http_methods(["GET", "POST"])
@roles_required()  # hospital administrators
def doctor_edit(request: HospitalRequest, pk: int) -> HttpResponse:
    doctor = _get_doctor(pk)
    data = request.POST if request.method == "POST" else None
    form = DoctorForm(data, hospital=request.hospital, doctor=doctor)
    days = schedule_forms(data, doctor=doctor)
    updated = form_action(
        form,
        lambda data: doctor_update(
            hospital=request.hospital,
            doctor=doctor,
            details=form.details(),
            schedule=schedule_of(days),
            login=form.login_action(),
            link_user_id=form.link_user_id(),
        ),
        also_valid=days,
        refused=lambda error: attach_error(error, form, days),
    )
    if updated:
        return _saved(request, updated.result, message=_("Doctor %(doctor)s saved."))
    return _render_form(request, form, days, doctor=doctor)


def _render_form(
    request: HospitalRequest,
    form: DoctorForm,
    days: list[ScheduleDayForm],
    *,
    doctor: Doctor | None,
) -> HttpResponse:
    template = "doctors/form.html#form" if request.htmx else "doctors/form.html"
    login = doctor_login(doctor=doctor, hospital=request.hospital) if doctor else None
    context = {"form": form, "days": days, "doctor": doctor, "login_user": login}
    return render(request, template, context)


def _saved(request: HospitalRequest, saved: DoctorSaved, *, message: str) -> HttpResponse:
    """A new login's temporary password is shown on this response only (never stored,
    never cached); otherwise go to the doctor's page."""
    if saved.account is not None:
        template = "doctors/saved.html#result" if request.htmx else "doctors/saved.html"
        response = render(request, template, {"doctor": saved.doctor, "account": saved.account})
        add_never_cache_headers(response)
        return shown_once_at(request, response, reverse("doctors:detail", args=[saved.doctor.pk]))
    messages.success(request, message % {"doctor": saved.doctor})
    return redirect_to(request, reverse("doctors:detail", args=[saved.doctor.pk]))


@require_GET
def city_options(request: HospitalRequest) -> HttpResponse:
    """<option>s of the region's cities; the clinic select is reset out of band, since
    the clinics of the previous city no longer fit."""
    region_id = request.GET.get("region", "")
    clinics = [("", _("Choose a city first"))] if region_id else clinic_choices(city_id="")
    context = {
        "groups": option_groups(city_choices(region_id=region_id)),
        "clinic_groups": option_groups(clinics),
    }
    return render(request, "doctors/partials/options.html", context)


@require_GET
def clinic_options(request: HospitalRequest) -> HttpResponse:
    """<option>s of the city's clinics."""
    return render(
        request,
        "doctors/partials/options.html",
        {"groups": option_groups(clinic_choices(city_id=request.GET.get("city", "")))},
    )
