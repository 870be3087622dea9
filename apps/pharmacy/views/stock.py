from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.exceptions import HMSError
from apps.core.htmx import add_errors, page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import submitted_once
from apps.core.viewkit import form_action, found, paginate
from apps.pharmacy.forms import AdjustmentForm, LinesFormSet, ReceiptForm, ReceiptLineFormSet
from apps.pharmacy.selectors import (
    EXPIRING_DAYS,
    batch_get,
    batches_expired,
    batches_expiring,
    low_stock,
    receipt_get,
    receipt_list,
)
from apps.pharmacy.services.errors import InvalidDocument
from apps.pharmacy.services.stock import stock_adjust, stock_receive

#: the most rows a document form grows to (the formsets' max_num)
MAX_LINES = 50


def document_errors(form: forms.Form, lines: LinesFormSet, error: HMSError) -> None:
    """A service's errors next to their fields: the header's on the form, each line's
    on its row."""
    if isinstance(error, InvalidDocument):
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
        lines.add_service_errors(error)
    else:
        add_errors(form, error)


def new_line_response(
    request: HospitalRequest, formset_class: type[LinesFormSet], template: str
) -> HttpResponse:
    """One more empty row for a document's lines, and the formset's new row count
    (swapped out of band), so "Add a line" needs no script of our own."""
    try:
        index = int(request.GET.get("lines-TOTAL_FORMS", ""))
    except ValueError:
        index = 0
    index = max(0, min(index, MAX_LINES - 1))
    form = formset_class(prefix="lines").empty_form
    form.prefix = f"lines-{index}"
    return render(request, template, {"line": form, "total": index + 1, "oob": True})


@require_GET
def receipt_index(request: HospitalRequest) -> HttpResponse:
    context = {"page": paginate(request, receipt_list())}
    return render(request, page_or_fragment(request, "pharmacy/receipts.html", "results"), context)


@require_http_methods(["GET", "POST"])
@submitted_once
def receipt_new(request: HospitalRequest) -> HttpResponse:
    data = request.POST or None
    form = ReceiptForm(data=data, initial={"received_on": timezone.localdate()})
    lines = ReceiptLineFormSet(data=data, prefix="lines")
    received = form_action(
        form,
        lambda data: stock_receive(
            hospital=request.hospital,
            supplier_id=data["supplier"].pk,
            received_on=data["received_on"],
            supplier_invoice=data["supplier_invoice"],
            note=data["note"],
            lines=[line.line() for line in lines.filled()],  # type: ignore[attr-defined]
            received_by=request.user,
        ),
        also_valid=[lines],
        refused=lambda error: document_errors(form, lines, error),
    )
    if received:
        receipt = received.result
        messages.success(request, _("Received %(number)s.") % {"number": receipt.number})
        return redirect_to(request, reverse("pharmacy:receipt", args=[receipt.pk]))
    context = {"form": form, "lines": lines}
    return render(request, page_or_fragment(request, "pharmacy/receipt_form.html", "form"), context)


@require_GET
def receipt_line(request: HospitalRequest) -> HttpResponse:
    return new_line_response(request, ReceiptLineFormSet, "pharmacy/partials/receipt_line.html")


@require_GET
def receipt_detail(request: HospitalRequest, receipt_id: uuid.UUID) -> HttpResponse:
    receipt = found(receipt_get, receipt_id=receipt_id)
    context = {"receipt": receipt, "batches": receipt.batches.select_related("medicine")}
    return render(
        request, page_or_fragment(request, "pharmacy/receipt_detail.html", "content"), context
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def batch_adjust(request: HospitalRequest, batch_id: uuid.UUID) -> HttpResponse:
    batch = found(batch_get, batch_id=batch_id)
    form = AdjustmentForm(data=request.POST or None)
    if form_action(form, lambda data: stock_adjust(batch=batch, adjusted_by=request.user, **data)):
        messages.success(request, _("Adjusted batch %(batch)s.") % {"batch": batch.batch_number})
        return redirect_to(request, reverse("pharmacy:medicine", args=[batch.medicine_id]))
    context = {"form": form, "batch": batch}
    return render(request, page_or_fragment(request, "pharmacy/adjust.html", "form"), context)


@require_GET
def low_stock_list(request: HospitalRequest) -> HttpResponse:
    context = {"medicines": low_stock(today=timezone.localdate()), "alert": "low"}
    return render(request, page_or_fragment(request, "pharmacy/alerts.html", "results"), context)


@require_GET
def expiring_list(request: HospitalRequest) -> HttpResponse:
    try:
        days = int(request.GET.get("days", EXPIRING_DAYS))
    except ValueError:
        days = EXPIRING_DAYS
    days = max(1, min(days, 730))
    context = {
        "batches": batches_expiring(today=timezone.localdate(), days=days),
        "alert": "expiring",
        "days": days,
    }
    return render(request, page_or_fragment(request, "pharmacy/alerts.html", "results"), context)


@require_GET
def expired_list(request: HospitalRequest) -> HttpResponse:
    context = {"batches": batches_expired(today=timezone.localdate()), "alert": "expired"}
    return render(request, page_or_fragment(request, "pharmacy/alerts.html", "results"), context)
