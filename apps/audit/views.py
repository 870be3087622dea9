"""The hospital's audit log page, for its administrators (mounted in the staff module,
which only administrators may use)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.audit.forms import EventSearchForm
from apps.audit.selectors import clinical_event_actions, clinical_event_search
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.viewkit import paginate

PAGE_SIZE = 50


@require_GET
def event_list(request: HospitalRequest) -> HttpResponse:
    form = EventSearchForm(data=request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    events = clinical_event_search(
        query=criteria.get("q", ""),
        action=criteria.get("action", ""),
        patient=criteria.get("patient", ""),
        user=criteria.get("user", ""),
        since=criteria.get("since"),
        until=criteria.get("until"),
    )
    page = paginate(request, events, size=PAGE_SIZE)
    context = {"form": form, "page": page, "actions": clinical_event_actions()}
    return render(request, page_or_fragment(request, "audit/events.html", "results"), context)
