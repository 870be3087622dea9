"""Admissions in the patient's history: one entry per stay, with its beds and, once
discharged, the diagnoses at discharge."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.admissions.models import Admission
from apps.patients.history import HistoryEntry

if TYPE_CHECKING:
    from apps.patients.models import Patient


def admissions_of(patient: Patient) -> Iterable[HistoryEntry]:
    stays = Admission.objects.filter(patient=patient).prefetch_related(
        "occupancies__bed__room__ward"
    )
    for admission in stays:
        wards = []
        for stay in admission.occupancies.all():
            if stay.bed.room.ward.name not in wards:
                wards.append(stay.bed.room.ward.name)
        detail = public_detail = _("Wards: %(wards)s") % {"wards": ", ".join(wards)}
        if admission.discharge_diagnoses:
            detail = _("%(wards)s · Diagnoses at discharge: %(diagnoses)s") % {
                "wards": detail,
                "diagnoses": admission.discharge_diagnoses.replace("\n", "; "),
            }
        yield HistoryEntry(
            when=admission.admitted_at,
            kind=_("Admission"),
            title=_("Admission %(number)s (%(status)s): %(reason)s")
            % {
                "number": admission.number,
                "status": admission.get_status_display(),
                "reason": admission.reason,
            },
            detail=detail,
            # the diagnoses are for clinicians: the front desk reads the wards only
            clinical=True,
            public_detail=public_detail,
            url=reverse(
                "admissions:detail", args=[admission.pk], urlconf=settings.HMS_HOSPITAL_URLCONF
            ),
        )
