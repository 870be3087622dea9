"""Reading the emergency department: the board, one visit with its triages."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.core.exceptions import NotFound
from apps.emergency.models import ON_THE_BOARD, EmergencyVisit, PlaceholderPatient, Triage


def board() -> QuerySet[EmergencyVisit]:
    """Who is in the department: most urgent colour first, then longest waiting (PIH-ED's
    board order); the untriaged after every colour."""
    return (
        EmergencyVisit.objects.filter(status__in=ON_THE_BOARD)
        .select_related("patient", "patient__emergency_placeholder")
        .order_by("colour_rank", "arrived_at")
    )


def visit_get(*, visit_id: uuid.UUID | str) -> EmergencyVisit:
    try:
        return EmergencyVisit.objects.select_related("patient").get(pk=visit_id)
    except (EmergencyVisit.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such emergency visit.")) from None


def triages_of(visit: EmergencyVisit) -> list[Triage]:
    """Every triage of the visit, latest first."""
    return list(visit.triages.order_by("-sequence"))


def placeholder_of(patient_id: uuid.UUID) -> PlaceholderPatient | None:
    return PlaceholderPatient.objects.filter(patient_id=patient_id).first()
