"""Billing pages. The front desk (receptionists) and accountants invoice and take money;
cancelling issued invoices, credit notes, write-offs, the price list and the collections
report are for accountants (hospital administrators may do everything)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import may_act_as, roles_required
from apps.accounts.models import Role
from apps.accounts.selectors import accounts_by_id
from apps.billing import selectors, services
from apps.billing.forms import (
    AddServiceForm,
    CollectionsForm,
    DiscountForm,
    InvoicePickForm,
    PaymentForm,
    ReasonForm,
    ServiceForm,
    WriteOffForm,
)
from apps.billing.models import Invoice, InvoiceStatus, Service
from apps.core.exceptions import Conflict, HMSError, NotFound
from apps.core.htmx import add_errors, page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.doctors.selectors import doctor_list
from apps.patients.models import Patient
from apps.patients.selectors import patient_get, patient_search

#: take money and make invoices
CASHIERS = frozenset({Role.ACCOUNTANT, Role.RECEPTIONIST})
#: run the books: price list, cancel issued invoices, credit notes, write-offs, reports
ACCOUNTS = frozenset({Role.ACCOUNTANT})
PAGE_SIZE = 25


def _get_invoice(invoice_id: uuid.UUID) -> Invoice:
    try:
        return selectors.invoice_get(invoice_id=invoice_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _get_patient(patient_id: uuid.UUID) -> Patient:
    try:
        return patient_get(patient_id=patient_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _get_service(service_id: int) -> Service:
    try:
        return selectors.service_get(service_id=service_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


# -- invoice lists ---------------------------------------------------------------------------


@require_GET
@roles_required(*CASHIERS)
def invoice_list(request: HospitalRequest) -> HttpResponse:
    state = request.GET.get("state", "unpaid")
    if state not in selectors.INVOICE_FILTERS:
        state = "unpaid"
    query = request.GET.get("q", "").strip()[:100]
    invoices = selectors.invoice_list(state=state, query=query)
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
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
    query = request.GET.get("q", "").strip()[:100]
    patients = patient_search(query=query)[:PAGE_SIZE] if query else []
    context = {
        "query": query,
        "patients": patients,
        "can_account": may_act_as(request.user, ACCOUNTS),
    }
    return render(request, page_or_fragment(request, "billing/new.html", "results"), context)


@require_http_methods(["GET", "POST"])
@roles_required(*CASHIERS)
def invoice_pick(request: HospitalRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The patient's unbilled items, all ticked: a draft of those chosen."""
    patient = _get_patient(patient_id)
    items = selectors.unbilled_items(patient_id=patient.pk)
    form = InvoicePickForm(data=request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST" and form.is_valid():
        service = form.cleaned_data["service"]
        try:
            invoice = services.invoice_create(
                patient=patient,
                item_keys=form.cleaned_data["items"],
                service_lines=[services.ServiceLine(service, form.cleaned_data["quantity"])]
                if service
                else [],
                created_by_id=request.user.pk,
            )
        except HMSError as exc:
            add_errors(form, exc)
        else:
            return redirect_to(request, reverse("billing:invoice", args=[invoice.pk]))
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


# -- one invoice -----------------------------------------------------------------------------

#: the detail page's action forms, each with a prefix so their fields never clash
ACTION_FORMS: dict[str, type[Form]] = {
    "add_service": AddServiceForm,
    "discount": DiscountForm,
    "payment": PaymentForm,
    "write_off": WriteOffForm,
    "cancel": ReasonForm,
    "credit": ReasonForm,
}


def _invoice_page(
    request: HospitalRequest, invoice: Invoice, bound: dict[str, Form] | None = None
) -> HttpResponse:
    forms: dict[str, Form] = {
        name: form_class(prefix=name) for name, form_class in ACTION_FORMS.items()
    }
    forms["discount"].initial = {
        "discount_kind": invoice.discount_kind,
        "discount_value": invoice.discount_value or None,
        "discount_reason": invoice.discount_reason,
    }
    forms["payment"].initial = {"amount": invoice.balance if invoice.is_unpaid else None}
    forms.update(bound or {})
    payments = list(invoice.payments.all())
    write_offs = list(invoice.write_offs.all())
    people = accounts_by_id(
        hospital=request.hospital,
        user_ids=[invoice.created_by_id, invoice.issued_by_id]
        + [payment.received_by_id for payment in payments]
        + [write_off.created_by_id for write_off in write_offs],
    )
    context: dict[str, Any] = {
        "invoice": invoice,
        "lines": list(invoice.lines.select_related("service")),
        "payments": [
            (payment, people.get(payment.received_by_id) if payment.received_by_id else None)
            for payment in payments
        ],
        "write_offs": [
            (write_off, people.get(write_off.created_by_id) if write_off.created_by_id else None)
            for write_off in write_offs
        ],
        "credit_note": getattr(invoice, "credit_note", None),
        "issued_by": people.get(invoice.issued_by_id) if invoice.issued_by_id else None,
        "can_account": may_act_as(request.user, ACCOUNTS),
        "forms": forms,
    }
    return render(request, page_or_fragment(request, "billing/invoice.html", "invoice"), context)


@require_GET
@roles_required(*CASHIERS)
def invoice_detail(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    return _invoice_page(request, _get_invoice(invoice_id))


def _act(
    request: HospitalRequest,
    invoice_id: uuid.UUID,
    form_name: str,
    act: Any,
    done: str,
) -> HttpResponse:
    """One action of the detail page: parse its form, call the service, show the invoice
    again (htmx) or go back to it; an error goes next to the field that caused it."""
    invoice = _get_invoice(invoice_id)
    form = ACTION_FORMS[form_name](data=request.POST, prefix=form_name)
    if form.is_valid():
        try:
            act(invoice, form.cleaned_data)
        except Conflict as exc:
            # the invoice's state refused it: said above the invoice, whose actions the
            # page redraws for that state (the form may no longer be there)
            messages.error(request, exc.message)
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            if request.htmx:
                return _invoice_page(request, _get_invoice(invoice_id))
            return redirect_to(request, reverse("billing:invoice", args=[invoice_id]))
    return _invoice_page(request, invoice, {form_name: form})


@require_POST
@roles_required(*CASHIERS)
def invoice_add_service(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    def act(invoice: Invoice, data: dict[str, Any]) -> None:
        line = services.ServiceLine(data["service"], data["quantity"])
        services.invoice_add_service(invoice=invoice, line=line)

    return _act(request, invoice_id, "add_service", act, _("Service added."))


@require_POST
@roles_required(*CASHIERS)
def invoice_remove_line(
    request: HospitalRequest, invoice_id: uuid.UUID, line_id: int
) -> HttpResponse:
    invoice = _get_invoice(invoice_id)
    try:
        services.invoice_remove_line(invoice=invoice, line_id=line_id)
    except HMSError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Line removed."))
    if request.htmx:
        return _invoice_page(request, _get_invoice(invoice_id))
    return redirect_to(request, reverse("billing:invoice", args=[invoice_id]))


@require_POST
@roles_required(*CASHIERS)
def invoice_discount(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    def act(invoice: Invoice, data: dict[str, Any]) -> None:
        services.invoice_set_discount(
            invoice=invoice,
            kind=data["discount_kind"],
            value=data["discount_value"] or Decimal("0"),
            reason=data["discount_reason"],
        )

    return _act(request, invoice_id, "discount", act, _("Discount saved."))


@require_POST
@roles_required(*CASHIERS)
def invoice_issue(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    invoice = _get_invoice(invoice_id)
    try:
        invoice = services.invoice_issue(
            hospital=request.hospital, invoice=invoice, issued_by_id=request.user.pk
        )
    except HMSError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Issued invoice %(number)s.") % {"number": invoice.number})
    if request.htmx:
        return _invoice_page(request, _get_invoice(invoice_id))
    return redirect_to(request, reverse("billing:invoice", args=[invoice_id]))


@require_POST
@roles_required(*CASHIERS)
def invoice_payment(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    def act(invoice: Invoice, data: dict[str, Any]) -> None:
        services.payment_record(
            hospital=request.hospital,
            invoice=invoice,
            method=data["method"],
            amount=data["amount"],
            note=data["note"],
            received_by_id=request.user.pk,
        )

    return _act(request, invoice_id, "payment", act, _("Payment recorded; the receipt is below."))


@require_POST
@roles_required(*CASHIERS)
def invoice_cancel(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    """Discard a draft (the front desk may), or cancel an issued invoice (accountants)."""
    invoice = _get_invoice(invoice_id)
    if invoice.status != InvoiceStatus.DRAFT and not may_act_as(request.user, ACCOUNTS):
        return render(request, "accounts/forbidden.html", status=403)

    def act(invoice: Invoice, data: dict[str, Any]) -> None:
        services.invoice_cancel(invoice=invoice, reason=data["reason"])

    return _act(request, invoice_id, "cancel", act, _("Invoice cancelled."))


@require_POST
@roles_required(*ACCOUNTS)
def invoice_credit(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    def act(invoice: Invoice, data: dict[str, Any]) -> None:
        services.invoice_credit(
            hospital=request.hospital,
            invoice=invoice,
            reason=data["reason"],
            created_by_id=request.user.pk,
        )

    return _act(request, invoice_id, "credit", act, _("Credit note issued."))


@require_POST
@roles_required(*ACCOUNTS)
def invoice_write_off(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    def act(invoice: Invoice, data: dict[str, Any]) -> None:
        services.invoice_write_off(
            invoice=invoice,
            amount=data["amount"],
            reason=data["reason"],
            created_by_id=request.user.pk,
        )

    return _act(request, invoice_id, "write_off", act, _("Amount written off."))


@require_GET
@roles_required(*CASHIERS)
def receipt(request: HospitalRequest, payment_id: uuid.UUID) -> HttpResponse:
    try:
        payment = selectors.payment_get(payment_id=payment_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    people = accounts_by_id(hospital=request.hospital, user_ids=[payment.received_by_id])
    cashier = people.get(payment.received_by_id) if payment.received_by_id else None
    context = {"payment": payment, "cashier": cashier}
    return render(request, "billing/receipt.html", context)


# -- price list and reports --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles_required(*CASHIERS)
def service_list(request: HospitalRequest) -> HttpResponse:
    """The price list; accountants add to it here."""
    can_edit = may_act_as(request.user, ACCOUNTS)
    if request.method == "POST" and not can_edit:
        return render(request, "accounts/forbidden.html", status=403)
    form = ServiceForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(**form.cleaned_data)
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Added %(service)s.") % {"service": service.name})
            return redirect_to(request, reverse("billing:services"))
    context = {
        "services": selectors.service_list(),
        # consultations are charged at each doctor's own fee (set on the doctor's page)
        "doctors": doctor_list().filter(is_active=True),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, page_or_fragment(request, "billing/services.html", "form"), context)


@require_http_methods(["GET", "POST"])
@roles_required(*ACCOUNTS)
def service_edit(request: HospitalRequest, service_id: int) -> HttpResponse:
    service = _get_service(service_id)
    form = ServiceForm.for_service(service, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(service=service, **form.cleaned_data)
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved %(service)s.") % {"service": service.name})
            return redirect_to(request, reverse("billing:services"))
    context = {"service": service, "form": form}
    return render(request, page_or_fragment(request, "billing/service_edit.html", "form"), context)


@require_GET
@roles_required(*ACCOUNTS)
def collections(request: HospitalRequest) -> HttpResponse:
    """Money received per day, by method and cashier, for any range of days."""
    form = CollectionsForm.from_query(request.GET)
    context: dict[str, Any] = {"form": form, "report": None}
    if form.is_valid():
        report = selectors.collections(
            start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        people = accounts_by_id(hospital=request.hospital, user_ids=report.by_cashier)

        def name(user_id: uuid.UUID | None) -> str:
            user = people.get(user_id) if user_id else None
            return (user.get_full_name() or user.username) if user else _("Unknown")

        context["report"] = report
        context["days"] = [
            (
                day.day,
                [(method, name(who), amount, n) for method, who, amount, n in day.rows],
                day.total,
            )
            for day in report.days
        ]
        context["by_cashier"] = [(name(who), amount) for who, amount in report.by_cashier.items()]
    return render(request, page_or_fragment(request, "billing/collections.html", "report"), context)
