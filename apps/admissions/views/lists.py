"""The ward lists: everyone admitted (by ward, with overdue doses), the patients
waiting for a bed, and those due to go home."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.accounts.access import may_act_as
from apps.accounts.models import Role
from apps.admissions import selectors
from apps.admissions.models import Admission
from apps.admissions.views.common import ADMITTERS
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.viewkit import found


@require_GET
def admitted_list(request: HospitalRequest) -> HttpResponse:
    """Everyone in a bed, by ward; with a ward chosen, the nurse's ward view (overdue
    doses per patient)."""
    ward = None
    if request.GET.get("ward"):
        ward = found(selectors.ward_get, ward_id=request.GET["ward"])
    now = timezone.now()
    rows = selectors.admitted(ward=ward)
    overdue_of = selectors.overdue_counts(admissions=rows, now=now)
    groups: dict[str, list[tuple[Admission, Any, int]]] = {}
    for admission in rows:
        stay = selectors.current_occupancy(admission)
        name = stay.bed.room.ward.name if stay else ""
        overdue = overdue_of[admission.pk]
        groups.setdefault(name, []).append((admission, stay, overdue))
    context = {
        "ward": ward,
        "wards": selectors.wards().filter(is_active=True),
        "groups": list(groups.items()),
        "tab": "admitted",
    }
    return render(request, page_or_fragment(request, "admissions/admitted.html", "list"), context)


@require_GET
def to_admit(request: HospitalRequest) -> HttpResponse:
    context = {
        "requests": selectors.pending_requests(),
        "may_admit": may_act_as(request.user, frozenset(ADMITTERS)),
        "may_cancel": may_act_as(request.user, frozenset({Role.DOCTOR})),
        "tab": "to_admit",
    }
    return render(request, "admissions/to_admit.html", context)


@require_GET
def to_discharge(request: HospitalRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "admissions": [
            (a, selectors.current_occupancy(a)) for a in selectors.to_discharge(today=today)
        ],
        "today": today,
        "tab": "to_discharge",
    }
    return render(request, "admissions/to_discharge.html", context)
