"""Prescribing from the formulary, and the checks that protect the patient.

A line names a formulary medicine (or, as a marked exception, one outside it with a
reason) with a structured dose, frequency and duration. Before it is saved it is
checked against the patient's allergies (by ingredient and by drug class) and against
the patient's active medicines (the same ingredient twice); such a warning is saved
only with the doctor's reason for overriding it, which the line keeps and every page
that shows the line shows.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.consultations.formulary import FormularyMedicine, formulary, formulary_medicine_get
from apps.consultations.models import (
    DURATION_DAYS_MAX,
    EVERY_HOURS_CHOICES,
    FREQUENCY_TEXT,
    QUANTITY_MAX,
    Consultation,
    DoseUnit,
    Frequency,
    PrescriptionItem,
    Route,
)
from apps.consultations.services import (
    InvalidDetails,
    PrescriptionItemDetails,
    prescription_item_add,
)
from apps.core.exceptions import ValidationError
from apps.patients.allergies import active_allergies_of
from apps.patients.models import AllergyStatus
from apps.tenancy.db import tenant_atomic

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.patients.models import Patient
    from apps.tenancy.models import Hospital

DOSE_MAX = Decimal("100000")


class WarningKind:
    ALLERGY = "allergy"
    DUPLICATE_INGREDIENT = "duplicate_ingredient"
    ALLERGIES_NOT_ASKED = "allergies_not_asked"
    UNSTRUCTURED_ALLERGIES = "unstructured_allergies"


@dataclass(frozen=True)
class SafetyWarning:
    kind: str
    message: str
    #: an allergy or a duplicate is saved only with a reason; the rest inform
    needs_reason: bool


class NeedsOverride(ValidationError):
    """The line matches an allergy or an active medicine: it is saved only with the
    doctor's reason for overriding the warnings."""

    def __init__(self, warnings: list[SafetyWarning]) -> None:
        super().__init__(
            _("Read the warnings: to prescribe anyway, give your reason for overriding them."),
            field="override_reason",
        )
        self.warnings = warnings


@dataclass(frozen=True)
class ActiveLine:
    """A coded medicine the patient is taking: a prescription's line, or (given by the
    caller) an order on the ward."""

    medicine_id: uuid.UUID
    medicine: str
    prescribed_on: date
    #: the document it is on (a prescription's or an admission's number)
    number: str


def _active_coded_lines(
    patient_id: uuid.UUID, today: date, excluding_items: Collection[int] = ()
) -> list[ActiveLine]:
    """The patient's coded lines whose course has not ended by ``today`` (plain values:
    the check runs on every line)."""
    since = timezone.now() - timedelta(days=DURATION_DAYS_MAX + 1)
    items = PrescriptionItem.objects.filter(
        prescription__patient_id=patient_id,
        formulary_medicine_id__isnull=False,
        prescription__created_at__gte=since,
    )
    if excluding_items:
        items = items.exclude(pk__in=list(excluding_items))
    rows = items.values_list(
        "formulary_medicine_id",
        "medicine",
        "duration_days",
        "prescription__created_at",
        "prescription__number",
    )
    lines = []
    for medicine_id, medicine, days, created_at, number in rows:
        prescribed_on = timezone.localdate(created_at)
        if medicine_id is not None and prescribed_on + timedelta(days=days or 1) > today:
            lines.append(ActiveLine(medicine_id, medicine, prescribed_on, number))
    return lines


