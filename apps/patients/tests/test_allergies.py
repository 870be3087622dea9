"""A patient's allergies against the shipped allergen list: the status, the audit
trail, and the section of the patient's page."""

from __future__ import annotations

from typing import Any

import pytest

from apps.accounts.models import Role, User
from apps.audit.models import ClinicalEvent
from apps.core.exceptions import Conflict
from apps.patients.allergies import (
    AllergyDetails,
    allergen_codes_of_ingredients,
    ingredients_of_generic_name,
    patient_allergy_change,
    patient_allergy_record,
    patient_no_known_allergies,
    seed,
)
from apps.patients.models import Allergen, AllergyStatus, Patient, PatientAllergy
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def nurse(hospital_a: Hospital) -> User:
    return make_user(hospital_a, Role.NURSE)


@pytest.fixture
def patient(hospital_a: Hospital) -> Patient:
    return register(hospital_a)


def _penicillins(hospital: Hospital) -> Allergen:
    with tenant_context(hospital):
        return Allergen.objects.get(code="penicillins")


def test_every_hospital_has_the_shipped_list_and_seeding_again_adds_nothing(
    hospital_a: Hospital,
) -> None:
    with tenant_context(hospital_a):
        assert {"penicillins", "cephalosporins", "sulfonamides", "nsaids", "opioids"} <= set(
            Allergen.objects.values_list("code", flat=True)
        )
        assert {"iodinated-contrast", "latex"} <= set(
            Allergen.objects.values_list("code", flat=True)
        )
        assert seed() == {"allergens created": 0, "allergens updated": 0}


def test_common_generic_names_map_to_their_ingredients_and_classes() -> None:
    assert ingredients_of_generic_name("Co-Amoxiclav") == ["amoxicillin"]
    assert allergen_codes_of_ingredients(["amoxicillin"]) == {"amoxicillin", "penicillins"}
    assert ingredients_of_generic_name("Unheard-of") == []


def test_recording_an_allergy_sets_the_status_and_is_audited(
    hospital_a: Hospital, patient: Patient, nurse: User
) -> None:
    with tenant_context(hospital_a):
        assert patient.allergy_status == AllergyStatus.UNKNOWN
        allergy = patient_allergy_record(
            patient=patient,
            details=AllergyDetails(_penicillins(hospital_a).pk, "Hives", "moderate"),
            recorded_by=nurse,
        )
        assert Patient.objects.get(pk=patient.pk).allergy_status == AllergyStatus.HAS_ALLERGIES
        event = ClinicalEvent.objects.get(action="allergy.recorded")
        assert allergy.recorded_by_id == nurse.pk
    assert event.entity_id == str(patient.pk) and event.actor_id == nurse.pk
    assert event.changes["allergen"] == "penicillins" and event.changes["severity"] == "moderate"


def test_changing_an_allergy_keeps_what_it_said_in_the_audit_log(
    hospital_a: Hospital, patient: Patient, nurse: User
) -> None:
    with tenant_context(hospital_a):
        allergy = patient_allergy_record(
            patient=patient,
            details=AllergyDetails(_penicillins(hospital_a).pk, "Hives", "moderate"),
            recorded_by=nurse,
        )
        patient_allergy_change(
            allergy=allergy,
            reaction="Anaphylaxis",
            severity="severe",
            is_active=True,
            changed_by=nurse,
        )
        event = ClinicalEvent.objects.get(action="allergy.changed")
        assert event.changes["reaction"] == ["Hives", "Anaphylaxis"]
        assert event.changes["severity"] == ["moderate", "severe"]
        patient_allergy_change(
            allergy=allergy,
            reaction="Anaphylaxis",
            severity="severe",
            is_active=False,
            changed_by=nurse,
        )
        assert Patient.objects.get(pk=patient.pk).allergy_status == AllergyStatus.UNKNOWN
        assert PatientAllergy.objects.filter(pk=allergy.pk).exists()  # never deleted


def test_no_known_allergies_is_stated_and_refused_while_one_is_active(
    hospital_a: Hospital, patient: Patient, nurse: User
) -> None:
    with tenant_context(hospital_a):
        patient_no_known_allergies(patient=patient, stated_by=nurse)
        assert Patient.objects.get(pk=patient.pk).allergy_status == AllergyStatus.NONE_KNOWN
        assert ClinicalEvent.objects.filter(action="allergy.status_changed").count() == 1
        patient_allergy_record(
            patient=patient,
            details=AllergyDetails(_penicillins(hospital_a).pk, "Rash", "mild"),
            recorded_by=nurse,
        )
        with pytest.raises(Conflict):
            patient_no_known_allergies(patient=patient, stated_by=nurse)


def test_a_nurse_records_an_allergy_on_the_patients_page(
    hospital_a: Hospital, patient: Patient, nurse: User
) -> None:
    client = hospital_client(hospital_a, nurse)
    page = client.get(f"/patients/{patient.pk}/")
    assert 'id="allergies"' in page.text and "Not asked" in page.text
    assert "not checked against prescriptions: Penicillin" in page.text  # the old note
    fragment = client.post(
        f"/patients/{patient.pk}/allergies/",
        {"allergen": _penicillins(hospital_a).pk, "reaction": "Anaphylaxis", "severity": "severe"},
        **HTMX,
    )
    assert "<html" not in fragment.text and "Anaphylaxis" in fragment.text
    with tenant_context(hospital_a):
        allergy = PatientAllergy.objects.get()
    changed = client.post(
        f"/patients/{patient.pk}/allergies/{allergy.pk}/",
        {"reaction": "Anaphylaxis", "severity": "severe"},  # unticked: made inactive
        **HTMX,
    )
    assert changed.status_code == 200
    with tenant_context(hospital_a):
        assert not PatientAllergy.objects.get().is_active
    refused = client.post(f"/patients/{patient.pk}/allergies/", {"reaction": ""}, **HTMX)
    assert 'id="id_allergen_error"' in refused.text and 'id="id_reaction_error"' in refused.text


def test_front_desk_may_not_record_allergies(hospital_a: Hospital, patient: Patient) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))
    response = client.post(f"/patients/{patient.pk}/allergies/none-known/")
    assert response.status_code == 403


def test_another_hospitals_patient_is_not_found(
    hospital_a: Hospital, hospital_b: Hospital, patient: Patient
) -> None:
    client = hospital_client(hospital_b, make_user(hospital_b, Role.NURSE))
    with tenant_context(hospital_a):
        allergen_id = _penicillins(hospital_a).pk
    for url, data in (
        (f"/patients/{patient.pk}/allergies/", {"allergen": allergen_id, "reaction": "x"}),
        (f"/patients/{patient.pk}/allergies/1/", {"reaction": "x", "severity": "mild"}),
        (f"/patients/{patient.pk}/allergies/none-known/", {}),
    ):
        assert client.post(url, data).status_code == 404
