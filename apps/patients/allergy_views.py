"""A patient's allergies on the patient's page: record one against an allergen of the
list, change or make it inactive, or say the patient has no known allergies. Each posts
on its own and, with htmx, swaps only the allergies section."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from apps.accounts.access import roles_required
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.viewkit import Refused, attempt, form_action, found, section_or_redirect
from apps.patients.allergies import (
    allergy_get,
    patient_allergy_change,
    patient_allergy_record,
    patient_no_known_allergies,
)
from apps.patients.forms import AllergyChangeForm, AllergyForm
from apps.patients.models import Patient
from apps.patients.selectors import patient_get
from apps.patients.views import ALLERGY_RECORDERS, detail_context


def _answer(request: HospitalRequest, patient: Patient, done: object, **shown: Any) -> HttpResponse:
    """Done: the section afresh (htmx) or the patient's page. Not done: the section (or
    the page) with the posted form and the refusal."""
    patient.refresh_from_db()
    if done:
        return section_or_redirect(
            request,
            lambda: render(
                request, "patients/detail.html#allergies", detail_context(request, patient)
            ),
            reverse("patients:detail", args=[patient.pk]),
        )
    context = detail_context(request, patient, **shown)
    return render(request, page_or_fragment(request, "patients/detail.html", "allergies"), context)


@require_POST
@roles_required(*ALLERGY_RECORDERS)
def allergy_add(request: HospitalRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = found(patient_get, patient_id=patient_id)
    form = AllergyForm(data=request.POST)
    done = form_action(
        form,
        lambda data: patient_allergy_record(
            patient=patient, details=form.details(), recorded_by=request.user
        ),
    )
    return _answer(request, patient, done, allergy_form=form)


@require_POST
@roles_required(*ALLERGY_RECORDERS)
def allergy_change(
    request: HospitalRequest, patient_id: uuid.UUID, allergy_id: int
) -> HttpResponse:
    patient = found(patient_get, patient_id=patient_id)
    allergy = found(allergy_get, patient=patient, allergy_id=allergy_id)
    form = AllergyChangeForm(data=request.POST)
    done = form_action(
        form,
        lambda data: patient_allergy_change(
            allergy=allergy,
            reaction=data["reaction"],
            severity=data["severity"],
            is_active=data["is_active"],
            changed_by=request.user,
        ),
    )
    return _answer(request, patient, done, change_form=form, changed_id=allergy.pk)


@require_POST
@roles_required(*ALLERGY_RECORDERS)
def no_known_allergies(request: HospitalRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = found(patient_get, patient_id=patient_id)
    stated = attempt(lambda: patient_no_known_allergies(patient=patient, stated_by=request.user))
    if isinstance(stated, Refused):
        return _answer(request, patient, None, status_error=stated.message)
    return _answer(request, patient, stated)