def prescription_line_check(
    *,
    patient: Patient,
    medicine: FormularyMedicine,
    today: date | None = None,
    also_active: Sequence[ActiveLine] = (),
    excluding_items: Collection[int] = (),
) -> list[SafetyWarning]:
    """What the doctor must see before ``medicine`` is prescribed to ``patient``: an
    allergy it matches (the allergen is one of its ingredients or classes), an active
    medicine with one of its ingredients, and whether the allergies were ever asked.

    ``also_active``: active medicines the caller knows of besides the prescriptions (a
    ward's orders); ``excluding_items``: prescription items not to count (the ones an
    order continues)."""
    today = today or timezone.localdate()
    warnings: list[SafetyWarning] = []
    if patient.allergy_status == AllergyStatus.UNKNOWN:
        warnings.append(
            SafetyWarning(
                WarningKind.ALLERGIES_NOT_ASKED,
                _("The patient's allergies have not been recorded: ask before prescribing."),
                needs_reason=False,
            )
        )
    if patient.allergies.strip():
        warnings.append(
            SafetyWarning(
                WarningKind.UNSTRUCTURED_ALLERGIES,
                _(
                    "Allergies noted as free text, which no check can read: %(note)s. "
                    "Record them against allergens."
                )
                % {"note": patient.allergies.strip()},
                needs_reason=False,
            )
        )
    for allergy in active_allergies_of(patient_id=patient.pk):
        if allergy.code in medicine.allergen_codes:
            warnings.append(
                SafetyWarning(
                    WarningKind.ALLERGY,
                    _(
                        "Allergy: the patient is allergic to %(allergen)s "
                        "(%(reaction)s, %(severity)s) and %(medicine)s contains it."
                    )
                    % {
                        "allergen": allergy.allergen,
                        "reaction": allergy.reaction,
                        "severity": allergy.severity,
                        "medicine": medicine.name,
                    },
                    needs_reason=True,
                )
            )
    active = [*_active_coded_lines(patient.pk, today, excluding_items), *also_active]
    if active:
        ingredients = formulary().ingredients_of(medicine_ids={line.medicine_id for line in active})
        for line in active:
            shared = sorted(medicine.ingredients & ingredients.get(line.medicine_id, frozenset()))
            if not shared and line.medicine_id == medicine.id:  # no ingredient known
                shared = [medicine.generic_name]
            if shared:
                warnings.append(
                    SafetyWarning(
                        WarningKind.DUPLICATE_INGREDIENT,
                        _(
                            "Same ingredient (%(ingredient)s) as %(medicine)s, prescribed "
                            "on %(day)s (%(number)s) and still active."
                        )
                        % {
                            "ingredient": ", ".join(shared),
                            "medicine": line.medicine,
                            "day": line.prescribed_on.isoformat(),
                            "number": line.number,
                        },
                        needs_reason=True,
                    )
                )
    return warnings


@dataclass(frozen=True)
class PrescriptionLine:
    """What the doctor chose: a formulary medicine by id, or a medicine outside the
    formulary by name with the reason for it."""

    medicine_id: uuid.UUID | None
    dose_amount: Decimal | None
    dose_unit: str
    frequency: str
    duration_days: int | None
    route: str = Route.ORAL
    every_hours: int | None = None
    quantity: int | None = None
    instructions: str = ""
    outside_formulary_name: str = ""
    outside_formulary_reason: str = ""
    override_reason: str = ""


def prescription_line_errors(line: PrescriptionLine) -> dict[str, str]:
    """Each wrong field of the line (empty when every field is right)."""
    errors: dict[str, str] = {}
    if line.medicine_id is None and not line.outside_formulary_name.strip():
        errors["medicine"] = _(
            "Choose the medicine from the formulary, or mark it as outside the formulary."
        )
    elif line.medicine_id is None and not line.outside_formulary_reason.strip():
        errors["outside_formulary_reason"] = _(
            "Give the reason for prescribing outside the formulary."
        )
    if line.dose_amount is None or not Decimal("0") < line.dose_amount <= DOSE_MAX:
        errors["dose"] = _("Give the dose: a number above zero.")
    if line.dose_unit not in DoseUnit.values:
        errors["dose_unit"] = _("Choose the unit of the dose.")
    if line.route not in Route.values:
        errors["route"] = _("Choose a route.")
    if line.frequency not in Frequency.values:
        errors["frequency"] = _("Choose how often.")
    elif line.frequency == Frequency.EVERY_HOURS and line.every_hours not in EVERY_HOURS_CHOICES:
        errors["every_hours"] = _("Choose every how many hours.")
    if line.duration_days is None or not 1 <= line.duration_days <= DURATION_DAYS_MAX:
        errors["duration_days"] = _("The duration is 1 to %(max)d days.") % {
            "max": DURATION_DAYS_MAX
        }
    if line.quantity is not None and not 1 <= line.quantity <= QUANTITY_MAX:
        errors["quantity"] = _("The quantity is a whole number from 1 to %(max)d.") % {
            "max": QUANTITY_MAX
        }
    return errors


