"""A patient's allergies, recorded against the allergen list shipped with the product.

The list (``data/allergens.json``) holds drug classes, ingredients and other substances,
which ingredient belongs to which classes, and the ingredients of common generic names
(so a formulary medicine is mapped to its classes when it is added). Seeding matches
allergens by code, so it runs again without duplicates and refreshes the names.

The allergy status answers "was the patient asked": recording an allergy makes it
"has allergies"; "no known allergies" is said on purpose and refused while an allergy
is active; making the last allergy inactive goes back to "not asked".
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.audit.services import changes_between, clinical_event_record, snapshot
from apps.core.collation import az_order
from apps.core.exceptions import Conflict, NotFound, ValidationError
from apps.patients.models import (
    Allergen,
    AllergySeverity,
    AllergyStatus,
    Patient,
    PatientAllergy,
)
from apps.tenancy.db import tenant_atomic

if TYPE_CHECKING:
    from apps.accounts.models import User

DATA_FILE = Path(__file__).parent / "data" / "allergens.json"


@cache
def shipped_allergens() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def seed(*, update_existing: bool = True) -> dict[str, int]:
    """Create (and with ``update_existing`` refresh the names of) the shipped allergens
    in the selected hospital's database."""
    created = updated = 0
    with tenant_atomic():
        existing = {allergen.code: allergen for allergen in Allergen.objects.all()}
        for entry in shipped_allergens()["allergens"]:
            values = {"kind": entry["kind"], "name": entry["name"], "name_az": entry["name_az"]}
            allergen = existing.get(entry["code"])
            if allergen is None:
                Allergen.objects.create(code=entry["code"], **values)
                created += 1
            elif update_existing and any(getattr(allergen, k) != v for k, v in values.items()):
                Allergen.objects.filter(pk=allergen.pk).update(**values)
                updated += 1
    return {"allergens created": created, "allergens updated": updated}


def ingredients_of_generic_name(generic_name: str) -> list[str]:
    """The ingredient codes of a common generic name ("Co-amoxiclav" → amoxicillin);
    empty for a name the shipped list does not know."""
    key = " ".join(generic_name.casefold().split())
    return list(shipped_allergens()["generic_names"].get(key, []))


def allergen_codes_of_ingredients(ingredients: Iterable[str]) -> set[str]:
    """The ingredients themselves and the classes they belong to."""
    classes = shipped_allergens()["ingredient_classes"]
    codes: set[str] = set()
    for ingredient in ingredients:
        codes.add(ingredient)
        codes.update(classes.get(ingredient, []))
    return codes


# -- reading --------------------------------------------------------------------------


def allergen_list() -> QuerySet[Allergen]:
    return Allergen.objects.order_by("kind", az_order("name"))


def allergies_of(*, patient: Patient, active_only: bool = True) -> QuerySet[PatientAllergy]:
    allergies = PatientAllergy.objects.filter(patient=patient).select_related("allergen")
    return allergies.filter(is_active=True) if active_only else allergies


def allergy_get(*, patient: Patient, allergy_id: int) -> PatientAllergy:
    allergy = allergies_of(patient=patient, active_only=False).filter(pk=allergy_id).first()
    if allergy is None:
        raise NotFound(_("There is no such allergy on this patient's record."))
    return allergy


# -- writing --------------------------------------------------------------------------


@dataclass(frozen=True)
class AllergyDetails:
    allergen_id: int
    reaction: str
    severity: str


def _clean(details: AllergyDetails) -> tuple[Allergen, str]:
    reaction = " ".join(details.reaction.split())
    errors: dict[str, str] = {}
    allergen = Allergen.objects.filter(pk=details.allergen_id).first()
    if allergen is None:
        errors["allergen"] = _("Choose the allergen from the list.")
    if not reaction:
        errors["reaction"] = _("Describe the reaction, e.g. rash or anaphylaxis.")
    if details.severity not in AllergySeverity.values:
        errors["severity"] = _("Choose the severity.")
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationError(message, field=field)
    assert allergen is not None
    return allergen, reaction


