"""Billing's writes. An invoice moves forward only, one function per transition:

    Draft → Issued → Partly paid → Paid
    Draft → Cancelled (discarded)          Issued (nothing received) → Cancelled
    Issued | Partly paid | Paid → Credited (a credit note)

Each runs in one ``tenant_atomic()`` on a row read ``select_for_update()`` (SQLite
transactions here are IMMEDIATE, so writers queue; PostgreSQL locks the row), checks the
state it found and raises ``Conflict`` on a refused move. Invoice arithmetic lives in
``apps.billing.money``, rounded by ``apps.core.money``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.rules import may_authorise_money
from apps.audit.auditing import audited
from apps.audit.services import changes_between, clinical_event_record, snapshot
from apps.billing.models import (
    BillingSettings,
    CreditNote,
    DiscountKind,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Service,
)
from apps.billing.money import invoice_totals
from apps.billing.selectors import sources_by_key
from apps.core.billable import BillableItem
from apps.core.exceptions import Conflict, ValidationError
from apps.core.money import ZERO, line_amount, to_cents
from apps.core.names import display_name
from apps.core.numbers import decimal_display
from apps.numbering.services import document_number_allocate
from apps.patients.models import Patient
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

MAX_QUANTITY = Decimal("1000")

# -- drafts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLine:
    service: Service
    quantity: Decimal = Decimal("1")


def item_key(item: BillableItem) -> str:
    """How the picker names an item: ``<source>|<reference>``."""
    return f"{item.source}|{item.reference}"


def locked_for_update(invoice: Invoice) -> Invoice:
    """The invoice as it is now, locked until the transaction ends (PostgreSQL)."""
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def _recompute(invoice: Invoice) -> None:
    totals = invoice_totals(
        line_amounts=invoice.lines.values_list("amount", flat=True),
        kind=invoice.discount_kind,
        value=invoice.discount_value,
    )
    invoice.subtotal, invoice.discount, invoice.total = (
        totals.subtotal,
        totals.discount,
        totals.total,
    )
    invoice.save(update_fields=["subtotal", "discount", "total", "updated_at"])


def _audit(action: str, invoice: Invoice, changes: Mapping[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity="invoice",
        entity_id=invoice.pk,
        entity_label=invoice.number or f"#{invoice.pk}",  # a draft has no number yet
        patient=invoice.patient,
        changes=changes,
    )


def _require_draft(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise Conflict(
            _("Invoice %(number)s is issued and can no longer be changed.")
            % {"number": invoice.number},
            field="invoice",
        )


def _chosen_items(*, patient: Patient, keys: Iterable[str]) -> list[BillableItem]:
    """The items behind the picker's keys, asked of their sources (one call per source):
    each must still exist, be chargeable and belong to this patient."""
    wanted: dict[str, list[str]] = defaultdict(list)
    for key in dict.fromkeys(keys):
        source_key, _sep, reference = key.partition("|")
        wanted[source_key].append(reference)
    sources = sources_by_key()
    items: list[BillableItem] = []
    for source_key, references in wanted.items():
        source = sources.get(source_key)
        available = (
            {item.reference: item for item in source.items_for(patient_id=patient.pk)}
            if source
            else {}
        )
        for reference in references:
            if reference not in available:
                raise ValidationError(
                    _("One of the chosen items is no longer chargeable; reload the list."),
                    field="items",
                )
            items.append(available[reference])
    return items


def _refuse_items_already_invoiced(items: Sequence[BillableItem]) -> None:
    if not items:
        return
    wanted = {(item.source, item.reference) for item in items}
    candidates = InvoiceLine.objects.filter(
        is_live=True,
        source__in={source for source, _reference in wanted},
        reference__in={reference for _source, reference in wanted},
    ).select_related("invoice")
    for line in candidates:
        if (line.source, line.reference) in wanted:
            raise Conflict(_already_invoiced(line), field="items")


def _already_invoiced(line: InvoiceLine) -> str:
    if line.invoice.number:
        return _("%(item)s is already on invoice %(number)s.") % {
            "item": line.description,
            "number": line.invoice.number,
        }
    return _("%(item)s is already on another draft invoice of this patient.") % {
        "item": line.description
    }


@audited("invoice.created")
def invoice_create(
    *,
    patient: Patient,
    item_keys: Iterable[str] = (),
    service_lines: Iterable[ServiceLine] = (),
    created_by_id: uuid.UUID | None = None,
) -> Invoice:
    """A draft invoice of the chosen unbilled items (``item_key`` values) and price-list
    services. An item already on a live line — also one another cashier put there a
    moment ago — is refused (``Conflict``); the database's unique constraint is the last
    word when two cashiers race."""
    service_lines = list(service_lines)
    keys = list(item_keys)
    if not keys and not service_lines:
        raise ValidationError(_("Choose at least one item or service to invoice."), field="items")
    try:
        with tenant_atomic():
            items = _chosen_items(patient=patient, keys=keys)
            _refuse_items_already_invoiced(items)
            invoice = Invoice.objects.create(patient=patient, created_by_id=created_by_id)
            lines = [
                InvoiceLine(
                    invoice=invoice,
                    source=item.source,
                    reference=item.reference,
                    description=item.description[:300],
                    quantity=item.quantity,
                    unit_price=to_cents(item.unit_price),
                    amount=line_amount(quantity=item.quantity, unit_price=item.unit_price),
                    occurred_at=item.occurred_at,
                )
                for item in items
            ]
            lines += [_service_line(invoice, line) for line in service_lines]
            InvoiceLine.objects.bulk_create(lines)
            _recompute(invoice)
            _audit(
                "invoice.created",
                invoice,
                {"lines": [line.description for line in lines], "total": invoice.total},
            )
            return invoice
    except IntegrityError:
        raise Conflict(
            _("Someone invoiced one of these items a moment ago; reload the list."),
            field="items",
        ) from None


def _service_line(invoice: Invoice, line: ServiceLine) -> InvoiceLine:
    if not line.service.is_active:
        raise ValidationError(
            _("%(service)s is no longer offered.") % {"service": display_name(line.service)},
            field="service",
        )
    if not (0 < line.quantity <= MAX_QUANTITY) or to_cents(line.quantity) != line.quantity:
        raise ValidationError(
            _("A quantity is more than 0 and at most %(max)s, with at most two decimals.")
            % {"max": MAX_QUANTITY},
            field="quantity",
        )
    return InvoiceLine(
        invoice=invoice,
        service=line.service,
        # the drafter's language: an invoice's text is fixed once written
        description=display_name(line.service),
        quantity=line.quantity,
        unit_price=line.service.price,
        amount=line_amount(quantity=line.quantity, unit_price=line.service.price),
        occurred_at=timezone.now(),
    )


@audited("invoice.line_added")
def invoice_add_service(*, invoice: Invoice, line: ServiceLine) -> Invoice:
    with tenant_atomic():
        invoice = locked_for_update(invoice)
        _require_draft(invoice)
        _service_line(invoice, line).save()
        _recompute(invoice)
        _audit(
            "invoice.line_added",
            invoice,
            {"service": line.service.code, "quantity": line.quantity, "total": invoice.total},
        )
    return invoice


@audited("invoice.line_removed")
def invoice_remove_line(*, invoice: Invoice, line_id: int) -> Invoice:
    """Take a line off a draft (its item becomes unbilled again)."""
    with tenant_atomic():
        invoice = locked_for_update(invoice)
        _require_draft(invoice)
        deleted, _rows = InvoiceLine.objects.filter(invoice=invoice, pk=line_id).delete()
        if not deleted:
            raise ValidationError(_("That line is not on this invoice."), field="line")
        _recompute(invoice)
        _audit("invoice.line_removed", invoice, {"line": line_id, "total": invoice.total})
    return invoice


def billing_settings_get() -> BillingSettings:
    """The hospital's billing settings; the defaults until saved (a read never writes)."""
    return BillingSettings.objects.filter(pk=1).first() or BillingSettings(pk=1)


