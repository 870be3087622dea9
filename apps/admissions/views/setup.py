"""The hospital administrator's ward set-up: wards, rooms, beds and the admission
settings."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import roles_required
from apps.admissions import selectors, services
from apps.admissions.forms import AdmissionSettingsForm, BedForm, RoomForm, WardForm
from apps.admissions.models import Ward
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.viewkit import form_action, found, section_or_redirect


def _setup_context(**forms: Any) -> dict[str, Any]:
    wards = selectors.wards().prefetch_related("rooms__beds")
    rules = services.admission_settings_get()
    return {
        "wards": wards,
        "ward_form": forms.get("ward_form") or WardForm(),
        "settings_form": forms.get("settings_form")
        or AdmissionSettingsForm(
            initial={
                "allow_discharge_with_unbilled": rules.allow_discharge_with_unbilled,
                "dose_window_minutes": rules.dose_window_minutes,
            }
        ),
        "tab": "setup",
    }


def _wards_section(request: HospitalRequest, done: object, **forms: Any) -> HttpResponse:
    """After a post on the wards: done, the list drawn again with an empty form (htmx)
    or the set-up page again; not done, the list with the posted form and its errors."""

    def draw(**shown: Any) -> HttpResponse:
        template = page_or_fragment(request, "admissions/setup.html", "wards")
        return render(request, template, _setup_context(**shown))

    if done:
        return section_or_redirect(request, draw, reverse("admissions:setup"))
    return draw(**forms)


@require_GET
@roles_required()
def setup(request: HospitalRequest) -> HttpResponse:
    return render(request, "admissions/setup.html", _setup_context())


@require_POST
@roles_required()
def ward_add(request: HospitalRequest) -> HttpResponse:
    form = WardForm(data=request.POST)
    done = form_action(
        form, lambda data: services.ward_create(name=data["name"], daily_rate=data["daily_rate"])
    )
    if done:  # said on the page redirected to, or out of band after an htmx swap
        messages.success(request, _("Ward added."))
    return _wards_section(request, done, ward_form=form)


def _ward_initial(ward: Ward) -> dict[str, Any]:
    return {"name": ward.name, "daily_rate": ward.daily_rate, "is_active": ward.is_active}


def _ward_context(ward: Ward, **forms: Any) -> dict[str, Any]:
    rooms = list(ward.rooms.prefetch_related("beds"))
    return {
        "ward": ward,
        "rooms": [
            (room, forms.get(f"bed_form_{room.pk}") or BedForm(prefix=f"room{room.pk}"))
            for room in rooms
        ],
        "form": forms.get("form") or WardForm(initial=_ward_initial(ward)),
        "room_form": forms.get("room_form") or RoomForm(),
        "tab": "setup",
    }


def _rooms_section(
    request: HospitalRequest, ward: Ward, done: object, **forms: Any
) -> HttpResponse:
    """After a post on a ward's rooms: done, the rooms drawn again with empty forms
    (htmx) or the ward's page again; not done, the rooms with the posted form and its
    errors."""

    def draw(**shown: Any) -> HttpResponse:
        template = page_or_fragment(request, "admissions/ward.html", "rooms")
        return render(request, template, _ward_context(ward, **shown))

    if done:
        return section_or_redirect(request, draw, reverse("admissions:ward_edit", args=[ward.pk]))
    return draw(**forms)


@require_http_methods(["GET", "POST"])
@roles_required()
def ward_edit(request: HospitalRequest, ward_id: uuid.UUID) -> HttpResponse:
    ward = found(selectors.ward_get, ward_id=ward_id)
    form = WardForm(data=request.POST or None, initial=_ward_initial(ward))
    if form_action(form, lambda data: services.ward_update(ward=ward, **data)):
        messages.success(request, _("Ward saved."))
        return redirect_to(request, reverse("admissions:ward_edit", args=[ward.pk]))
    context = _ward_context(ward, form=form)
    return render(request, page_or_fragment(request, "admissions/ward.html", "ward"), context)


@require_POST
@roles_required()
def room_add(request: HospitalRequest, ward_id: uuid.UUID) -> HttpResponse:
    ward = found(selectors.ward_get, ward_id=ward_id)
    form = RoomForm(data=request.POST)
    done = form_action(form, lambda data: services.room_create(ward=ward, name=data["name"]))
    return _rooms_section(request, ward, done, room_form=form)


@require_POST
@roles_required()
def bed_add(request: HospitalRequest, room_id: uuid.UUID) -> HttpResponse:
    room = found(selectors.room_get, room_id=room_id)
    form = BedForm(data=request.POST, prefix=f"room{room.pk}")
    done = form_action(
        form,
        lambda data: services.bed_create(
            room=room, label=data["label"], daily_rate=data["daily_rate"]
        ),
    )
    return _rooms_section(request, room.ward, done, **{f"bed_form_{room.pk}": form})


@require_POST
@roles_required()
def settings_save(request: HospitalRequest) -> HttpResponse:
    form = AdmissionSettingsForm(data=request.POST)
    if form_action(
        form,
        lambda data: services.admission_settings_update(
            allow_discharge_with_unbilled=data["allow_discharge_with_unbilled"],
            dose_window_minutes=data["dose_window_minutes"],
        ),
    ):
        messages.success(request, _("Settings saved."))
        return redirect_to(request, reverse("admissions:setup"))
    return render(request, "admissions/setup.html", _setup_context(settings_form=form))
