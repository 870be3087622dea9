"""Amending a completed consultation: a note field or a diagnosis, with a reason (the
signed record is amended, never overwritten)."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.views.decorators.http import require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.consultations import selectors
from apps.consultations.forms import AmendmentForm, DiagnosisAmendmentForm
from apps.consultations.services import consultation_amend, diagnosis_amend
from apps.consultations.views.common import forbidden, writable
from apps.consultations.views.detail import section_response
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import form_action, found


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def consultation_amend_view(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = AmendmentForm(data=request.POST)
    done = form_action(
        form,
        lambda data: consultation_amend(
            consultation=consultation,
            field=data["field"],
            new_value=data["new_value"],
            reason=data["reason"],
            author=request.user,
        ),
    )
    return section_response(request, consultation, "record", done, amend_form=form)


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def diagnosis_amend_view(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = DiagnosisAmendmentForm(data=request.POST, diagnoses=list(consultation.diagnoses.all()))
    done = form_action(
        form,
        lambda data: diagnosis_amend(
            # found, not the selector alone: a diagnosis gone meanwhile is a 404, as
            # before, not a refusal shown on the form
            diagnosis=found(
                selectors.diagnosis_get, consultation=consultation, diagnosis_id=data["diagnosis"]
            ),
            new_code=data["new_code"],
            reason=data["reason"],
            author=request.user,
        ),
    )
    return section_response(request, consultation, "record", done, diagnosis_amend_form=form)
