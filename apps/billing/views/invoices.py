"""Invoice lists, and making an invoice from a patient's unbilled items."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.access import may_act_as, roles_required
from apps.billing import selectors, services
from apps.billing.forms import InvoicePickForm
from apps.billing.views import ACCOUNTS, CASHIERS, PAGE_SIZE
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import submitted_once
from apps.core.viewkit import form_action, found, paginate, posted, search_query
from apps.patients.selectors import patient_get, patient_search


@require_GET
@roles_required(*CASHIERS)
def invoice_list(request: HospitalRequest) -> HttpResponse:
    state = request.GET.get("state", "unpaid")
    if state not in selectors.INVOICE_FILTERS:
        state = "unpaid"
    query = search_query(request)
    invoices = selectors.invoice_list(state=state, query=query)
    context = {
        "page": paginate(request, invoices, size=PAGE_SIZE),
        "state": state,
        "query": query,
        "states": selectors.INVOICE_FILTERS,
        "unpaid_total": selectors.unpaid_total() if state == "unpaid" else None,
        "can_account": may_act_as(request.user, ACCOUNTS),
    }
    return render(request, page_or_fragment(request, "billing/invoices.html", "results"), context)


@require_GET
@roles_required(*CASHIERS)
def invoice_new(request: HospitalRequest) -> HttpResponse:
    """Find the patient to invoice."""
    query = search_query(request)
    patients = patient_search(query=query)[:PAGE_SIZE] if query else []
    context = {
        "query": query,
        "patients": patients,
        "can_account": may_act_as(request.user, ACCOUNTS),
    }
    return render(request, page_or_fragment(request, "billing/new.html", "results"), context)


@require_http_methods(["GET", "POST"])
@roles_required(*CASHIERS)
@submitted_once
def invoice_pick(request: HospitalRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The patient's unbilled items, all ticked: a draft of those chosen."""
    patient = found(patient_get, patient_id=patient_id)
    items = selectors.unbilled_items(patient_id=patient.pk)
    form = InvoicePickForm(data=posted(request), items=items)
    created = form_action(
        form,
        lambda data: services.invoice_create(
            patient=patient,
            item_keys=data["items"],
            service_lines=[services.ServiceLine(data["service"], data["quantity"])]
            if data["service"]
            else [],
            created_by_id=request.user.pk,
        ),
    )
    if created:
        return redirect_to(request, reverse("billing:invoice", args=[created.result.pk]))
    # the checkboxes drawn by the template itself: 20 widget templates rendered one by
    # one cost more than the rest of the page (benchmark clinic)
    chosen = {str(key) for key in form["items"].value() or []}
    keys = [services.item_key(item) for item in items]
    today = timezone.localdate()
    rows = [
        (key, item, key in chosen, timezone.localdate(item.occurred_at) > today)
        for key, item in zip(keys, items, strict=True)
    ]
    context = {
        "patient": patient,
        "form": form,
        "rows": rows,
        "has_later": any(row[3] for row in rows),
        "can_account": may_act_as(request.user, ACCOUNTS),
    }
    return render(request, page_or_fragment(request, "billing/pick.html", "form"), context)
