"""The medicine catalogue and the suppliers."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from apps.audit.auditing import audited
from apps.audit.services import changes_between, clinical_event_record, snapshot
from apps.patients.allergies import allergen_codes_of_ingredients, ingredients_of_generic_name
from apps.patients.models import Allergen
from apps.pharmacy.models import DosageForm, Medicine, Supplier
from apps.pharmacy.services.errors import InvalidDocument
from apps.tenancy.db import tenant_atomic

logger = logging.getLogger(__name__)


def _squeeze(value: str) -> str:
    return " ".join(value.split())


@dataclass(frozen=True)
class MedicineDetails:
    generic_name: str
    form: str
    unit: str
    sale_price: Decimal | None
    brand_name: str = ""
    strength: str = ""
    reorder_level: int = 0
    is_active: bool = True
    active_ingredient: str = ""


def medicine_details_clean(
    details: MedicineDetails, *, exclude: Medicine | None = None
) -> MedicineDetails:
    """Check a catalogue entry; raises InvalidDocument listing every wrong field."""
    details = replace(
        details,
        generic_name=_squeeze(details.generic_name),
        brand_name=_squeeze(details.brand_name),
        strength=_squeeze(details.strength),
        unit=_squeeze(details.unit),
        active_ingredient=_squeeze(details.active_ingredient).casefold(),
    )
    errors: dict[str, str] = {}
    if not details.generic_name:
        errors["generic_name"] = _("Enter the medicine's generic name.")
    if details.form not in DosageForm.values:
        errors["form"] = _("Choose the dosage form.")
    if not details.unit:
        errors["unit"] = _("Enter the unit stock is counted in, e.g. tablet or bottle.")
    if details.sale_price is None:
        errors["sale_price"] = _("Enter the sale price.")
    elif details.sale_price < 0:
        errors["sale_price"] = _("The sale price cannot be negative.")
    if details.reorder_level < 0:
        errors["reorder_level"] = _("The reorder level cannot be negative.")
    if not errors:
        same = Medicine.objects.filter(
            generic_name__iexact=details.generic_name,
            brand_name__iexact=details.brand_name,
            form=details.form,
            strength__iexact=details.strength,
        )
        if exclude is not None:
            same = same.exclude(pk=exclude.pk)
        if same.exists():
            errors["generic_name"] = _(
                "This medicine (same name, brand, form and strength) is already in the catalogue."
            )
    if errors:
        raise InvalidDocument(errors)
    return details


def _apply_medicine(medicine: Medicine, details: MedicineDetails) -> None:
    for name, value in asdict(details).items():
        setattr(medicine, name, value)
    medicine.search_text = " ".join(
        [details.generic_name, details.brand_name, details.strength, details.active_ingredient]
    ).casefold()


def medicine_ingredients(medicine: Medicine) -> list[str]:
    """The ingredient codes of a medicine: those its active ingredient names, else those
    the shipped list knows for its generic name."""
    typed = [" ".join(part.split()) for part in medicine.active_ingredient.casefold().split("+")]
    return [part for part in typed if part] or ingredients_of_generic_name(medicine.generic_name)


def medicine_map_allergens(medicine: Medicine) -> None:
    """Point the medicine at the allergens (ingredients and their classes) of the
    shipped list, so a prescription of it is checked against the patient's allergies."""
    codes = allergen_codes_of_ingredients(medicine_ingredients(medicine))
    medicine.allergens.set(Allergen.objects.filter(code__in=codes))


def seed(*, update_existing: bool = True) -> dict[str, int]:
    """Map the catalogue's medicines to the shipped allergen list (a hospital's medicines
    added before the list existed, or after it grew)."""
    mapped = 0
    with tenant_atomic():
        for medicine in Medicine.objects.prefetch_related("allergens"):
            if medicine.allergens.all() and not update_existing:
                continue
            before = {allergen.pk for allergen in medicine.allergens.all()}
            medicine_map_allergens(medicine)
            if {allergen.pk for allergen in medicine.allergens.all()} != before:
                mapped += 1
    return {"medicines mapped to allergens": mapped}


def _audit(action: str, record: Medicine | Supplier, changes: Mapping[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity=record._meta.model_name or "",
        entity_id=record.pk,
        entity_label=str(record),
        changes=changes,
    )


@audited("medicine.created")
def medicine_create(*, details: MedicineDetails) -> Medicine:
    details = medicine_details_clean(details)
    medicine = Medicine()
    _apply_medicine(medicine, details)
    with tenant_atomic():
        medicine.save(force_insert=True)
        medicine_map_allergens(medicine)
        _audit("medicine.created", medicine, changes_between({}, asdict(details)))
    logger.info("added medicine %s", medicine.pk)
    return medicine


@audited("medicine.updated")
def medicine_update(*, medicine: Medicine, details: MedicineDetails) -> Medicine:
    details = medicine_details_clean(details, exclude=medicine)
    shown = [field.name for field in fields(MedicineDetails)]
    before = snapshot(medicine, shown)
    _apply_medicine(medicine, details)
    with tenant_atomic():
        medicine.save()
        medicine_map_allergens(medicine)
        _audit("medicine.updated", medicine, changes_between(before, snapshot(medicine, shown)))
    return medicine


@dataclass(frozen=True)
class SupplierDetails:
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    is_active: bool = True


def supplier_details_clean(
    details: SupplierDetails, *, exclude: Supplier | None = None
) -> SupplierDetails:
    details = replace(
        details,
        name=_squeeze(details.name),
        phone=details.phone.strip(),
        email=details.email.strip(),
        address=details.address.strip(),
    )
    errors: dict[str, str] = {}
    if not details.name:
        errors["name"] = _("Enter the supplier's name.")
    else:
        same = Supplier.objects.filter(name__iexact=details.name)
        if exclude is not None:
            same = same.exclude(pk=exclude.pk)
        if same.exists():
            errors["name"] = _("A supplier of this name already exists.")
    if details.email:
        try:
            validate_email(details.email)
        except DjangoValidationError:
            errors["email"] = _("Enter a valid email address.")
    if errors:
        raise InvalidDocument(errors)
    return details


@audited("supplier.created")
def supplier_create(*, details: SupplierDetails) -> Supplier:
    details = supplier_details_clean(details)
    supplier = Supplier(**asdict(details))
    with tenant_atomic():
        supplier.save(force_insert=True)
        _audit("supplier.created", supplier, changes_between({}, asdict(details)))
    return supplier


@audited("supplier.updated")
def supplier_update(*, supplier: Supplier, details: SupplierDetails) -> Supplier:
    details = supplier_details_clean(details, exclude=supplier)
    before = snapshot(supplier, asdict(details))
    for name, value in asdict(details).items():
        setattr(supplier, name, value)
    with tenant_atomic():
        supplier.save()
        _audit("supplier.updated", supplier, changes_between(before, asdict(details)))
    return supplier
