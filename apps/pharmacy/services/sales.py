"""Selling (over the counter or dispensing a prescription) and taking sold units back.

Stock leaves the soonest-expiring sellable batch first (FEFO) and a line may span
batches; each batch a line drew from is recorded, so a return puts units back where
they came from. A sale asking for more than the sellable stock of any medicine is
refused whole, naming every short medicine.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core import billable
from apps.core.money import ZERO, line_amount, percent_of, share_of, to_cents
from apps.numbering.services import document_number_allocate
from apps.patients.models import Patient
from apps.pharmacy.models import (
    Batch,
    Medicine,
    MovementKind,
    PaymentMethod,
    Sale,
    SaleAllocation,
    SaleLine,
    SaleReturn,
    SaleReturnLine,
)
from apps.pharmacy.services.dispensing import prescribed_check
from apps.pharmacy.services.errors import InsufficientStock, InvalidDocument, Shortage
from apps.pharmacy.services.stock import MAX_QUANTITY, Move, medicines_lock, stock_apply
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

#: the billable source key of a sale put on the patient's invoice
BILLABLE_KEY = "pharmacy.sale"
#: methods that need a reference (card slip, transfer id)
REFERENCE_NEEDED = frozenset({PaymentMethod.CARD, PaymentMethod.TRANSFER})


@dataclass(frozen=True)
class SaleLineInput:
    medicine_id: uuid.UUID | None
    quantity: int | None
    #: the consultations app's PrescriptionItem this line dispenses, if any
    prescription_item_id: int | None = None


@dataclass(frozen=True)
class SaleDetails:
    payment_method: str
    customer_name: str = ""
    customer_phone: str = ""
    #: a registered patient, by id (dispensing) or by the number typed at the counter
    patient_id: uuid.UUID | None = None
    patient_number: str = ""
    discount: Decimal | None = Decimal("0")
    tax_rate: Decimal | None = Decimal("0")
    payment_reference: str = ""


def sellable_batches(*, medicine_ids: Sequence[uuid.UUID], today: date) -> list[Batch]:
    """Batches that may be sold today, soonest-expiring first (FEFO)."""
    return list(
        Batch.objects.filter(
            medicine_id__in=medicine_ids, expiry_date__gt=today, quantity_on_hand__gt=0
        ).order_by("expiry_date", "created_at", "pk")
    )


def _patient_of(details: SaleDetails, errors: dict[str, str]) -> Patient | None:
    number = details.patient_number.strip()
    if details.patient_id is None and not number:
        return None
    query = Q(pk=details.patient_id) if details.patient_id else Q(number__iexact=number)
    patient = Patient.objects.filter(query).first()
    if patient is None:
        errors["patient_number"] = _("No patient of this hospital has that number.")
    return patient


def _check_header(
    details: SaleDetails, patient: Patient | None, errors: dict[str, str]
) -> tuple[str, str]:
    name = " ".join(details.customer_name.split())
    if patient is not None and not name:
        name = patient.full_name
    if not name and "patient_number" not in errors:
        errors["customer_name"] = _("Enter the customer's name or a registered patient's number.")
    if details.payment_method not in PaymentMethod.values:
        errors["payment_method"] = _("Choose how the sale is paid.")
    elif details.payment_method == PaymentMethod.INVOICE and patient is None:
        errors["payment_method"] = _("Only a registered patient's sale can go on their invoice.")
    reference = details.payment_reference.strip()
    if details.payment_method in REFERENCE_NEEDED and not reference:
        errors["payment_reference"] = _("Enter the card slip or transfer reference.")
    if details.discount is None or details.discount < 0:
        errors["discount"] = _("The discount is an amount of 0 or more.")
    if details.tax_rate is None or not 0 <= details.tax_rate <= 100:
        errors["tax_rate"] = _("The tax rate is a percentage from 0 to 100.")
    return name, reference


@audited("sale.created")
def sale_create(
    *,
    hospital: Hospital,
    details: SaleDetails,
    lines: Sequence[SaleLineInput],
    sold_by: User | None = None,
    today: date | None = None,
) -> Sale:
    """Sell ``lines``: number the sale ``<CODE>-SAL-<year>-000001``, take each line's
    units from the soonest-expiring sellable batches, and compute the money.

    Raises InvalidDocument for wrong fields (every one at once) and InsufficientStock
    when any medicine lacks sellable stock (every short medicine at once). Two sales
    racing for the last units: the second sees the first's committed stock and is
    refused.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    line_errors: dict[int, dict[str, str]] = {}
    patient = _patient_of(details, errors)
    customer_name, payment_reference = _check_header(details, patient, errors)
    wanted_ids = [line.medicine_id for line in lines if line.medicine_id]
    medicines = Medicine.objects.in_bulk(wanted_ids)
    for index, line in enumerate(lines):
        problems: dict[str, str] = {}
        medicine = medicines.get(line.medicine_id) if line.medicine_id else None
        if medicine is None or not medicine.is_active:
            problems["medicine"] = _("Choose an active medicine from the catalogue.")
        if line.quantity is None or line.quantity <= 0:
            problems["quantity"] = _("Enter a quantity of at least 1.")
        elif line.quantity > MAX_QUANTITY:
            problems["quantity"] = _("That is more units than one line can hold.")
        if problems:
            line_errors[index] = problems
    if not lines:
        errors["lines"] = _("Add at least one medicine.")
    if errors or line_errors:
        raise InvalidDocument(errors, line_errors)

    discount = to_cents(details.discount or ZERO)
    tax_rate = details.tax_rate or ZERO
    now = timezone.now()

    with tenant_atomic():
        # prices as they stand once the medicines are locked, not as first read
        locked = medicines_lock(wanted_ids)
        prescribed_check(lines=lines, patient=patient)
        subtotal = sum(
            (
                line_amount(quantity=line.quantity, unit_price=locked[line.medicine_id].sale_price)  # type: ignore[arg-type,index]
                for line in lines
            ),
            ZERO,
        )
        if discount > subtotal:
            raise InvalidDocument({"discount": _("The discount cannot exceed the subtotal.")})
        tax_amount = percent_of(subtotal - discount, tax_rate)
        batches = sellable_batches(medicine_ids=wanted_ids, today=today)
        requested: dict[uuid.UUID, int] = defaultdict(int)
        for line in lines:
            requested[line.medicine_id] += line.quantity or 0  # type: ignore[index]
        available: dict[uuid.UUID, int] = defaultdict(int)
        for batch in batches:
            available[batch.medicine_id] += batch.quantity_on_hand
        shortages = [
            Shortage(
                medicine=locked[medicine_id], requested=count, available=available[medicine_id]
            )
            for medicine_id, count in requested.items()
            if count > available[medicine_id]
        ]
        if shortages:
            raise InsufficientStock(sorted(shortages, key=lambda s: str(s.medicine)))

        sale = Sale.objects.create(
            number=document_number_allocate(hospital=hospital, kind="SAL", year=today.year),
            patient=patient,
            customer_name=customer_name,
            customer_phone=details.customer_phone.strip(),
            subtotal=subtotal,
            discount=discount,
            tax_rate=tax_rate,
            tax_amount=tax_amount,
            net_amount=subtotal - discount + tax_amount,
            payment_method=details.payment_method,
            payment_reference=payment_reference,
            sold_by_id=sold_by.pk if sold_by else None,
            sold_at=now,
        )
        sale_lines = SaleLine.objects.bulk_create(
            _sale_line_of(sale, locked, line, position) for position, line in enumerate(lines)
        )
        allocations, moves = _allocate(sale_lines, batches)
        SaleAllocation.objects.bulk_create(allocations)
        stock_apply(
            moves=moves,
            kind=MovementKind.SALE,
            reference=sale.number,
            by=sold_by,
            at=now,
            sale=sale,
        )
        clinical_event_record(
            action="sale.created",
            entity="sale",
            entity_id=sale.pk,
            entity_label=sale.number,
            patient=patient,
            changes={
                # a line against a prescription is a dispensing
                "lines": [
                    f"{line.medicine} ×{line.quantity}"
                    + (
                        f" (prescription line {line.prescription_item_id})"
                        if line.prescription_item_id
                        else ""
                    )
                    for line in sale_lines
                ],
                "net_amount": sale.net_amount,
                "discount": sale.discount,
                "payment_method": sale.payment_method,
            },
        )
    logger.info("sold %s (%d lines)", sale.number, len(lines))
    return sale


