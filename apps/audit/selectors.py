"""Reading the current hospital's audit log."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from apps.audit.models import ClinicalEvent


def clinical_event_search(
    *,
    query: str = "",
    action: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[ClinicalEvent]:
    """Newest first; each word of ``query`` must match who, the action, the record or
    a changed field's name; ``action`` matches a prefix ("patient." for every patient
    event)."""
    events = ClinicalEvent.objects.all()
    for term in query.casefold().split()[:10]:
        events = events.filter(search_text__contains=term)
    if action:
        events = events.filter(action__startswith=action)
    if since is not None:
        events = events.filter(at__date__gte=since)
    if until is not None:
        events = events.filter(at__date__lte=until)
    return events.order_by("-at", "-id")


def clinical_event_actions() -> list[str]:
    return list(
        ClinicalEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    )
