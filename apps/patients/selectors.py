"""Finding patients in the selected hospital's database."""

from __future__ import annotations

import re
import uuid
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.core.exceptions import NotFound
from apps.patients import history
from apps.patients.models import Patient, name_key

_PHONE_LIKE = re.compile(r"^\+?[0-9 ()./-]{4,}$")


def patient_search(*, query: str = "") -> QuerySet[Patient]:
    """Patients matching one search box: each word must appear in the name, the patient
    number or the phone; a query that looks like a phone number is matched as one,
    whatever spaces or dashes it is typed with."""
    patients = Patient.objects.all()
    query = query.strip()
    if _PHONE_LIKE.match(query):
        terms = [re.sub(r"[^0-9+]", "", query)]
    else:
        terms = query.casefold().split()
    for term in terms:
        patients = patients.filter(search_text__contains=term)
    return patients


def patient_get(*, patient_id: uuid.UUID | str) -> Patient:
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise NotFound(_("There is no such patient in this hospital."))
    return patient


def patient_likely_duplicates(
    *,
    first_name: str,
    last_name: str,
    birth_date: date | None,
    sex: str,
    phone: str,
    exclude: Patient | None = None,
    limit: int = 10,
) -> list[Patient]:
    """Patients who may be the same person: same name, date of birth and sex, or the
    same (normalised) phone number."""
    same_person = Q(name_key=name_key(first_name, last_name), birth_date=birth_date, sex=sex)
    matches = Patient.objects.filter(same_person | Q(phone=phone))
    if exclude is not None:
        matches = matches.exclude(pk=exclude.pk)
    return list(matches[:limit])


def patient_history(*, patient: Patient) -> list[history.HistoryEntry]:
    return history.collect(patient)
