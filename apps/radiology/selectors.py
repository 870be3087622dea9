"""Reading the radiology department of the selected hospital."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.exceptions import NotFound
from apps.core.text import search_fold
from apps.doctors.models import Doctor
from apps.patients import history
from apps.patients.models import Patient
from apps.radiology.models import (
    PENDING_STATUSES,
    Examination,
    Modality,
    Priority,
    Study,
    StudyAttachment,
    StudyStatus,
)

#: urgent first, then the oldest: the department works its list from the top
_URGENT_FIRST = Case(
    When(priority=Priority.URGENT, then=Value(0)), default=Value(1), output_field=IntegerField()
)


@dataclass(frozen=True)
class StudyRow:
    study: Study
    url: str


def _url_prefix() -> str:
    # one reverse() per list, not per row: it is the costliest part of a long page
    placeholder = uuid.UUID(int=0)
    return reverse(
        "radiology:detail", args=[placeholder], urlconf=settings.HMS_HOSPITAL_URLCONF
    ).replace(f"{placeholder}/", "")


def study_rows(*, studies: Iterable[Study]) -> list[StudyRow]:
    prefix = _url_prefix()
    return [StudyRow(study=study, url=f"{prefix}{study.pk}/") for study in studies]


def _listed(studies: QuerySet[Study]) -> QuerySet[Study]:
    return studies.select_related("patient", "ordering_doctor", "examination", "modality")


def radiology_modalities() -> list[Modality]:
    return list(Modality.objects.all())


def radiology_worklist(
    *, modality: Modality | None = None, status: str = "", query: str = ""
) -> QuerySet[Study]:
    """Studies the department still has work on (of one ``modality``, or one pending
    ``status``), urgent first, then oldest first; ``query`` matches the order number or
    the patient."""
    pending = [s.value for s in PENDING_STATUSES]
    studies = Study.objects.filter(status__in=[status] if status in pending else pending)
    if modality is not None:
        studies = studies.filter(modality=modality)
    for term in search_fold(query).split()[:5]:
        studies = studies.filter(Q(number__icontains=term) | Q(patient__search_text__contains=term))
    return _listed(studies).order_by(_URGENT_FIRST, "created_at")


def radiology_worklist_counts(*, modality: Modality | None = None) -> dict[str, int]:
    """How many studies wait in each pending state, and how many are urgent."""
    studies = Study.objects.filter(status__in=PENDING_STATUSES)
    if modality is not None:
        studies = studies.filter(modality=modality)
    counts = studies.aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in PENDING_STATUSES},
        urgent=Count("pk", filter=Q(priority=Priority.URGENT)),
    )
    counts["pending"] = sum(counts[status.value] for status in PENDING_STATUSES)
    return counts


def doctor_for_user(*, user_id: uuid.UUID) -> Doctor | None:
    return Doctor.objects.filter(user_id=user_id).first()


def radiology_studies_of_doctor(*, doctor: Doctor) -> QuerySet[Study]:
    return _listed(Study.objects.filter(ordering_doctor=doctor)).order_by("-created_at")


def radiology_studies_of_visit(*, appointment_id: uuid.UUID) -> QuerySet[Study]:
    return _listed(Study.objects.filter(appointment_id=appointment_id)).order_by("created_at")


def radiology_study_get(*, study_id: uuid.UUID | str) -> Study:
    study = (
        _listed(Study.objects.all())
        .select_related("appointment__doctor")
        .prefetch_related("amendments")
        .filter(pk=study_id)
        .first()
    )
    if study is None:
        raise NotFound(_("There is no such imaging study in this hospital."))
    return study


def radiology_orderable() -> list[Examination]:
    return list(Examination.objects.filter(is_active=True).select_related("modality"))


def radiology_catalogue() -> list[Examination]:
    return list(Examination.objects.select_related("modality"))


def radiology_examination_get(*, examination_id: int) -> Examination:
    examination = Examination.objects.select_related("modality").filter(pk=examination_id).first()
    if examination is None:
        raise NotFound(_("There is no such examination in this hospital."))
    return examination


def radiology_history_entries(patient: Patient) -> list[history.HistoryEntry]:
    """The patient's imaging for their history: what was ordered, where it stands, and
    the impression once verified."""
    studies = _listed(Study.objects.filter(patient=patient)).order_by("-created_at")
    entries = []
    for row in study_rows(studies=studies):
        study = row.study
        verified = study.status == StudyStatus.VERIFIED
        entries.append(
            history.HistoryEntry(
                when=study.verified_at or study.created_at,
                kind=_("Imaging report") if verified else _("Imaging order"),
                title=_("%(number)s: %(examination)s")
                % {"number": study.number, "examination": study.examination.display_name},
                detail=study.impression if verified else str(study.get_status_display()),
                url=row.url,
            )
        )
    return entries


def radiology_attachment_get(*, study: Study, attachment_id: uuid.UUID) -> StudyAttachment:
    attachment = StudyAttachment.objects.filter(study=study, pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("There is no such attachment on this study."))
    return attachment
