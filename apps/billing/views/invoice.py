"""One invoice: its page and the actions on it (services, discount, issue, payment,
cancel, credit note, write-off), and a payment's receipt."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import may_act_as, roles_required
from apps.accounts.selectors import accounts_by_id
from apps.audit.services import record_opened
from apps.billing import selectors, services
from apps.billing.forms import AddServiceForm, DiscountForm, PaymentForm, ReasonForm, WriteOffForm
from apps.billing.models import Invoice, InvoiceStatus
from apps.billing.views import ACCOUNTS, CASHIERS
from apps.core.exceptions import Conflict
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import Refused, action, form_action, found, section_or_redirect

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
    invoice = found(selectors.invoice_get, invoice_id=invoice_id)
    record_opened(
        action="invoice.viewed",
        entity="invoice",
        entity_id=invoice.pk,
        entity_label=invoice.number or f"#{invoice.pk}",  # a draft has no number
        patient=invoice.patient,
    )
    return _invoice_page(request, invoice)


def _invoice_again(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    """After an action: the invoice drawn again as it is now (htmx), or back to it."""
    return section_or_redirect(
        request,
        lambda: _invoice_page(request, found(selectors.invoice_get, invoice_id=invoice_id)),
        reverse("billing:invoice", args=[invoice_id]),
    )


def _act(
    request: HospitalRequest,
    invoice_id: uuid.UUID,
    form_name: str,
    act: Callable[[Invoice, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One action of the detail page: parse its form, call the service, show the invoice
    again (htmx) or go back to it; an error goes next to the field that caused it."""
    invoice = found(selectors.invoice_get, invoice_id=invoice_id)
    form = ACTION_FORMS[form_name](data=request.POST, prefix=form_name)
    outcome = form_action(form, lambda data: act(invoice, data), handles=Conflict)
    if isinstance(outcome, Refused):
        # the invoice's state refused it: said above the invoice, whose actions the
        # page redraws for that state (the form may no longer be there)
        messages.error(request, outcome.message)
    elif outcome:
        messages.success(request, done)
        return _invoice_again(request, invoice_id)
    return _invoice_page(request, invoice, {form_name: form})


@require_POST
@roles_required(*CASHIERS)
@acted_once
def invoice_add_service(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    def act(invoice: Invoice, data: dict[str, Any]) -> None:
        line = services.ServiceLine(data["service"], data["quantity"])
        services.invoice_add_service(invoice=invoice, line=line)

    return _act(request, invoice_id, "add_service", act, _("Service added."))


@require_POST
@roles_required(*CASHIERS)
@acted_once
def invoice_remove_line(
    request: HospitalRequest, invoice_id: uuid.UUID, line_id: int
) -> HttpResponse:
    invoice = found(selectors.invoice_get, invoice_id=invoice_id)
    action(
        request,
        lambda: services.invoice_remove_line(invoice=invoice, line_id=line_id),
        success=_("Line removed."),
    )
    return _invoice_again(request, invoice_id)


@require_POST
@roles_required(*CASHIERS)
@acted_once
def invoice_discount(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    def act(invoice: Invoice, data: dict[str, Any]) -> None:
        services.invoice_set_discount(
            invoice=invoice,
            kind=data["discount_kind"],
            value=data["discount_value"] or Decimal("0"),
            reason=data["discount_reason"],
            by=request.user,
        )

    return _act(request, invoice_id, "discount", act, _("Discount saved."))


@require_POST
@roles_required(*CASHIERS)
@acted_once
def invoice_issue(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    invoice = found(selectors.invoice_get, invoice_id=invoice_id)
    issued = action(
        request,
        lambda: services.invoice_issue(
            hospital=request.hospital, invoice=invoice, issued_by_id=request.user.pk
        ),
    )
    if issued:
        number = issued.result.number
        messages.success(request, _("Issued invoice %(number)s.") % {"number": number})
    return _invoice_again(request, invoice_id)


@require_POST
@roles_required(*CASHIERS)
@acted_once
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
@acted_once
def invoice_cancel(request: HospitalRequest, invoice_id: uuid.UUID) -> HttpResponse:
    """Discard a draft (the front desk may), or cancel an issued invoice (accountants)."""
    invoice = found(selectors.invoice_get, invoice_id=invoice_id)
    if invoice.status != InvoiceStatus.DRAFT and not may_act_as(request.user, ACCOUNTS):
        return render(request, "accounts/forbidden.html", status=403)

    def act(invoice: Invoice, data: dict[str, Any]) -> None:
        services.invoice_cancel(invoice=invoice, reason=data["reason"])

    return _act(request, invoice_id, "cancel", act, _("Invoice cancelled."))


@require_POST
@roles_required(*ACCOUNTS)
@acted_once
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
@acted_once
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
    payment = found(selectors.payment_get, payment_id=payment_id)
    people = accounts_by_id(hospital=request.hospital, user_ids=[payment.received_by_id])
    cashier = people.get(payment.received_by_id) if payment.received_by_id else None
    record_opened(
        action="payment.receipt_printed",
        entity="payment",
        entity_id=payment.pk,
        entity_label=payment.receipt_number,
        patient=payment.invoice.patient,
    )
    context = {
        "payment": payment,
        "cashier": cashier,
        "balance_after": selectors.payment_balance_after(payment=payment),
    }
    return render(request, "billing/receipt.html", context)
