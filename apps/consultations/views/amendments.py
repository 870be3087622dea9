"""Amending a completed consultation: a note field or a diagnosis, with a reason (the
signed record is amended, never overwritten)."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.consultations.forms import (
    AmendmentForm,
    DiagnosisAmendmentForm,
)
from apps.consultations.services import (
    consultation_amend,
    diagnosis_amend,
)
from apps.consultations.views.common import forbidden, writable
from apps.consultations.views.detail import section_response
from apps.consultations.views.diagnoses import diagnosis_of
from apps.core.exceptions import HMSError
from apps.core.htmx import add_errors
from apps.core.http import HospitalRequest


@require_POST
@roles_required(Role.DOCTOR)
def consultation_amend_view(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = AmendmentForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            consultation_amend(
                consultation=consultation,
                field=form.cleaned_data["field"],
                new_value=form.cleaned_data["new_value"],
                reason=form.cleaned_data["reason"],
                author=request.user,
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return section_response(request, consultation, "record", ok=ok, amend_form=None if ok else form)


@require_POST
@roles_required(Role.DOCTOR)
def diagnosis_amend_view(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = DiagnosisAmendmentForm(data=request.POST, diagnoses=list(consultation.diagnoses.all()))
    ok = form.is_valid()
    if ok:
        try:
            diagnosis_amend(
                diagnosis=diagnosis_of(consultation, form.cleaned_data["diagnosis"]),
                new_code=form.cleaned_data["new_code"],
                reason=form.cleaned_data["reason"],
                author=request.user,
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return section_response(
        request, consultation, "record", ok=ok, diagnosis_amend_form=None if ok else form
    )
