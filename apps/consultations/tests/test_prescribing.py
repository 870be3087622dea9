"""Prescribing from the formulary: the allergy and duplicate checks, the override
reason, the exception outside the formulary, and the picker."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.test.utils import CaptureQueriesContext

from apps.admissions.doses import schedule_of
from apps.consultations.formulary import formulary_medicine_get
from apps.consultations.models import FREQUENCY_TEXT, Consultation, Frequency, PrescriptionItem
from apps.consultations.prescribing import (
    NeedsOverride,
    PrescriptionLine,
    WarningKind,
    prescription_line_add,
    prescription_line_check,
)
from apps.consultations.services import InvalidDetails
from apps.consultations.tests.conftest import HTMX, Clinic, clinic_of
from apps.patients.allergies import (
    AllergyDetails,
    patient_allergy_record,
    patient_no_known_allergies,
)
from apps.patients.models import Allergen, AllergyStatus, Patient
from apps.pharmacy.models import Medicine
from apps.pharmacy.tests.factories import make_medicine
from apps.tenancy.context import tenant_context
from apps.tenancy.db import current_connection
from apps.tenancy.models import Hospital


def _amoxicillin(hospital: Hospital) -> Medicine:
    return make_medicine(
        hospital, generic_name="Amoxicillin", brand_name="Amoxil", form="capsule", strength="500 mg"
    )


def _line(medicine: Medicine | None, **changes: Any) -> PrescriptionLine:
    base = PrescriptionLine(
        medicine_id=medicine.pk if medicine else None,
        dose_amount=Decimal("500"),
        dose_unit="mg",
        frequency="three_times_daily",
        duration_days=7,
        quantity=21,
    )
    return replace(base, **changes)


def _allergic_to(clinic: Clinic, patient: Patient, code: str) -> None:
    with tenant_context(clinic.hospital):
        allergen = Allergen.objects.get(code=code)
        patient_allergy_record(
            patient=patient,
            details=AllergyDetails(allergen.pk, "Anaphylaxis", "severe"),
            recorded_by=clinic.nurse,
        )


@pytest.fixture
def consultation(clinic: Clinic) -> Consultation:
    return clinic.opened()


def _kinds(warnings: list[Any]) -> list[str]:
    return [warning.kind for warning in warnings]


def test_a_penicillin_allergy_matches_amoxicillin_by_its_class(
    clinic: Clinic, consultation: Consultation
) -> None:
    amoxicillin = _amoxicillin(clinic.hospital)
    _allergic_to(clinic, consultation.patient, "penicillins")
    with tenant_context(clinic.hospital):
        patient = Patient.objects.get(pk=consultation.patient_id)
        medicine = formulary_medicine_get(medicine_id=amoxicillin.pk)
        assert medicine is not None and "penicillins" in medicine.allergen_codes
        warnings = prescription_line_check(patient=patient, medicine=medicine)
    assert _kinds(warnings) == [WarningKind.UNSTRUCTURED_ALLERGIES, WarningKind.ALLERGY]
    assert "Penicillins" in warnings[1].message and warnings[1].needs_reason


def test_an_allergy_to_an_ingredient_matches_the_medicines_holding_it(
    clinic: Clinic, consultation: Consultation
) -> None:
    ibuprofen = make_medicine(clinic.hospital, generic_name="Ibuprofen", brand_name="Nurofen")
    _allergic_to(clinic, consultation.patient, "ibuprofen")
    paracetamol = make_medicine(clinic.hospital)
    with tenant_context(clinic.hospital):
        patient = Patient.objects.get(pk=consultation.patient_id)
        with_ibuprofen = formulary_medicine_get(medicine_id=ibuprofen.pk)
        with_paracetamol = formulary_medicine_get(medicine_id=paracetamol.pk)
        assert with_ibuprofen is not None and with_paracetamol is not None
        on_ibuprofen = prescription_line_check(patient=patient, medicine=with_ibuprofen)
        on_paracetamol = prescription_line_check(patient=patient, medicine=with_paracetamol)
    assert WarningKind.ALLERGY in _kinds(on_ibuprofen)
    assert WarningKind.ALLERGY not in _kinds(on_paracetamol)


def test_a_second_active_medicine_with_the_same_ingredient_is_warned_of(
    clinic: Clinic, consultation: Consultation
) -> None:
    amoxil = _amoxicillin(clinic.hospital)
    augmentin = make_medicine(
        clinic.hospital,
        generic_name="Co-amoxiclav",
        brand_name="Augmentin",
        active_ingredient="amoxicillin + clavulanic acid",
    )
    with tenant_context(clinic.hospital):
        patient_no_known_allergies(patient=consultation.patient, stated_by=clinic.nurse)
        prescription_line_add(
            hospital=clinic.hospital,
            consultation=consultation,
            line=_line(amoxil),
            prescribed_by=clinic.doctor_user,
        )
        with pytest.raises(NeedsOverride) as refused:
            prescription_line_add(
                hospital=clinic.hospital,
                consultation=consultation,
                line=_line(augmentin),
                prescribed_by=clinic.doctor_user,
            )
    needing_reason = [w for w in refused.value.warnings if w.needs_reason]
    assert _kinds(needing_reason) == [WarningKind.DUPLICATE_INGREDIENT]
    assert "amoxicillin" in needing_reason[0].message


def test_no_known_allergies_is_not_the_same_as_not_asked(
    clinic: Clinic, consultation: Consultation
) -> None:
    paracetamol = make_medicine(clinic.hospital)
    with tenant_context(clinic.hospital):
        patient = Patient.objects.get(pk=consultation.patient_id)
        Patient.objects.filter(pk=patient.pk).update(allergies="")
        patient.allergies = ""
        medicine = formulary_medicine_get(medicine_id=paracetamol.pk)
        assert medicine is not None
        assert patient.allergy_status == AllergyStatus.UNKNOWN
        not_asked = prescription_line_check(patient=patient, medicine=medicine)
        patient_no_known_allergies(patient=patient, stated_by=clinic.nurse)
        none_known = prescription_line_check(patient=patient, medicine=medicine)
    assert _kinds(not_asked) == [WarningKind.ALLERGIES_NOT_ASKED]
    assert not not_asked[0].needs_reason
    assert none_known == []


def test_an_override_needs_a_reason_which_the_line_keeps(
    clinic: Clinic, consultation: Consultation
) -> None:
    amoxicillin = _amoxicillin(clinic.hospital)
    _allergic_to(clinic, consultation.patient, "penicillins")
    with tenant_context(clinic.hospital):
        with pytest.raises(NeedsOverride):
            prescription_line_add(
                hospital=clinic.hospital,
                consultation=consultation,
                line=_line(amoxicillin, override_reason="   "),
                prescribed_by=clinic.doctor_user,
            )
        assert not PrescriptionItem.objects.exists()
        item = prescription_line_add(
            hospital=clinic.hospital,
            consultation=consultation,
            line=_line(amoxicillin, override_reason="Tolerated amoxicillin in 2024"),
            prescribed_by=clinic.doctor_user,
        )
    assert item.formulary_medicine_id == amoxicillin.pk
    assert item.medicine == "Amoxicillin 500 mg (Amoxil)"
    assert item.override_reason == "Tolerated amoxicillin in 2024"
    assert "Penicillins" in item.warnings_overridden
    assert (item.dose, item.frequency, item.duration) == ("500 mg", "3 times a day", "7 days")


def test_a_medicine_outside_the_formulary_needs_a_reason(
    clinic: Clinic, consultation: Consultation
) -> None:
    line = _line(None, outside_formulary_name="Herbal tea")
    with tenant_context(clinic.hospital):
        with pytest.raises(InvalidDetails) as refused:
            prescription_line_add(
                hospital=clinic.hospital,
                consultation=consultation,
                line=line,
                prescribed_by=clinic.doctor_user,
            )
        assert set(refused.value.errors) == {"outside_formulary_reason"}
        item = prescription_line_add(
            hospital=clinic.hospital,
            consultation=consultation,
            line=replace(line, outside_formulary_reason="Patient's own supply"),
            prescribed_by=clinic.doctor_user,
        )
    assert item.is_outside_formulary and item.formulary_medicine_id is None


def test_doses_durations_and_quantities_are_bounded(
    clinic: Clinic, consultation: Consultation
) -> None:
    amoxicillin = _amoxicillin(clinic.hospital)
    with tenant_context(clinic.hospital), pytest.raises(InvalidDetails) as refused:
        prescription_line_add(
            hospital=clinic.hospital,
            consultation=consultation,
            line=_line(
                amoxicillin,
                dose_amount=Decimal("0"),
                duration_days=9_999_999_999,
                quantity=10**20,
                frequency="every_hours",
                every_hours=7,
            ),
            prescribed_by=clinic.doctor_user,
        )
    assert set(refused.value.errors) == {"dose", "duration_days", "quantity", "every_hours"}


# -- views ---------------------------------------------------------------------------------


def _post(medicine: Medicine, **changes: str) -> dict[str, str]:
    return {
        "medicine": medicine.generic_name,
        "medicine_id": str(medicine.pk),
        "dose": "500",
        "dose_unit": "mg",
        "route": "oral",
        "frequency": "three_times_daily",
        "duration_days": "7",
        "quantity": "21",
        **changes,
    }


def test_the_picker_finds_formulary_medicines_by_part_of_the_name(
    clinic: Clinic, consultation: Consultation
) -> None:
    amoxicillin = _amoxicillin(clinic.hospital)
    fragment = clinic.client().get(
        f"/consultations/{consultation.pk}/prescription/medicines/?medicine=amox", **HTMX
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'id="medicine-results"' in fragment.text
    assert f'value="{amoxicillin.pk}"' in fragment.text and "Amoxil" in fragment.text
    by_brand = clinic.client().get(
        f"/consultations/{consultation.pk}/prescription/medicines/?medicine=amoxil", **HTMX
    )
    assert f'value="{amoxicillin.pk}"' in by_brand.text


def test_a_warning_comes_back_with_the_form_and_a_reason_saves_the_line(
    clinic: Clinic, consultation: Consultation
) -> None:
    amoxicillin = _amoxicillin(clinic.hospital)
    _allergic_to(clinic, consultation.patient, "penicillins")
    client = clinic.client()
    url = f"/consultations/{consultation.pk}/prescription/items/"
    warned = client.post(url, _post(amoxicillin), **HTMX)
    assert warned.status_code == 200 and 'id="prescribing-warnings"' in warned.text
    assert (
        'name="override_reason"' in warned.text and 'id="id_override_reason_error"' in warned.text
    )
    assert f'value="{amoxicillin.pk}" checked' in warned.text
    with tenant_context(clinic.hospital):
        assert not PrescriptionItem.objects.exists()
    saved = client.post(url, _post(amoxicillin, override_reason="Desensitised"), **HTMX)
    assert "Overridden: Desensitised" in saved.text
    page = client.get(f"/consultations/{consultation.pk}/prescription/")
    assert "Overridden: Desensitised" in page.text and "Amoxicillin 500 mg (Amoxil)" in page.text


def test_a_line_outside_the_formulary_is_marked_on_the_print(
    clinic: Clinic, consultation: Consultation
) -> None:
    client = clinic.client()
    fields = {
        "medicine": "Herbal tea",
        "outside_formulary": "on",
        "dose": "1",
        "dose_unit": "sachet",
        "route": "oral",
        "frequency": "at_night",
        "duration_days": "5",
    }
    url = f"/consultations/{consultation.pk}/prescription/items/"
    refused = client.post(url, fields, **HTMX)
    assert 'id="id_outside_formulary_reason_error"' in refused.text
    client.post(url, {**fields, "outside_formulary_reason": "Own supply"}, **HTMX)
    page = client.get(f"/consultations/{consultation.pk}/prescription/")
    assert "Outside the formulary" in page.text and "Own supply" in page.text


def test_a_typed_name_alone_is_refused_and_the_formulary_offered(
    clinic: Clinic, consultation: Consultation
) -> None:
    amoxicillin = _amoxicillin(clinic.hospital)
    response = clinic.client().post(
        f"/consultations/{consultation.pk}/prescription/items/",
        {**_post(amoxicillin, medicine_id=""), "medicine": "amoxicillin"},
        **HTMX,
    )
    assert 'id="id_medicine_error"' in response.text
    assert f'value="{amoxicillin.pk}"' in response.text
    with tenant_context(clinic.hospital):
        assert not PrescriptionItem.objects.exists()


def test_the_picker_and_prescribing_are_not_reachable_from_another_hospital(
    clinic: Clinic, consultation: Consultation, hospital_b: Hospital
) -> None:
    other = clinic_of(hospital_b)
    amoxicillin = _amoxicillin(clinic.hospital)
    search = other.client().get(
        f"/consultations/{consultation.pk}/prescription/medicines/?medicine=amox", **HTMX
    )
    add = other.client().post(
        f"/consultations/{consultation.pk}/prescription/items/", _post(amoxicillin), **HTMX
    )
    assert search.status_code == 404 and add.status_code == 404


@pytest.mark.parametrize("code", [c for c in Frequency.values if c != Frequency.AS_NEEDED])
def test_every_coded_frequency_is_scheduled_on_the_ward(code: str) -> None:
    """The ward's dose schedule reads the text a coded line stores beside its code."""
    text = FREQUENCY_TEXT[Frequency(code)].format(hours=8)
    assert schedule_of(text).hours


def test_as_needed_is_understood_on_the_ward() -> None:
    assert schedule_of(FREQUENCY_TEXT[Frequency.AS_NEEDED]).as_needed


def test_the_check_of_one_line_reads_three_queries(
    clinic: Clinic, consultation: Consultation
) -> None:
    """Issue 18's figure (5 ms a line) rests on this: allergies, active lines, their
    ingredients, whatever the number of each."""
    amoxicillin = _amoxicillin(clinic.hospital)
    _allergic_to(clinic, consultation.patient, "penicillins")
    with tenant_context(clinic.hospital):
        prescription_line_add(
            hospital=clinic.hospital,
            consultation=consultation,
            line=_line(amoxicillin, override_reason="Tolerated"),
            prescribed_by=clinic.doctor_user,
        )
        patient = Patient.objects.get(pk=consultation.patient_id)
        medicine = formulary_medicine_get(medicine_id=amoxicillin.pk)
        assert medicine is not None
        with CaptureQueriesContext(current_connection()) as queries:
            warnings = prescription_line_check(patient=patient, medicine=medicine)
    assert len(queries) == 3
    assert {WarningKind.ALLERGY, WarningKind.DUPLICATE_INGREDIENT} <= set(_kinds(warnings))