#: a limit is a share of the subtotal
DISCOUNT_LIMIT_RANGE = (Decimal("0"), Decimal("100"))


@audited("settings.changed")
def billing_settings_update(*, discount_limit_percent: Decimal) -> BillingSettings:
    """Set the largest discount the front desk may give alone (0 %: every discount needs
    an accountant or an administrator); audited with the limit before and after."""
    low, high = DISCOUNT_LIMIT_RANGE
    if not low <= discount_limit_percent <= high:
        raise ValidationError(
            _("The discount limit is a percent between 0 and 100."),
            field="discount_limit_percent",
        )
    discount_limit_percent = discount_limit_percent.quantize(Decimal("0.01"))
    with tenant_atomic():
        current = BillingSettings.objects.select_for_update().filter(pk=1).first()
        before = (current or BillingSettings()).discount_limit_percent
        if current is not None and before == discount_limit_percent:
            return current  # nothing changes, nothing is written or recorded
        saved, _created = BillingSettings.objects.update_or_create(
            pk=1, defaults={"discount_limit_percent": discount_limit_percent}
        )
        clinical_event_record(
            action="settings.changed",
            entity="billing_settings",
            entity_id=1,
            entity_label=str(_("Billing settings")),
            changes={"discount_limit_percent": [before, discount_limit_percent]},
        )
    return saved


