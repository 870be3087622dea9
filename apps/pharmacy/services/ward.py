"""Medicines given on the ward: each dose a nurse gives takes its units from the
pharmacy's stock through the one ledger, soonest-expiring sellable batch first, never
below zero. The ward (apps.admissions) calls this inside its own transaction, so the
dose and its stock movement are saved, or refused, together."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.exceptions import Conflict, ValidationError
from apps.pharmacy.models import MovementKind
from apps.pharmacy.services.sales import sellable_batches
from apps.pharmacy.services.stock import MAX_QUANTITY, Move, medicines_lock, stock_apply

if TYPE_CHECKING:
    from apps.accounts.models import User


@dataclass(frozen=True)
class WardIssue:
    quantity: int
    #: the medicine's sale price when it was given: what one unit is charged
    unit_price: Decimal


def ward_dose_issue(
    *, medicine_id: uuid.UUID, quantity: int, reference: str, by: User, at: datetime
) -> WardIssue:
    """Take ``quantity`` units of the medicine from sellable stock for a dose given on
    the ward (``reference``: the admission's number). Must run inside the caller's
    ``tenant_atomic``. Refuses, changing nothing, when the pharmacy does not hold
    enough unexpired units."""
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(_("A dose takes at least one unit."), field="quantity")
    medicine = medicines_lock([medicine_id]).get(medicine_id)
    if medicine is None:
        raise ValidationError(_("This medicine is not in the hospital's formulary."))
    batches = sellable_batches(medicine_ids=[medicine_id], today=timezone.localdate(at))
    available = sum(batch.quantity_on_hand for batch in batches)
    if available < quantity:
        raise Conflict(
            _(
                "The pharmacy holds %(available)d unit(s) of %(medicine)s in date, and this "
                "dose needs %(quantity)d: the dose is not recorded. Ask the pharmacy for "
                "stock."
            )
            % {"available": available, "medicine": medicine, "quantity": quantity}
        )
    moves = []
    left = quantity
    for batch in batches:
        taken = min(left, batch.quantity_on_hand)
        moves.append(Move(batch, -taken))
        left -= taken
        if left == 0:
            break
    stock_apply(moves=moves, kind=MovementKind.WARD_DOSE, reference=reference[:60], by=by, at=at)
    return WardIssue(quantity=quantity, unit_price=medicine.sale_price)
