from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.viewkit import form_action, found, paginate, search_query
from apps.pharmacy.forms import MedicineForm, SupplierForm
from apps.pharmacy.selectors import (
    medicine_batches,
    medicine_get,
    medicine_ledger,
    medicine_search,
    supplier_get,
    supplier_list,
)
from apps.pharmacy.services.catalogue import (
    medicine_create,
    medicine_update,
    supplier_create,
    supplier_update,
)


@require_GET
def medicine_list(request: HospitalRequest) -> HttpResponse:
    query = search_query(request)
    context = {"page": paginate(request, medicine_search(query=query)), "query": query}
    return render(request, page_or_fragment(request, "pharmacy/medicines.html", "results"), context)


@require_http_methods(["GET", "POST"])
def medicine_new(request: HospitalRequest) -> HttpResponse:
    form = MedicineForm(data=request.POST or None)
    if created := form_action(form, lambda data: medicine_create(details=form.details())):
        medicine = created.result
        messages.success(request, _("Added %(medicine)s.") % {"medicine": medicine})
        return redirect_to(request, reverse("pharmacy:medicine", args=[medicine.pk]))
    context = {"form": form, "action": reverse("pharmacy:medicine_new")}
    return render(
        request, page_or_fragment(request, "pharmacy/medicine_form.html", "form"), context
    )


@require_GET
def medicine_detail(request: HospitalRequest, medicine_id: uuid.UUID) -> HttpResponse:
    medicine = found(medicine_get, medicine_id=medicine_id)
    context = {
        "medicine": medicine,
        "batches": medicine_batches(medicine=medicine),
        "ledger": medicine_ledger(medicine=medicine),
    }
    return render(
        request, page_or_fragment(request, "pharmacy/medicine_detail.html", "content"), context
    )


@require_http_methods(["GET", "POST"])
def medicine_edit(request: HospitalRequest, medicine_id: uuid.UUID) -> HttpResponse:
    medicine = found(medicine_get, medicine_id=medicine_id)
    form = MedicineForm.for_medicine(medicine, data=request.POST or None)
    if form_action(form, lambda data: medicine_update(medicine=medicine, details=form.details())):
        messages.success(request, _("Saved %(medicine)s.") % {"medicine": medicine})
        return redirect_to(request, reverse("pharmacy:medicine", args=[medicine.pk]))
    context = {
        "form": form,
        "medicine": medicine,
        "action": reverse("pharmacy:medicine_edit", args=[medicine.pk]),
    }
    return render(
        request, page_or_fragment(request, "pharmacy/medicine_form.html", "form"), context
    )


@require_GET
def supplier_index(request: HospitalRequest) -> HttpResponse:
    context = {"page": paginate(request, supplier_list())}
    return render(request, page_or_fragment(request, "pharmacy/suppliers.html", "results"), context)


@require_http_methods(["GET", "POST"])
def supplier_new(request: HospitalRequest) -> HttpResponse:
    form = SupplierForm(data=request.POST or None)
    if created := form_action(form, lambda data: supplier_create(details=form.details())):
        messages.success(request, _("Added supplier %(name)s.") % {"name": created.result.name})
        return redirect_to(request, reverse("pharmacy:suppliers"))
    context = {"form": form, "action": reverse("pharmacy:supplier_new")}
    return render(
        request, page_or_fragment(request, "pharmacy/supplier_form.html", "form"), context
    )


@require_http_methods(["GET", "POST"])
def supplier_edit(request: HospitalRequest, supplier_id: uuid.UUID) -> HttpResponse:
    supplier = found(supplier_get, supplier_id=supplier_id)
    form = SupplierForm.for_supplier(supplier, data=request.POST or None)
    if form_action(form, lambda data: supplier_update(supplier=supplier, details=form.details())):
        messages.success(request, _("Saved supplier %(name)s.") % {"name": supplier.name})
        return redirect_to(request, reverse("pharmacy:suppliers"))
    context = {
        "form": form,
        "supplier": supplier,
        "action": reverse("pharmacy:supplier_edit", args=[supplier.pk]),
    }
    return render(
        request, page_or_fragment(request, "pharmacy/supplier_form.html", "form"), context
    )