def discount_share(invoice: Invoice) -> Decimal:
    """The invoice's discount as a percent of its subtotal: the percent typed, or what
    an amount comes to (the rounded amount would let 10.01 % pass as 10 %)."""
    if invoice.discount_kind == DiscountKind.PERCENT:
        return invoice.discount_value
    if invoice.subtotal <= 0:
        return ZERO
    return invoice.discount * 100 / invoice.subtotal


def _refuse_discount_over_limit(invoice: Invoice) -> None:
    limit = billing_settings_get().discount_limit_percent
    if discount_share(invoice) > limit and not invoice.discount_authorised:
        raise ValidationError(
            _("A discount above %(limit)s%% is given by an accountant or an administrator.")
            % {"limit": decimal_display(limit, trim=True)},
            field="discount_value",
        )


#: what a discount is, for its audit event's before → after
DISCOUNT_FIELDS = ("discount_kind", "discount_value", "discount_reason", "discount", "total")


@audited("invoice.discount_set")
def invoice_set_discount(
    *, invoice: Invoice, kind: str, value: Decimal, reason: str, by: User | None = None
) -> Invoice:
    """A percent (0-100) or an amount (up to the subtotal) off the draft, with a reason;
    ``kind="none"`` takes the discount away. Who gave it (``by``) is kept with it; above
    the hospital's limit only an accountant or an administrator may (checked again at
    issue, as lines taken off later raise an amount's share)."""
    reason = reason.strip()
    if kind not in DiscountKind.values:
        raise ValidationError(_("Choose how the discount is given."), field="discount_kind")
    if kind == DiscountKind.NONE:
        value, reason = ZERO, ""
    elif value <= 0 or to_cents(value) != value:
        raise ValidationError(
            _("A discount is more than 0, with at most two decimals."), field="discount_value"
        )
    elif kind == DiscountKind.PERCENT and value > 100:
        raise ValidationError(_("A percent discount is at most 100."), field="discount_value")
    elif not reason:
        raise ValidationError(_("Say why the discount is given."), field="discount_reason")
    with tenant_atomic():
        invoice = locked_for_update(invoice)
        _require_draft(invoice)
        before = snapshot(invoice, DISCOUNT_FIELDS)
        if kind == DiscountKind.AMOUNT and value > invoice.subtotal:
            raise ValidationError(
                _("The discount cannot be more than the subtotal (%(subtotal)s).")
                % {"subtotal": invoice.subtotal},
                field="discount_value",
            )
        invoice.discount_kind, invoice.discount_value = kind, value
        invoice.discount_reason = reason[:200]
        invoice.discount_by_id = by.pk if by is not None else None
        invoice.discount_at = timezone.now() if kind != DiscountKind.NONE else None
        # no person named: a trusted caller (a data import, a test), as before
        invoice.discount_authorised = by is None or may_authorise_money(by)
        invoice.save(
            update_fields=[
                "discount_kind",
                "discount_value",
                "discount_reason",
                "discount_by_id",
                "discount_at",
                "discount_authorised",
            ]
        )
        _recompute(invoice)
        _refuse_discount_over_limit(invoice)
        _audit(
            "invoice.discount_set",
            invoice,
            {
                **changes_between(before, snapshot(invoice, DISCOUNT_FIELDS)),
                "authorised": invoice.discount_authorised,
            },
        )
    return invoice


