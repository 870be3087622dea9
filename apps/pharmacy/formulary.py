"""The catalogue handed to consultations as the hospital's formulary (see
``apps.consultations.formulary``): the doctor's picker and the prescription checks read
it through this, never the pharmacy's models."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from apps.consultations.formulary import FormularyMedicine
from apps.patients.models import AllergenKind
from apps.pharmacy.models import Medicine


def _typed_ingredients(active_ingredient: str) -> set[str]:
    return {" ".join(part.split()) for part in active_ingredient.split("+")} - {""}


def _entry(medicine: Medicine) -> FormularyMedicine:
    allergens = list(medicine.allergens.all())
    typed = _typed_ingredients(medicine.active_ingredient)
    return FormularyMedicine(
        id=medicine.pk,
        name=str(medicine),
        generic_name=medicine.generic_name,
        strength=medicine.strength,
        form=str(medicine.get_form_display()),
        unit=medicine.unit,
        is_active=medicine.is_active,
        ingredients=frozenset(
            {a.code for a in allergens if a.kind == AllergenKind.INGREDIENT} | typed
        ),
        allergen_codes=frozenset(a.code for a in allergens),
    )


class PharmacyFormulary:
    def search(self, *, query: str, limit: int) -> list[FormularyMedicine]:
        medicines = Medicine.objects.filter(is_active=True).prefetch_related("allergens")
        for term in query.casefold().split():
            medicines = medicines.filter(search_text__contains=term)
        ordered = medicines.order_by("generic_name", "strength", "brand_name", "pk")
        return [_entry(medicine) for medicine in ordered[:limit]]

    def get_many(self, *, medicine_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, FormularyMedicine]:
        ids = list(medicine_ids)
        if not ids:
            return {}
        medicines = Medicine.objects.filter(pk__in=ids).prefetch_related("allergens")
        return {medicine.pk: _entry(medicine) for medicine in medicines}

    def ingredients_of(
        self, *, medicine_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, frozenset[str]]:
        ingredients: dict[uuid.UUID, set[str]] = {}
        rows = Medicine.objects.filter(pk__in=list(medicine_ids)).values_list(
            "pk", "active_ingredient", "allergens__code", "allergens__kind"
        )
        for medicine_id, active_ingredient, code, kind in rows:
            found = ingredients.setdefault(medicine_id, _typed_ingredients(active_ingredient))
            if kind == AllergenKind.INGREDIENT:
                found.add(code)
        return {medicine_id: frozenset(found) for medicine_id, found in ingredients.items()}


#: declared in pharmacy's module (``Module.formulary``)
formulary = PharmacyFormulary()
