from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from apps.audit.services import record_opened
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import submitted_once
from apps.core.viewkit import Refused, form_action, found, paginate, search_query
from apps.pharmacy.forms import ReturnForm, SaleForm, SaleLineFormSet
from apps.pharmacy.selectors import sale_get, sale_lines, sale_search
from apps.pharmacy.services.errors import InsufficientStock
from apps.pharmacy.services.sales import sale_create, sale_return_create
from apps.pharmacy.views.stock import document_errors, new_line_response


@require_GET
def sale_index(request: HospitalRequest) -> HttpResponse:
    query = search_query(request)
    context = {"page": paginate(request, sale_search(query=query)), "query": query}
    return render(request, page_or_fragment(request, "pharmacy/sales.html", "results"), context)


@require_http_methods(["GET", "POST"])
@submitted_once
def sale_new(request: HospitalRequest) -> HttpResponse:
    data = request.POST or None
    form = SaleForm(data=data)
    lines = SaleLineFormSet(data=data, prefix="lines")
    context: dict[str, object] = {"form": form, "lines": lines}
    sold = form_action(
        form,
        lambda data: sale_create(
            hospital=request.hospital,
            details=form.details(),
            lines=[line.line() for line in lines.filled()],  # type: ignore[attr-defined]
            sold_by=request.user,
        ),
        also_valid=[lines],
        refused=lambda error: document_errors(form, lines, error),
        handles=InsufficientStock,
    )
    if isinstance(sold, Refused):  # every short medicine listed, and marked on its line
        context["shortage"] = sold.error
        short = {shortage.medicine.pk for shortage in sold.error.shortages}
        for line in lines.filled():
            if line.cleaned_data["medicine"].pk in short:
                line.add_error("quantity", _("Not enough sellable stock."))
    elif sold:
        sale = sold.result
        messages.success(request, _("Sold %(number)s.") % {"number": sale.number})
        return redirect_to(request, reverse("pharmacy:sale", args=[sale.pk]))
    return render(request, page_or_fragment(request, "pharmacy/sale_form.html", "form"), context)


@require_GET
def sale_line(request: HospitalRequest) -> HttpResponse:
    return new_line_response(request, SaleLineFormSet, "pharmacy/partials/sale_line.html")


@require_GET
def sale_detail(request: HospitalRequest, sale_id: uuid.UUID) -> HttpResponse:
    """The sale and its printable receipt (the print stylesheet hides the rest)."""
    sale = found(sale_get, sale_id=sale_id)
    record_opened(
        action="sale.viewed",
        entity="sale",
        entity_id=sale.pk,
        entity_label=sale.number,
        patient=sale.patient,
    )
    context = {"sale": sale, "lines": sale_lines(sale=sale), "returns": sale.returns.all()}
    return render(
        request, page_or_fragment(request, "pharmacy/sale_detail.html", "content"), context
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def sale_return(request: HospitalRequest, sale_id: uuid.UUID) -> HttpResponse:
    sale = found(sale_get, sale_id=sale_id)
    returnable = [line for line in sale_lines(sale=sale) if line.returnable > 0]
    form = ReturnForm(data=request.POST or None, lines=returnable)
    returned = form_action(
        form,
        lambda data: sale_return_create(
            sale=sale, quantities=form.quantities(), reason=data["reason"], returned_by=request.user
        ),
    )
    if returned:
        messages.success(request, _("Return recorded on %(number)s.") % {"number": sale.number})
        return redirect_to(request, reverse("pharmacy:sale", args=[sale.pk]))
    context = {"form": form, "sale": sale}
    return render(request, page_or_fragment(request, "pharmacy/return_form.html", "form"), context)