# -- forward moves ----------------------------------------------------------------------


def settled_status(invoice: Invoice) -> InvoiceStatus:
    """Issued, Partly paid or Paid, from what was received and written off."""
    if invoice.balance <= 0:
        return InvoiceStatus.PAID
    if invoice.paid > 0 or invoice.written_off > 0:
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.ISSUED


@audited("invoice.issued")
def invoice_issue(
    *, hospital: Hospital, invoice: Invoice, issued_by_id: uuid.UUID | None = None
) -> Invoice:
    """Draft → Issued, numbered ``<CODE>-INV-<year>-000001``; from now on the invoice is
    immutable. Each item is checked once more with its source (work withdrawn since the
    draft was made is not invoiced)."""
    with tenant_atomic():
        invoice = locked_for_update(invoice)
        _require_draft(invoice)
        lines = list(invoice.lines.all())
        if not lines:
            raise ValidationError(_("An invoice without lines cannot be issued."), field="items")
        _refuse_discount_over_limit(invoice)
        sourced = [line for line in lines if line.source]
        if sourced:
            still = {
                item_key(item)
                for item in _current_items(patient_id=invoice.patient_id, lines=sourced)
            }
            gone = [line for line in sourced if f"{line.source}|{line.reference}" not in still]
            if gone:
                raise Conflict(
                    _("%(item)s is no longer chargeable; remove it from the draft.")
                    % {"item": gone[0].description},
                    field="items",
                )
        now = timezone.now()
        invoice.number = document_number_allocate(
            hospital=hospital, kind="INV", year=timezone.localdate(now).year
        )
        invoice.issued_at, invoice.issued_by_id = now, issued_by_id
        invoice.status = settled_status(invoice)
        invoice.save(update_fields=["number", "issued_at", "issued_by_id", "status", "updated_at"])
        _audit(
            "invoice.issued",
            invoice,
            {"status": [InvoiceStatus.DRAFT, invoice.status], "total": invoice.total},
        )
    return invoice


def _current_items(*, patient_id: uuid.UUID, lines: list[InvoiceLine]) -> list[BillableItem]:
    sources = sources_by_key()
    items: list[BillableItem] = []
    for key in {line.source for line in lines}:
        source = sources.get(key)
        if source is not None:
            items.extend(source.items_for(patient_id=patient_id))
    return items


def _release_lines(invoice: Invoice) -> None:
    InvoiceLine.objects.filter(invoice=invoice).update(is_live=False)