def _sale_line_of(
    sale: Sale, medicines: Mapping[uuid.UUID, Medicine], line: SaleLineInput, position: int
) -> SaleLine:
    """A checked line priced from its (locked) medicine."""
    assert line.medicine_id is not None and line.quantity is not None
    medicine = medicines[line.medicine_id]
    return SaleLine(
        sale=sale,
        medicine=medicine,
        quantity=line.quantity,
        unit_price=medicine.sale_price,
        amount=line_amount(quantity=line.quantity, unit_price=medicine.sale_price),
        prescription_item_id=line.prescription_item_id,
        position=position,
    )


def _allocate(
    lines: Sequence[SaleLine], batches: Sequence[Batch]
) -> tuple[list[SaleAllocation], list[Move]]:
    """Take each line's units from its medicine's batches in the order given (FEFO),
    a line spilling over into the next batch when one runs out."""
    left = {batch.pk: batch.quantity_on_hand for batch in batches}
    allocations: list[SaleAllocation] = []
    moves: list[Move] = []
    for line in lines:
        quantity = line.quantity
        for batch in batches:
            if quantity == 0:
                break
            if batch.medicine_id != line.medicine_id or left[batch.pk] == 0:
                continue
            taken = min(quantity, left[batch.pk])
            left[batch.pk] -= taken
            quantity -= taken
            allocations.append(SaleAllocation(line=line, batch=batch, quantity=taken))
            moves.append(Move(batch, -taken))
    return allocations, moves


