"""A consultation's diagnoses: ICD-10 search as you type, adding, marking primary,
removing."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.consultations import selectors
from apps.consultations.forms import DiagnosisForm
from apps.consultations.icd10 import icd10_search
from apps.consultations.services import diagnosis_add, diagnosis_make_primary, diagnosis_remove
from apps.consultations.views.common import forbidden, writable
from apps.consultations.views.detail import section_response
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import attempt, form_action, found, search_query


@require_GET
@roles_required(Role.DOCTOR)
def diagnosis_search(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    query = search_query(request)
    context = {"consultation": consultation, "query": query, "results": icd10_search(query)}
    return render(
        request,
        page_or_fragment(request, "consultations/icd10_search.html", "results"),
        context,
    )


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def diagnosis_add_view(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = DiagnosisForm(data=request.POST)
    done = form_action(
        form,
        lambda data: diagnosis_add(
            consultation=consultation,
            code=data["code"],
            primary=data["primary"],
            author=request.user,
        ),
    )
    return section_response(request, consultation, "diagnoses", done, diagnosis_form=form)


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def diagnosis_change(
    request: HospitalRequest, consultation_id: uuid.UUID, diagnosis_id: int, action: str
) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    diagnosis = found(selectors.diagnosis_get, consultation=consultation, diagnosis_id=diagnosis_id)
    change = diagnosis_make_primary if action == "primary" else diagnosis_remove
    changed = attempt(lambda: change(diagnosis=diagnosis))
    return section_response(request, consultation, "diagnoses", changed)