@audited("invoice.cancelled")
def invoice_cancel(*, invoice: Invoice, reason: str) -> Invoice:
    """Discard a draft, or cancel an issued invoice nothing was received on (it keeps
    its number; its items become unbilled again). Money received → a credit note."""
    reason = reason.strip()
    with tenant_atomic():
        invoice = locked_for_update(invoice)
        if invoice.status == InvoiceStatus.ISSUED and (invoice.paid or invoice.written_off):
            raise Conflict(_credit_note_instead(invoice), field="reason")
        if invoice.status in (InvoiceStatus.PARTLY_PAID, InvoiceStatus.PAID):
            raise Conflict(_credit_note_instead(invoice), field="reason")
        if invoice.status not in (InvoiceStatus.DRAFT, InvoiceStatus.ISSUED):
            raise Conflict(
                _("This invoice is %(status)s and cannot be cancelled.")
                % {"status": invoice.get_status_display()},
                field="reason",
            )
        if invoice.status == InvoiceStatus.ISSUED and not reason:
            raise ValidationError(_("Say why the invoice is cancelled."), field="reason")
        previous = invoice.status
        invoice.status = InvoiceStatus.CANCELLED
        invoice.cancelled_at, invoice.cancel_reason = timezone.now(), reason[:300]
        invoice.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        _release_lines(invoice)
        _audit(
            "invoice.cancelled",
            invoice,
            {"status": [previous, invoice.status], "reason": invoice.cancel_reason},
        )
    return invoice


def _credit_note_instead(invoice: Invoice) -> str:
    return _(
        "Money was received on invoice %(number)s, so it cannot be cancelled; "
        "issue a credit note instead."
    ) % {"number": invoice.number}


@audited("invoice.credited")
def invoice_credit(
    *, hospital: Hospital, invoice: Invoice, reason: str, created_by_id: uuid.UUID | None = None
) -> CreditNote:
    """Reverse an issued invoice in full with a numbered credit note
    (``<CODE>-CRN-<year>-000001``): its lines are released and what was paid is owed back
    (``refund_due``)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the invoice is credited."), field="reason")
    with tenant_atomic():
        invoice = locked_for_update(invoice)
        if invoice.status not in (
            InvoiceStatus.ISSUED,
            InvoiceStatus.PARTLY_PAID,
            InvoiceStatus.PAID,
        ):
            raise Conflict(
                _("Only an issued invoice can be credited; this one is %(status)s.")
                % {"status": invoice.get_status_display()},
                field="reason",
            )
        note = CreditNote.objects.create(
            invoice=invoice,
            number=document_number_allocate(
                hospital=hospital, kind="CRN", year=timezone.localdate().year
            ),
            amount=invoice.total,
            refund_due=invoice.paid,
            reason=reason[:300],
            created_by_id=created_by_id,
        )
        previous = invoice.status
        invoice.status = InvoiceStatus.CREDITED
        invoice.save(update_fields=["status", "updated_at"])
        _release_lines(invoice)
        _audit(
            "invoice.credited",
            invoice,
            {
                "status": [previous, invoice.status],
                "credit_note": note.number,
                "amount": note.amount,
                "refund_due": note.refund_due,
                "reason": note.reason,
            },
        )
    return note


# -- withdrawn work ---------------------------------------------------------------------


@audited("billable.withdrawn")
def billable_withdraw(*, source: str, reference: str) -> None:
    """Registered with ``apps.core.billable``: work withdrawn by its module (an
    appointment cancelled) leaves an unpaid draft; on an issued invoice it is refused,
    naming the way out. Runs inside the withdrawing module's transaction."""
    with tenant_atomic():
        line = InvoiceLine.objects.filter(is_live=True, source=source, reference=reference).first()
        if line is None:
            return
        invoice = locked_for_update(line.invoice)
        if invoice.status != InvoiceStatus.DRAFT:
            raise Conflict(
                _(
                    "%(item)s is on invoice %(number)s, which is issued. Issue a credit note "
                    "for that invoice in Billing first, then try again."
                )
                % {"item": line.description, "number": invoice.number},
                field="billing",
            )
        line.delete()
        _recompute(invoice)
        _audit("billable.withdrawn", invoice, {"line": line.description, "total": invoice.total})
