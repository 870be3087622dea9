"""The hospital administrator's ward set-up: wards, rooms, beds and the admission
settings."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import roles_required
from apps.admissions import selectors, services
from apps.admissions.forms import AdmissionSettingsForm, BedForm, RoomForm, WardForm
from apps.admissions.models import Room, Ward
from apps.admissions.views.common import found
from apps.core.exceptions import HMSError
from apps.core.htmx import add_errors, page_or_fragment, redirect_to
from apps.core.http import HospitalRequest


def _setup_context(**forms: Any) -> dict[str, Any]:
    wards = selectors.wards().prefetch_related("rooms__beds")
    allowed = services.admission_settings_get().allow_discharge_with_unbilled
    return {
        "wards": wards,
        "ward_form": forms.get("ward_form") or WardForm(),
        "settings_form": forms.get("settings_form")
        or AdmissionSettingsForm(initial={"allow_discharge_with_unbilled": allowed}),
        "tab": "setup",
    }


def _setup_page(request: HospitalRequest, *, ok: bool, **forms: Any) -> HttpResponse:
    if ok and not request.htmx:
        return redirect_to(request, reverse("admissions:setup"))
    return render(
        request,
        page_or_fragment(request, "admissions/setup.html", "wards"),
        _setup_context(**forms),
    )


@require_GET
@roles_required()
def setup(request: HospitalRequest) -> HttpResponse:
    return render(request, "admissions/setup.html", _setup_context())


@require_POST
@roles_required()
def ward_add(request: HospitalRequest) -> HttpResponse:
    form = WardForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            services.ward_create(
                name=form.cleaned_data["name"], daily_rate=form.cleaned_data["daily_rate"]
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _setup_page(request, ok=ok, ward_form=None if ok else form)


@require_http_methods(["GET", "POST"])
@roles_required()
def ward_edit(request: HospitalRequest, ward_id: uuid.UUID) -> HttpResponse:
    ward: Ward = found(selectors.ward_get, ward_id=ward_id)
    form = WardForm(
        data=request.POST or None,
        initial={"name": ward.name, "daily_rate": ward.daily_rate, "is_active": ward.is_active},
    )
    room_form = RoomForm(data=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ward_update(ward=ward, **form.cleaned_data)
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Ward saved."))
            return redirect_to(request, reverse("admissions:ward_edit", args=[ward.pk]))
    context = _ward_context(ward, form=form, room_form=room_form)
    return render(request, page_or_fragment(request, "admissions/ward.html", "ward"), context)


def _ward_context(ward: Ward, **forms: Any) -> dict[str, Any]:
    rooms = list(ward.rooms.prefetch_related("beds"))
    return {
        "ward": ward,
        "rooms": [
            (room, forms.get(f"bed_form_{room.pk}") or BedForm(prefix=f"room{room.pk}"))
            for room in rooms
        ],
        "form": forms.get("form")
        or WardForm(
            initial={"name": ward.name, "daily_rate": ward.daily_rate, "is_active": ward.is_active}
        ),
        "room_form": forms.get("room_form") or RoomForm(),
        "tab": "setup",
    }


@require_POST
@roles_required()
def room_add(request: HospitalRequest, ward_id: uuid.UUID) -> HttpResponse:
    ward: Ward = found(selectors.ward_get, ward_id=ward_id)
    form = RoomForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            services.room_create(ward=ward, name=form.cleaned_data["name"])
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _ward_section(request, ward, ok=ok, room_form=None if ok else form)


@require_POST
@roles_required()
def bed_add(request: HospitalRequest, room_id: uuid.UUID) -> HttpResponse:
    room = Room.objects.select_related("ward").filter(pk=room_id).first()
    if room is None:
        raise Http404(_("There is no such room in this hospital."))
    form = BedForm(data=request.POST, prefix=f"room{room.pk}")
    ok = form.is_valid()
    if ok:
        try:
            services.bed_create(
                room=room,
                label=form.cleaned_data["label"],
                daily_rate=form.cleaned_data["daily_rate"],
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _ward_section(request, room.ward, ok=ok, **{f"bed_form_{room.pk}": None if ok else form})


def _ward_section(request: HospitalRequest, ward: Ward, *, ok: bool, **forms: Any) -> HttpResponse:
    if ok and not request.htmx:
        return redirect_to(request, reverse("admissions:ward_edit", args=[ward.pk]))
    context = _ward_context(ward, **forms)
    return render(request, page_or_fragment(request, "admissions/ward.html", "rooms"), context)


@require_POST
@roles_required()
def settings_save(request: HospitalRequest) -> HttpResponse:
    form = AdmissionSettingsForm(data=request.POST)
    form.is_valid()  # a checkbox cannot be invalid
    services.admission_settings_update(
        allow_discharge_with_unbilled=form.cleaned_data.get("allow_discharge_with_unbilled", False)
    )
    messages.success(request, _("Settings saved."))
    return redirect_to(request, reverse("admissions:setup"))
