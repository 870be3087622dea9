"""The consultations in the patient's history: one entry per visit, with its diagnoses
and what was prescribed (for clinicians only: ``HistoryEntry.clinical``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.consultations.selectors import consultations_of_patient
from apps.patients.history import HistoryEntry

if TYPE_CHECKING:
    from apps.patients.models import Patient


def consultations_of(patient: Patient) -> Iterable[HistoryEntry]:
    for consultation in consultations_of_patient(patient_id=patient.pk):
        diagnoses = "; ".join(str(d) for d in consultation.diagnoses.all())
        prescription = getattr(consultation, "prescription", None)
        medicines = (
            "; ".join(f"{i.medicine} {i.dose}" for i in prescription.items.all())
            if prescription is not None
            else ""
        )
        parts = []
        if diagnoses:
            parts.append(_("Diagnoses: %(diagnoses)s") % {"diagnoses": diagnoses})
        if medicines:
            parts.append(_("Prescribed: %(medicines)s") % {"medicines": medicines})
        yield HistoryEntry(
            when=consultation.started_at,
            kind=_("Consultation"),
            title=_("Consultation with %(doctor)s") % {"doctor": consultation.doctor.full_name},
            detail=" · ".join(parts),
            clinical=True,
            url=reverse(
                "consultations:detail",
                args=[consultation.pk],
                urlconf=settings.HMS_HOSPITAL_URLCONF,
            ),
        )
