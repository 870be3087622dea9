"""A consultation's diagnoses: ICD-10 search as you type, adding, marking primary,
removing."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.consultations.forms import (
    DiagnosisForm,
)
from apps.consultations.icd10 import icd10_search
from apps.consultations.models import Consultation, Diagnosis
from apps.consultations.services import (
    diagnosis_add,
    diagnosis_make_primary,
    diagnosis_remove,
)
from apps.consultations.views.common import forbidden, writable
from apps.consultations.views.detail import section_response
from apps.core.exceptions import HMSError
from apps.core.htmx import add_errors, page_or_fragment
from apps.core.http import HospitalRequest


@require_GET
@roles_required(Role.DOCTOR)
def diagnosis_search(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    query = request.GET.get("q", "").strip()[:100]
    context = {"consultation": consultation, "query": query, "results": icd10_search(query)}
    return render(
        request,
        page_or_fragment(request, "consultations/icd10_search.html", "results"),
        context,
    )


@require_POST
@roles_required(Role.DOCTOR)
def diagnosis_add_view(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = DiagnosisForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            diagnosis_add(
                consultation=consultation,
                code=form.cleaned_data["code"],
                primary=form.cleaned_data["primary"],
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return section_response(
        request, consultation, "diagnoses", ok=ok, diagnosis_form=None if ok else form
    )


def diagnosis_of(consultation: Consultation, diagnosis_id: int) -> Diagnosis:
    diagnosis = consultation.diagnoses.filter(pk=diagnosis_id).first()
    if diagnosis is None:
        raise Http404(_("There is no such diagnosis in this consultation."))
    return diagnosis


@require_POST
@roles_required(Role.DOCTOR)
def diagnosis_change(
    request: HospitalRequest, consultation_id: uuid.UUID, diagnosis_id: int, action: str
) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    diagnosis = diagnosis_of(consultation, diagnosis_id)
    form = DiagnosisForm()
    ok = True
    try:
        if action == "primary":
            diagnosis_make_primary(diagnosis=diagnosis)
        else:
            diagnosis_remove(diagnosis=diagnosis)
    except HMSError as exc:
        form.add_error(None, exc.message)
        ok = False
    return section_response(
        request, consultation, "diagnoses", ok=ok, diagnosis_form=None if ok else form
    )
