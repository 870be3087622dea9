"""Stock coming in (receipts), corrected (adjustments), and the one function through
which every quantity change goes, so the ledger and the batches never disagree."""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core.exceptions import Conflict, ValidationError
from apps.core.money import ZERO, line_amount
from apps.numbering.services import document_number_allocate
from apps.pharmacy.models import (
    AdjustmentReason,
    Batch,
    Medicine,
    MovementKind,
    StockAdjustment,
    StockMovement,
    StockReceipt,
    Supplier,
)
from apps.pharmacy.services.errors import InvalidDocument
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

MAX_QUANTITY = 1_000_000


def medicines_lock(medicine_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Medicine]:
    """Lock the medicines whose stock is about to change, in one order (no deadlocks).

    On PostgreSQL this is a row lock that makes a second sale of the same medicine wait;
    on SQLite the IMMEDIATE transaction already holds the database's write lock, so the
    rows read after it are the committed ones.
    """
    rows = Medicine.objects.select_for_update().filter(pk__in=set(medicine_ids)).order_by("pk")
    return {medicine.pk: medicine for medicine in rows}


@dataclass(frozen=True)
class Move:
    batch: Batch
    #: signed: positive into stock, negative out of it
    quantity: int


def stock_apply(
    *,
    moves: Sequence[Move],
    kind: str,
    reference: str,
    by: User | None,
    at: datetime,
    **document: Any,
) -> list[StockMovement]:
    """Change the batches' quantities on hand and write one ledger row per move.

    Must run inside ``tenant_atomic`` with the batches' medicines locked. One UPDATE
    changes every batch, each only if it still holds what the move takes; if any does
    not, Conflict is raised and the caller's transaction rolls back (the database's
    check constraint guards it too). ``balance_after`` runs on from each medicine's
    quantity on hand before the moves, which the lock keeps still.
    """
    if not moves:
        return []
    change: dict[uuid.UUID, int] = defaultdict(int)
    for move in moves:
        change[move.batch.pk] += move.quantity
    enough = Q()
    for batch_id, quantity in change.items():
        enough |= Q(pk=batch_id, quantity_on_hand__gte=-quantity)
    updated = Batch.objects.filter(enough).update(
        quantity_on_hand=F("quantity_on_hand")
        + Case(
            *(When(pk=batch_id, then=Value(quantity)) for batch_id, quantity in change.items()),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    if updated != len(change):
        raise Conflict(_("A batch does not hold enough units; nothing was changed."))
    medicine_ids = {move.batch.medicine_id for move in moves}
    balance = {
        row["medicine_id"]: row["total"]
        - sum(m.quantity for m in moves if m.batch.medicine_id == row["medicine_id"])
        for row in Batch.objects.filter(medicine_id__in=medicine_ids)
        .values("medicine_id")
        .annotate(total=Sum("quantity_on_hand"))
    }
    rows = []
    for move in moves:
        move.batch.quantity_on_hand += move.quantity
        balance[move.batch.medicine_id] += move.quantity
        rows.append(
            StockMovement(
                medicine_id=move.batch.medicine_id,
                batch=move.batch,
                kind=kind,
                quantity=move.quantity,
                balance_after=balance[move.batch.medicine_id],
                reference=reference,
                by_id=by.pk if by else None,
                occurred_at=at,
                **document,
            )
        )
    return StockMovement.objects.bulk_create(rows)


@dataclass(frozen=True)
class ReceiptLine:
    medicine_id: uuid.UUID | None
    batch_number: str
    expiry_date: date | None
    quantity: int | None
    unit_cost: Decimal | None


@audited("stock.received")
def stock_receive(
    *,
    hospital: Hospital,
    supplier_id: uuid.UUID | None,
    received_on: date | None,
    lines: Sequence[ReceiptLine],
    supplier_invoice: str = "",
    note: str = "",
    received_by: User | None = None,
    today: date | None = None,
) -> StockReceipt:
    """Receive one delivery: a receipt numbered ``<CODE>-GRN-<year>-000001`` and one
    batch per line. Every wrong field of the header and of each line is reported at
    once (InvalidDocument); nothing is saved unless everything is right."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    line_errors: dict[int, dict[str, str]] = {}
    supplier = (
        Supplier.objects.filter(pk=supplier_id, is_active=True).first() if supplier_id else None
    )
    if supplier is None:
        errors["supplier"] = _("Choose an active supplier.")
    if received_on is None:
        errors["received_on"] = _("Enter the date the stock arrived.")
    elif received_on > today:
        errors["received_on"] = _("The date received cannot be in the future.")
    medicines = Medicine.objects.in_bulk([line.medicine_id for line in lines if line.medicine_id])
    for index, line in enumerate(lines):
        problems: dict[str, str] = {}
        medicine = medicines.get(line.medicine_id) if line.medicine_id else None
        if medicine is None or not medicine.is_active:
            problems["medicine"] = _("Choose an active medicine from the catalogue.")
        if not line.batch_number.strip():
            problems["batch_number"] = _("Enter the batch number printed on the pack.")
        if line.expiry_date is None:
            problems["expiry_date"] = _("Enter the expiry date.")
        elif line.expiry_date <= today:
            problems["expiry_date"] = _("This batch has already expired; it cannot be received.")
        if line.quantity is None or line.quantity <= 0:
            problems["quantity"] = _("Enter how many units arrived (at least 1).")
        elif line.quantity > MAX_QUANTITY:
            problems["quantity"] = _("That is more units than one line can hold.")
        if line.unit_cost is None or line.unit_cost < 0:
            problems["unit_cost"] = _("Enter the cost of one unit (0 or more).")
        if problems:
            line_errors[index] = problems
    if not lines:
        errors["lines"] = _("Add at least one line.")
    if errors or line_errors:
        raise InvalidDocument(errors, line_errors)
    assert supplier is not None and received_on is not None
    now = timezone.now()
    with tenant_atomic():
        medicines_lock(medicines)
        receipt = StockReceipt.objects.create(
            number=document_number_allocate(hospital=hospital, kind="GRN", year=today.year),
            supplier=supplier,
            received_on=received_on,
            supplier_invoice=supplier_invoice.strip(),
            note=note.strip(),
            total_cost=sum(
                (
                    line_amount(quantity=line.quantity or 0, unit_price=line.unit_cost or ZERO)
                    for line in lines
                ),
                ZERO,
            ),
            received_by_id=received_by.pk if received_by else None,
        )
        batches = Batch.objects.bulk_create(_batch_of(line, receipt) for line in lines)
        stock_apply(
            moves=[Move(batch, batch.quantity_received) for batch in batches],
            kind=MovementKind.RECEIPT,
            reference=receipt.number,
            by=received_by,
            at=now,
            receipt=receipt,
        )
        clinical_event_record(
            action="stock.received",
            entity="stock_receipt",
            entity_id=receipt.pk,
            entity_label=receipt.number,
            changes={
                "supplier": str(supplier),
                "lines": [
                    " ".join(
                        (
                            str(medicines[batch.medicine_id]),
                            batch.batch_number,
                            f"+{batch.quantity_received}",
                        )
                    )
                    for batch in batches
                ],
                "total_cost": receipt.total_cost,
            },
        )
    logger.info("received stock %s (%d lines)", receipt.number, len(lines))
    return receipt


def _batch_of(line: ReceiptLine, receipt: StockReceipt) -> Batch:
    """A checked receipt line as a new, still empty batch."""
    assert line.medicine_id and line.expiry_date and line.quantity and line.unit_cost is not None
    return Batch(
        medicine_id=line.medicine_id,
        receipt=receipt,
        batch_number=line.batch_number.strip(),
        expiry_date=line.expiry_date,
        quantity_received=line.quantity,
        unit_cost=line.unit_cost,
        quantity_on_hand=0,
    )


@audited("stock.adjusted")
def stock_adjust(
    *,
    batch: Batch,
    quantity: int | None,
    reason: str,
    note: str = "",
    adjusted_by: User | None = None,
) -> StockAdjustment:
    """Correct a batch by ``quantity`` units (negative takes out) for a recorded reason.
    The batch never goes below zero; "other" needs a note."""
    errors: dict[str, str] = {}
    if quantity is None or quantity == 0:
        errors["quantity"] = _("Enter the change in units: negative to take out, positive to add.")
    elif abs(quantity) > MAX_QUANTITY:
        errors["quantity"] = _("That is more units than one adjustment can hold.")
    if reason not in AdjustmentReason.values:
        errors["reason"] = _("Choose a reason.")
    note = note.strip()
    if reason == AdjustmentReason.OTHER and not note:
        errors["note"] = _("Say what happened.")
    if errors:
        raise InvalidDocument(errors)
    assert quantity is not None
    now = timezone.now()
    with tenant_atomic():
        medicines_lock([batch.medicine_id])
        batch.refresh_from_db(fields=["quantity_on_hand"])
        if batch.quantity_on_hand + quantity < 0:
            raise ValidationError(
                _("The batch holds %(on_hand)d units; it cannot lose %(taken)d.")
                % {"on_hand": batch.quantity_on_hand, "taken": -quantity},
                field="quantity",
            )
        adjustment = StockAdjustment.objects.create(
            batch=batch,
            quantity=quantity,
            reason=reason,
            note=note,
            adjusted_by_id=adjusted_by.pk if adjusted_by else None,
            adjusted_at=now,
        )
        stock_apply(
            moves=[Move(batch, quantity)],
            kind=MovementKind.ADJUSTMENT,
            reference=reason,
            by=adjusted_by,
            at=now,
            adjustment=adjustment,
        )
        clinical_event_record(
            action="stock.adjusted",
            entity="batch",
            entity_id=batch.pk,
            entity_label=f"{batch.medicine} {batch.batch_number}",
            changes={
                "quantity_on_hand": [batch.quantity_on_hand - quantity, batch.quantity_on_hand],
                "reason": reason,
                "note": note,
            },
        )
    logger.info("adjusted batch %s by %d (%s)", batch.pk, quantity, reason)
    return adjustment
