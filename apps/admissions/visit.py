"""Admissions' section on the consultation page: "Admit" for the doctor (an admission
request with the patient, the doctor and the working diagnosis, nothing to type), or
where the patient stands when they are already waiting for a bed or admitted."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse

from apps.accounts.access import may_act_as
from apps.admissions.models import Admission, AdmissionRequest, AdmissionStatus, RequestStatus
from apps.consultations.models import Consultation
from apps.core.visit_sections import VisitSection

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital

ADMITTING_ROLES = frozenset({"doctor"})


def _url(name: str, *args: object) -> str:
    return reverse(name, args=args, urlconf=settings.HMS_HOSPITAL_URLCONF)


def admit_visit_section(
    *, hospital: Hospital, user: User, appointment_id: uuid.UUID
) -> VisitSection | None:
    if not hospital.module_enabled("admissions") or not may_act_as(user, ADMITTING_ROLES):
        return None
    consultation = (
        Consultation.objects.filter(appointment_id=appointment_id).only("id", "patient_id").first()
    )
    if consultation is None:
        return None
    admission = Admission.objects.filter(
        patient_id=consultation.patient_id, status=AdmissionStatus.ADMITTED
    ).first()
    waiting = (
        AdmissionRequest.objects.filter(
            patient_id=consultation.patient_id, status=RequestStatus.PENDING
        ).exists()
        if admission is None
        else False
    )
    return VisitSection(
        key="admissions",
        template="admissions/partials/visit_section.html",
        context={
            "admission": admission,
            "admission_url": _url("admissions:detail", admission.pk) if admission else "",
            "waiting": waiting,
            "to_admit_url": _url("admissions:to_admit"),
            "admit_url": f"{_url('admissions:request_new')}?consultation={consultation.pk}",
        },
        order=60,
    )