def frequency_text(line: PrescriptionLine) -> str:
    """The line's frequency in the words the ward's schedule reads."""
    return FREQUENCY_TEXT[Frequency(line.frequency)].format(hours=line.every_hours)


@dataclass(frozen=True)
class CheckedLine:
    """A line that passed its checks: the formulary medicine (None outside the
    formulary), the warnings the doctor overrode and the reason given."""

    medicine: FormularyMedicine | None
    overridden: list[SafetyWarning]
    override_reason: str

    @property
    def warnings_overridden(self) -> str:
        return "\n".join(w.message for w in self.overridden)


def prescription_line_checked(
    *,
    patient: Patient,
    line: PrescriptionLine,
    also_active: Sequence[ActiveLine] = (),
    excluding_items: Collection[int] = (),
) -> CheckedLine:
    """Check every field of the line, then the patient's allergies and active medicines
    (see ``prescription_line_check``); run it inside the transaction that saves the
    line. Raises ``InvalidDetails`` for a wrong field and ``NeedsOverride`` (with the
    warnings) when the line matches an allergy or an active medicine and no override
    reason was given."""
    errors = prescription_line_errors(line)
    medicine = None
    if line.medicine_id is not None and "medicine" not in errors:
        medicine = formulary_medicine_get(medicine_id=line.medicine_id)
        if medicine is None or not medicine.is_active:
            errors["medicine"] = _("This medicine is not in the hospital's formulary.")
    if errors:
        raise InvalidDetails(errors)
    override_reason = " ".join(line.override_reason.split())
    warnings = (
        prescription_line_check(
            patient=patient,
            medicine=medicine,
            also_active=also_active,
            excluding_items=excluding_items,
        )
        if medicine is not None
        else []
    )
    overridden = [w for w in warnings if w.needs_reason]
    if overridden and not override_reason:
        raise NeedsOverride(warnings)
    return CheckedLine(medicine, overridden, override_reason if overridden else "")


def prescription_line_add(
    *,
    hospital: Hospital,
    consultation: Consultation,
    line: PrescriptionLine,
    prescribed_by: User,
) -> PrescriptionItem:
    """Check the line (``prescription_line_checked``) and add it to the consultation's
    prescription."""
    with tenant_atomic():
        checked = prescription_line_checked(patient=consultation.patient, line=line)
        medicine = checked.medicine
        assert line.dose_amount is not None and line.duration_days is not None
        dose = f"{line.dose_amount.normalize():f} {line.dose_unit}"
        return prescription_item_add(
            hospital=hospital,
            consultation=consultation,
            details=PrescriptionItemDetails(
                medicine=medicine.name
                if medicine
                else " ".join(line.outside_formulary_name.split()),
                dose=dose,
                frequency=frequency_text(line),
                route=line.route,
                duration=f"{line.duration_days} days",
                quantity=line.quantity,
                instructions=line.instructions,
                formulary_medicine_id=medicine.id if medicine else None,
                outside_formulary_reason=""
                if medicine
                else " ".join(line.outside_formulary_reason.split()),
                dose_amount=line.dose_amount,
                dose_unit=line.dose_unit,
                frequency_code=line.frequency,
                every_hours=line.every_hours if line.frequency == Frequency.EVERY_HOURS else None,
                duration_days=line.duration_days,
                warnings_overridden=checked.warnings_overridden,
                override_reason=checked.override_reason,
                prescribed_by_id=prescribed_by.pk,
            ),
        )
