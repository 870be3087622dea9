"""A consultation's prescription: adding and removing items, and the printable
prescription."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.consultations import selectors
from apps.consultations.forms import PrescriptionItemForm
from apps.consultations.services import prescription_item_add, prescription_item_remove
from apps.consultations.views.common import consultation_or_404, forbidden, writable
from apps.consultations.views.detail import section_response
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import attempt, form_action, found


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def prescription_item_add_view(
    request: HospitalRequest, consultation_id: uuid.UUID
) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = PrescriptionItemForm(data=request.POST)
    done = form_action(
        form,
        lambda data: prescription_item_add(
            hospital=request.hospital, consultation=consultation, details=form.details()
        ),
    )
    return section_response(request, consultation, "prescription", done, item_form=form)


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def prescription_item_remove_view(
    request: HospitalRequest, consultation_id: uuid.UUID, item_id: int
) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    item = found(selectors.prescription_item_get, consultation=consultation, item_id=item_id)
    removed = attempt(lambda: prescription_item_remove(item=item))
    return section_response(request, consultation, "prescription", removed)


@require_GET
def prescription_print(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = consultation_or_404(consultation_id)
    items = list(selectors.prescription_items_of_consultation(consultation_id=consultation.pk))
    if not items:
        raise Http404(_("Nothing was prescribed in this consultation."))
    context = {
        "consultation": consultation,
        "patient": consultation.patient,
        "items": items,
        "diagnoses": list(selectors.diagnoses_of_consultation(consultation_id=consultation.pk)),
        "prescription": items[0].prescription,
    }
    return render(request, "consultations/prescription.html", context)
