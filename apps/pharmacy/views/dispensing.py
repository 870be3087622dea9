"""Dispensing a consultation's prescription: find it by the number printed on it (or
from the list of prescriptions not fully given yet), map each item to a catalogue
medicine, and sell it as one sale to the prescription's patient."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.consultations.models import ConsultationStatus
from apps.consultations.selectors import prescription_get
from apps.core.exceptions import ValidationError
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import submitted_once
from apps.core.viewkit import Refused, form_action, found
from apps.pharmacy.forms import DispenseLineFormSet, PrescriptionFindForm, SaleForm
from apps.pharmacy.models import Sale
from apps.pharmacy.selectors import (
    items_to_dispense,
    prescription_get_for_dispensing,
    prescriptions_to_dispense,
)
from apps.pharmacy.services.errors import InsufficientStock
from apps.pharmacy.services.sales import sale_create
from apps.pharmacy.views.stock import document_errors

#: how far back the "to dispense" list looks
TO_DISPENSE_DAYS = 14


@require_GET
def dispense_index(request: HospitalRequest) -> HttpResponse:
    """The prescription finder and the recent prescriptions still to dispense."""
    form = PrescriptionFindForm(data=request.GET if "number" in request.GET else None)
    found_one = form_action(
        form,
        lambda data: prescription_get(number=data["number"]),
        refused=lambda error: form.add_error("number", error.message),
    )
    if found_one:
        return redirect("pharmacy:dispense", found_one.result.pk)
    since = timezone.localdate() - timedelta(days=TO_DISPENSE_DAYS)
    context = {
        "form": form,
        "prescriptions": prescriptions_to_dispense(since=since),
        "days": TO_DISPENSE_DAYS,
    }
    return render(request, "pharmacy/dispense_index.html", context)


@require_http_methods(["GET", "POST"])
@submitted_once
def dispense(request: HospitalRequest, prescription_id: uuid.UUID) -> HttpResponse:
    """The sale form filled from the prescription: one row per item, the patient set."""
    prescription = found(prescription_get_for_dispensing, prescription_id=prescription_id)
    items = items_to_dispense(prescription=prescription, today=timezone.localdate())
    data = request.POST or None
    form = SaleForm(data=data)
    lines = DispenseLineFormSet(
        data=data,
        prefix="lines",
        initial=[{"medicine": entry.medicine, "quantity": entry.left} for entry in items],
    )
    context: dict[str, object] = {
        "form": form,
        "rows": list(zip(items, lines, strict=False)),
        "lines": lines,
        "prescription": prescription,
        "completed": prescription.consultation.status == ConsultationStatus.COMPLETED,
        "all_given": all(entry.done for entry in items),
    }

    def sell(data: dict[str, Any]) -> Sale:
        if len(lines.forms) != len(items):  # rows posted for another version of it
            raise ValidationError(_("The prescription's items changed; open it again."))
        return sale_create(
            hospital=request.hospital,
            details=replace(
                form.details(),
                patient_id=prescription.patient_id,
                patient_number="",
                customer_name=prescription.patient.full_name,
            ),
            lines=[
                row.line(prescription_item_id=entry.item.pk)  # type: ignore[attr-defined]
                for entry, row in zip(items, lines.forms, strict=True)
                if row.dispenses  # type: ignore[attr-defined]
            ],
            sold_by=request.user,
        )

    sold = form_action(
        form,
        sell,
        also_valid=[lines],
        refused=lambda error: document_errors(form, lines, error),
        handles=InsufficientStock,
    )
    if isinstance(sold, Refused):
        context["shortage"] = sold.error
    elif sold:
        messages.success(
            request,
            _("Dispensed %(prescription)s as sale %(number)s.")
            % {"prescription": prescription.number, "number": sold.result.number},
        )
        return redirect_to(request, reverse("pharmacy:sale", args=[sold.result.pk]))
    return render(request, page_or_fragment(request, "pharmacy/dispense.html", "form"), context)
