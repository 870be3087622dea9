"""Finding patients in the selected hospital's database."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from apps.accounts.access import may_act_as, may_use_module
from apps.core.exceptions import NotFound
from apps.patients import history
from apps.patients.models import Patient, name_key
from apps.tenancy.registry import module_for_namespace

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.tenancy.models import Hospital

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


def patient_history(
    *, patient: Patient, hospital: Hospital | None = None, user: User | None = None
) -> list[history.HistoryEntry]:
    """Every module's entries about the patient, newest first. Given the viewer, an
    entry whose page they cannot open (a module the hospital does not have, or their
    role may not use) keeps its text but loses its link."""
    entries = history.collect(patient)
    if hospital is None or user is None:
        return entries
    return [
        entry if _may_open(entry, hospital=hospital, user=user) else replace(entry, url="")
        for entry in entries
    ]


def _may_open(entry: history.HistoryEntry, *, hospital: Hospital, user: User) -> bool:
    """The module a link belongs to is its URL's namespace (each module's URLs live
    under its key), so no provider has to know who is looking."""
    if not entry.url:
        return True
    try:
        match = resolve(urlsplit(entry.url).path, urlconf=settings.HMS_HOSPITAL_URLCONF)
    except Resolver404:
        return False
    module = module_for_namespace(match.namespaces[0]) if match.namespaces else None
    if module is None:
        return False
    if not hospital.module_enabled(module.key) or not may_use_module(user, module):
        return False
    return entry.roles is None or may_act_as(user, entry.roles)
