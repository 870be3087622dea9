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
from apps.consultations.forms import (
    PrescriptionItemForm,
)
from apps.consultations.models import PrescriptionItem
from apps.consultations.services import (
    prescription_item_add,
    prescription_item_remove,
)
from apps.consultations.views.common import consultation_or_404, forbidden, writable
from apps.consultations.views.detail import section_response
from apps.core.exceptions import HMSError
from apps.core.htmx import add_errors
from apps.core.http import HospitalRequest


@require_POST
@roles_required(Role.DOCTOR)
def prescription_item_add_view(
    request: HospitalRequest, consultation_id: uuid.UUID
) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = PrescriptionItemForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            prescription_item_add(
                hospital=request.hospital, consultation=consultation, details=form.details()
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return section_response(
        request, consultation, "prescription", ok=ok, item_form=None if ok else form
    )


@require_POST
@roles_required(Role.DOCTOR)
def prescription_item_remove_view(
    request: HospitalRequest, consultation_id: uuid.UUID, item_id: int
) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    item = PrescriptionItem.objects.filter(
        pk=item_id, prescription__consultation=consultation
    ).first()
    if item is None:
        raise Http404(_("There is no such item in this prescription."))
    form = PrescriptionItemForm()
    ok = True
    try:
        prescription_item_remove(item=item)
    except HMSError as exc:
        form.add_error(None, exc.message)
        ok = False
    return section_response(
        request, consultation, "prescription", ok=ok, item_form=None if ok else form
    )


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
