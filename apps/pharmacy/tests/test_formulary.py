"""The catalogue as the doctor's formulary: medicines mapped to the allergen list, and
what the picker and the checks read of them."""

from __future__ import annotations

from apps.pharmacy.formulary import PharmacyFormulary
from apps.pharmacy.models import Medicine
from apps.pharmacy.services.catalogue import seed
from apps.pharmacy.tests.factories import make_medicine
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def _codes(hospital: Hospital, medicine: Medicine) -> set[str]:
    with tenant_context(hospital):
        return set(medicine.allergens.values_list("code", flat=True))


def test_a_medicine_is_mapped_to_its_ingredients_and_classes(hospital_a: Hospital) -> None:
    by_name = make_medicine(hospital_a, generic_name="Amoxicillin", brand_name="Amoxil")
    by_ingredient = make_medicine(
        hospital_a, generic_name="Pain relief", brand_name="Nurofen", active_ingredient="Ibuprofen"
    )
    unknown = make_medicine(hospital_a, generic_name="Vitamin C", brand_name="")
    assert _codes(hospital_a, by_name) == {"amoxicillin", "penicillins"}
    assert _codes(hospital_a, by_ingredient) == {"ibuprofen", "nsaids"}
    assert _codes(hospital_a, unknown) == set()


def test_the_seeder_maps_medicines_added_before_the_list(hospital_a: Hospital) -> None:
    medicine = make_medicine(hospital_a, generic_name="Ceftriaxone", brand_name="Rocephin")
    with tenant_context(hospital_a):
        medicine.allergens.clear()
        assert seed() == {"medicines mapped to allergens": 1}
        assert seed() == {"medicines mapped to allergens": 0}
    assert _codes(hospital_a, medicine) == {"ceftriaxone", "cephalosporins"}


def test_the_picker_offers_active_medicines_by_generic_name_or_brand(
    hospital_a: Hospital,
) -> None:
    amoxil = make_medicine(hospital_a, generic_name="Amoxicillin", brand_name="Amoxil")
    retired = make_medicine(hospital_a, generic_name="Amoxicillin", brand_name="Old brand")
    with tenant_context(hospital_a):
        Medicine.objects.filter(pk=retired.pk).update(is_active=False)
        formulary = PharmacyFormulary()
        assert [m.id for m in formulary.search(query="amox", limit=10)] == [amoxil.pk]
        assert [m.id for m in formulary.search(query="AMOXIL", limit=10)] == [amoxil.pk]
        entry = formulary.get_many(medicine_ids=[amoxil.pk])[amoxil.pk]
        assert entry.ingredients == {"amoxicillin"} and "penicillins" in entry.allergen_codes
        assert formulary.ingredients_of(medicine_ids=[amoxil.pk]) == {
            amoxil.pk: frozenset({"amoxicillin"})
        }
