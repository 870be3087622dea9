"""Reading the current hospital's audit log."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from apps.audit.models import ClinicalEvent


def clinical_event_search(
    *,
    query: str = "",
    action: str = "",
    patient: str = "",
    user: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[ClinicalEvent]:
    """Newest first; each word of ``query`` must match who, the action, the record, the
    patient's number or a changed field's name; ``action`` matches a prefix ("patient."
    for every patient event); ``patient`` is a patient's number or id (every event of
    their records, the openings too); ``user`` is a username, or its beginning."""
    events = ClinicalEvent.objects.all()
    for term in query.casefold().split()[:10]:
        events = events.filter(search_text__contains=term)
    if patient.strip():
        patient = patient.strip()
        events = events.filter(Q(patient_label__iexact=patient) | Q(patient_id=patient))
    if user.strip():
        events = events.filter(actor_username__istartswith=user.strip())
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


def clinical_events_of_patient(*, patient_id: object, limit: int = 20) -> list[ClinicalEvent]:
    """The newest events of one patient's records: who opened, printed or changed what,
    and when ("who looked at my record")."""
    return list(
        ClinicalEvent.objects.filter(patient_id=str(patient_id)).order_by("-at", "-id")[:limit]
    )
