"""The day's flow board: everyone with the module sees it."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.accounts.access import may_act_as, may_use_module
from apps.appointments import selectors
from apps.appointments.forms import BoardFilterForm
from apps.appointments.models import AppointmentStatus
from apps.appointments.views import BOOKERS
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.modules import module_for_namespace


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
