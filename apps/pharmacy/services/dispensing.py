"""Dispensing a consultation's prescription: the rules a sale line carrying a
prescription item must keep.

A prescription is dispensed to its own patient, once the doctor has completed the
consultation (until then the doctor may still change it), and never beyond the
quantity prescribed, counting what earlier sales gave net of returns. An item written
without a quantity leaves the amount to the pharmacist. An item chosen from the
formulary is dispensed as that coded medicine and no other.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from django.utils.translation import gettext as _

from apps.consultations.models import ConsultationStatus, PrescriptionItem
from apps.pharmacy.selectors import dispensed_quantities
from apps.pharmacy.services.errors import InvalidDocument

if TYPE_CHECKING:
    from apps.patients.models import Patient


class DispensingLine(Protocol):
    @property
    def medicine_id(self) -> uuid.UUID | None: ...

    @property
    def prescription_item_id(self) -> int | None: ...

    @property
    def quantity(self) -> int | None: ...


def prescribed_check(*, lines: Sequence[DispensingLine], patient: Patient | None) -> None:
    """Inside the sale's transaction: refuse lines that dispense an item of another
    patient, of an open consultation, or beyond what was prescribed (every such line
    at once, next to its field). The items are locked first, so two pharmacists
    dispensing one prescription at once cannot both give the last units."""
    wanted: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.prescription_item_id is not None:
            wanted[line.prescription_item_id] += line.quantity or 0
    if not wanted:
        return
    items = {
        item.pk: item
        for item in PrescriptionItem.objects.select_for_update()
        .select_related("prescription__consultation")
        .filter(pk__in=list(wanted))
        .order_by("pk")
    }
    dispensed = dispensed_quantities(prescription_item_ids=list(items))
    errors: dict[str, str] = {}
    line_errors: dict[int, dict[str, str]] = {}
    if patient is None:
        errors["patient_number"] = _(
            "A prescription is dispensed to its patient: enter the patient's number."
        )
    for index, line in enumerate(lines):
        if line.prescription_item_id is None:
            continue
        item = items.get(line.prescription_item_id)
        problem = _item_problem(item, patient, wanted, dispensed) or _coded_problem(item, line)
        if problem:
            line_errors[index] = {problem[0]: problem[1]}
    if errors or line_errors:
        raise InvalidDocument(errors, line_errors)


def _coded_problem(item: PrescriptionItem | None, line: DispensingLine) -> tuple[str, str] | None:
    """A line written from the formulary is dispensed as the medicine it names, never
    another one that reads alike."""
    if item is None or item.formulary_medicine_id is None:
        return None
    if line.medicine_id != item.formulary_medicine_id:
        return "medicine", _(
            "%(medicine)s was prescribed from the formulary: dispense that medicine."
        ) % {"medicine": item.medicine}
    return None


def _item_problem(
    item: PrescriptionItem | None,
    patient: Patient | None,
    wanted: dict[int, int],
    dispensed: dict[int, int],
) -> tuple[str, str] | None:
    if item is None:
        return "medicine", _("This prescription item does not exist in this hospital.")
    prescription = item.prescription
    if patient is not None and prescription.patient_id != patient.pk:
        return "medicine", _("Prescription %(number)s is another patient's.") % {
            "number": prescription.number
        }
    if prescription.consultation.status != ConsultationStatus.COMPLETED:
        return "medicine", _(
            "The doctor has not completed the consultation of %(number)s yet; "
            "its prescription may still change."
        ) % {"number": prescription.number}
    if item.quantity is None:
        return None
    given = dispensed.get(item.pk, 0)
    if given + wanted[item.pk] > item.quantity:
        return "quantity", _(
            "%(medicine)s: %(prescribed)d prescribed and %(given)d already dispensed, "
            "so at most %(left)d more; dispensing more than prescribed is refused."
        ) % {
            "medicine": item.medicine,
            "prescribed": item.quantity,
            "given": given,
            "left": max(item.quantity - given, 0),
        }
    return None
