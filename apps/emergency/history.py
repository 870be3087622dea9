"""Emergency visits in the patient's history: one entry per arrival, with its colour."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.emergency.models import EmergencyVisit
from apps.patients.history import HistoryEntry

if TYPE_CHECKING:
    from apps.patients.models import Patient


def visits_of(patient: Patient) -> Iterable[HistoryEntry]:
    for visit in EmergencyVisit.objects.filter(patient=patient).order_by("-arrived_at"):
        yield HistoryEntry(
            when=visit.arrived_at,
            kind=_("Emergency visit"),
            title=_("Emergency visit (%(status)s): %(complaint)s")
            % {"status": visit.get_status_display(), "complaint": visit.complaint or "—"},
            detail=visit.get_colour_display() if visit.colour else _("Not triaged"),
            url=reverse("emergency:visit", args=[visit.pk], urlconf=settings.HMS_HOSPITAL_URLCONF),
        )
