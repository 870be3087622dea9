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
from apps.accounts.selectors import accounts_by_id
from apps.audit.services import record_opened
from apps.consultations import selectors
from apps.consultations.forms import PrescriptionItemForm
from apps.consultations.formulary import FormularyMedicine, formulary, formulary_medicine_get
from apps.consultations.prescribing import NeedsOverride, SafetyWarning, prescription_line_add
from apps.consultations.services import prescription_item_remove
from apps.consultations.views.common import consultation_or_404, forbidden, writable
from apps.consultations.views.detail import section_response
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import Refused, attempt, form_action, found

#: how many formulary medicines the picker offers at once
PICKER_SIZE = 12


def medicine_choices(form: PrescriptionItemForm) -> list[FormularyMedicine]:
    """The picker's options for a posted form: the medicine picked (kept checked when
    the form comes back with an error) and those matching what was typed."""
    data = form.data
    query = str(data.get("medicine", "")).strip()[:100]
    picked = formulary_picked(str(data.get("medicine_id", "")))
    found_ones = formulary().search(query=query, limit=PICKER_SIZE) if query else []
    return ([picked] if picked else []) + [m for m in found_ones if not picked or m.id != picked.id]


def formulary_picked(value: str) -> FormularyMedicine | None:
    try:
        return formulary_medicine_get(medicine_id=uuid.UUID(value))
    except ValueError:
        return None


@require_GET
@roles_required(Role.DOCTOR)
def medicine_search(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    """The picker: formulary medicines whose names hold every word typed."""
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    query = request.GET.get("medicine", "").strip()[:100]
    context = {
        "consultation": consultation,
        "query": query,
        "medicines": formulary().search(query=query, limit=PICKER_SIZE) if query else [],
    }
    return render(
        request,
        page_or_fragment(request, "consultations/medicine_search.html", "results"),
        context,
    )


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
        lambda data: prescription_line_add(
            hospital=request.hospital,
            consultation=consultation,
            line=form.line(),
            prescribed_by=request.user,
        ),
        handles=NeedsOverride,
    )
    warnings: list[SafetyWarning] = []
    if isinstance(done, Refused):
        warnings = done.error.warnings
        form.add_error("override_reason", done.error.message)
        done = None
    return section_response(
        request,
        consultation,
        "prescription",
        done,
        item_form=form,
        medicine_choices=medicine_choices(form),
        warnings=warnings,
    )


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
    record_opened(
        action="prescription.printed",
        entity="prescription",
        entity_id=items[0].prescription.pk,
        entity_label=items[0].prescription.number,
        patient=consultation.patient,
    )
    # the sheet names who prescribed (and signs), never who else had the page open
    prescribers = accounts_by_id(
        hospital=request.hospital, user_ids=[item.prescribed_by_id for item in items]
    )
    context = {
        "consultation": consultation,
        "patient": consultation.patient,
        "items": items,
        "authors": prescribers,
        "signers": list(
            dict.fromkeys(
                prescribers[item.prescribed_by_id]
                for item in items
                if item.prescribed_by_id in prescribers
            )
        ),
        "diagnoses": list(selectors.diagnoses_of_consultation(consultation_id=consultation.pk)),
        "prescription": items[0].prescription,
    }
    return render(request, "consultations/prescription.html", context)