def _audit(action: str, allergy: PatientAllergy, changes: dict[str, Any], by: User) -> None:
    clinical_event_record(
        action=action,
        entity="patient",
        entity_id=allergy.patient_id,
        entity_label=allergy.patient.number,
        changes={"allergen": allergy.allergen.code, **changes},
        actor=by,
    )


def _set_status(patient: Patient, status: str) -> None:
    Patient.objects.filter(pk=patient.pk).update(allergy_status=status)
    patient.allergy_status = status


def patient_allergy_record(
    *, patient: Patient, details: AllergyDetails, recorded_by: User
) -> PatientAllergy:
    allergen, reaction = _clean(details)
    with tenant_atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        if allergies_of(patient=locked).filter(allergen=allergen).exists():
            raise Conflict(
                _("This allergy is already recorded; change it instead."), field="allergen"
            )
        allergy = PatientAllergy.objects.create(
            patient=locked,
            allergen=allergen,
            reaction=reaction,
            severity=details.severity,
            recorded_at=timezone.now(),
            recorded_by_id=recorded_by.pk,
        )
        _set_status(patient, AllergyStatus.HAS_ALLERGIES)
        _audit(
            "allergy.recorded",
            allergy,
            {"reaction": reaction, "severity": details.severity},
            recorded_by,
        )
    return allergy


ALLERGY_FIELDS = ("reaction", "severity", "is_active")


def patient_allergy_change(
    *,
    allergy: PatientAllergy,
    reaction: str,
    severity: str,
    is_active: bool,
    changed_by: User,
) -> PatientAllergy:
    """Change the reaction or severity, or make the allergy inactive (recorded in
    error, or outgrown); the audit log keeps what it said before."""
    _allergen, reaction = _clean(AllergyDetails(allergy.allergen_id, reaction, severity))
    before = snapshot(allergy, ALLERGY_FIELDS)
    with tenant_atomic():
        patient = Patient.objects.select_for_update().get(pk=allergy.patient_id)
        allergy.reaction, allergy.severity, allergy.is_active = reaction, severity, is_active
        allergy.changed_at, allergy.changed_by_id = timezone.now(), changed_by.pk
        allergy.save()
        if not allergies_of(patient=patient).exists():
            _set_status(patient, AllergyStatus.UNKNOWN)
        elif is_active:
            _set_status(patient, AllergyStatus.HAS_ALLERGIES)
        _audit(
            "allergy.changed",
            allergy,
            changes_between(before, snapshot(allergy, ALLERGY_FIELDS)),
            changed_by,
        )
    allergy.patient.allergy_status = patient.allergy_status
    return allergy


def patient_no_known_allergies(*, patient: Patient, stated_by: User) -> Patient:
    """Record that the patient was asked and has no known allergies."""
    with tenant_atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        if allergies_of(patient=locked).exists():
            raise Conflict(_("The patient has allergies recorded; make them inactive first."))
        before = locked.allergy_status
        _set_status(patient, AllergyStatus.NONE_KNOWN)
        clinical_event_record(
            action="allergy.status_changed",
            entity="patient",
            entity_id=patient.pk,
            entity_label=patient.number,
            changes={"allergy_status": [before, AllergyStatus.NONE_KNOWN.value]},
            actor=stated_by,
        )
    return patient


@dataclass(frozen=True)
class ActiveAllergy:
    """An active allergy as a prescription is checked against it (read as plain values:
    the check runs on every line and must stay within a few milliseconds)."""

    code: str
    allergen: str
    reaction: str
    severity: str


def active_allergies_of(*, patient_id: uuid.UUID) -> list[ActiveAllergy]:
    rows = PatientAllergy.objects.filter(patient_id=patient_id, is_active=True).values_list(
        "allergen__code", "allergen__name", "allergen__name_az", "reaction", "severity"
    )
    in_azerbaijani = get_language() == "az"
    severities = dict(AllergySeverity.choices)
    return [
        ActiveAllergy(
            code=code,
            allergen=name_az if in_azerbaijani and name_az else name,
            reaction=reaction,
            severity=str(severities.get(severity, severity)),
        )
        for code, name, name_az, reaction, severity in rows
    ]