@audited("sale.returned")
def sale_return_create(
    *,
    sale: Sale,
    quantities: Mapping[uuid.UUID, int | None],
    reason: str,
    returned_by: User | None = None,
) -> SaleReturn:
    """Take back units of ``sale`` (sale line id → units). Each unit goes back to the
    batch it was sold from; the refund is the lines' share of the net amount (so the
    discount and tax are given back in proportion). A sale on a patient's invoice is
    withdrawn from billing first (refused while it is on an issued invoice), so
    billing picks it up again at its new amount."""
    errors: dict[str, str] = {}
    reason = " ".join(reason.split())
    if not reason:
        errors["reason"] = _("Say why the medicines are returned.")
    lines = {line.pk: line for line in sale.lines.select_related("medicine")}
    line_errors: dict[str, str] = {}
    for line_id, quantity in quantities.items():
        line = lines.get(line_id)
        if line is None:
            errors["lines"] = _("A returned line does not belong to this sale.")
        elif quantity is not None and (quantity < 0 or quantity > line.returnable):
            line_errors[str(line_id)] = _("Return between 0 and %(count)d units.") % {
                "count": line.returnable
            }
    if not line_errors and not any(q for q in quantities.values()):
        errors["lines"] = _("Enter how many units of at least one medicine come back.")
    if errors or line_errors:
        raise InvalidDocument({**errors, **line_errors})

    now = timezone.now()
    with tenant_atomic():
        medicines_lock([line.medicine_id for line in lines.values()])
        sale = Sale.objects.get(pk=sale.pk)
        if sale.payment_method == PaymentMethod.INVOICE:
            billable.withdraw(source=BILLABLE_KEY, reference=str(sale.pk))
        sale_return = SaleReturn.objects.create(
            sale=sale,
            reason=reason,
            amount=ZERO,
            returned_by_id=_id(returned_by),
            returned_at=now,
        )
        total = ZERO
        for line_id, quantity in quantities.items():
            if not quantity:
                continue
            line = SaleLine.objects.get(pk=line_id)
            if quantity > line.returnable:  # another return got there first
                raise InvalidDocument(
                    {
                        str(line_id): _("Return between 0 and %(count)d units.")
                        % {"count": line.returnable}
                    }
                )
            amount = _refund_share(sale, line.unit_price * quantity)
            SaleReturnLine.objects.create(
                sale_return=sale_return, line=line, quantity=quantity, amount=amount
            )
            line.quantity_returned += quantity
            line.save(update_fields=["quantity_returned"])
            _put_back(line, quantity, sale_return=sale_return, by=returned_by, at=now)
            total += amount
        if not SaleLine.objects.filter(sale=sale, quantity_returned__lt=F("quantity")).exists():
            total = sale.net_amount - sale.refunded_amount  # the last units settle rounding
        total = min(total, sale.net_amount - sale.refunded_amount)
        sale_return.amount = total
        sale_return.save(update_fields=["amount"])
        sale.refunded_amount += total
        sale.save(update_fields=["refunded_amount"])
        clinical_event_record(
            action="sale.returned",
            entity="sale",
            entity_id=sale.pk,
            entity_label=sale.number,
            patient=sale.patient,
            changes={
                "units": {str(line_id): units for line_id, units in quantities.items() if units},
                "refund": total,
                "reason": reason,
            },
        )
    logger.info("return on %s: %s", sale.number, total)
    return sale_return


def _id(user: User | None) -> uuid.UUID | None:
    return user.pk if user else None


def _refund_share(sale: Sale, gross: Decimal) -> Decimal:
    return share_of(sale.net_amount, part=gross, whole=sale.subtotal)


def _put_back(
    line: SaleLine, quantity: int, *, sale_return: SaleReturn, by: User | None, at: datetime
) -> None:
    """Return units to the batches the line drew from, the last-drawn (latest-expiring)
    first, so the soonest-expiring stock is what stays sold."""
    moves: list[Move] = []
    for allocation in line.allocations.select_related("batch").order_by("-id"):
        if quantity == 0:
            break
        back = min(quantity, allocation.quantity - allocation.quantity_returned)
        if back == 0:
            continue
        allocation.quantity_returned += back
        allocation.save(update_fields=["quantity_returned"])
        quantity -= back
        moves.append(Move(allocation.batch, back))
    stock_apply(
        moves=moves,
        kind=MovementKind.RETURN,
        reference=line.sale.number,
        by=by,
        at=at,
        sale=line.sale,
        sale_return=sale_return,
    )
