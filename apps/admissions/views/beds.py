"""The bed map of a ward, and a nurse marking a bed clean."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import may_act_as, roles_required
from apps.accounts.models import Role
from apps.admissions import selectors, services
from apps.admissions.models import BedStatus, Ward
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import action, found, section_or_redirect


def _bed_map_page(request: HospitalRequest, ward: Ward) -> HttpResponse:
    context = {
        "ward": ward,
        "wards": selectors.wards().filter(is_active=True),
        "rooms": selectors.bed_map(ward=ward),
        "counts": selectors.bed_counts(ward=ward),
        "Status": BedStatus,
        "may_clean": may_act_as(request.user, frozenset({Role.NURSE})),
        "tab": "beds",
    }
    return render(request, page_or_fragment(request, "admissions/bed_map.html", "map"), context)


@require_GET
def bed_map(request: HospitalRequest, ward_id: uuid.UUID) -> HttpResponse:
    return _bed_map_page(request, found(selectors.ward_get, ward_id=ward_id))


@require_GET
def bed_maps(request: HospitalRequest) -> HttpResponse:
    """The first ward's map (the tab's landing page)."""
    ward = selectors.wards().filter(is_active=True).first()
    if ward is None:
        return render(request, "admissions/no_wards.html", {"tab": "beds"})
    return _bed_map_page(request, ward)


@require_POST
@roles_required(Role.NURSE)
@acted_once
def bed_clean(request: HospitalRequest, bed_id: uuid.UUID) -> HttpResponse:
    """A nurse marks a bed clean; with htmx the map comes back in place."""
    bed = found(selectors.bed_get, bed_id=bed_id)
    action(request, lambda: services.bed_mark_clean(bed=bed))
    return section_or_redirect(
        request,
        lambda: _bed_map_page(request, bed.room.ward),
        reverse("admissions:bed_map", args=[bed.room.ward_id]),
    )
