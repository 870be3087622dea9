from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.core.exceptions import NotFound
from apps.patients import history
from apps.patients.models import Patient
from apps.patients.selectors import patient_get, patient_history, patient_search
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user


@pytest.fixture(autouse=True)
def _only_the_providers_a_test_registers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed modules (the laboratory ...) register history providers of their own;
    these tests are about the registry, so each starts from an empty one."""
    monkeypatch.setattr(history, "_providers", {})


@pytest.fixture
def patients(hospital_a: Hospital) -> dict[str, Patient]:
    return {
        "nizami": register(hospital_a),
        "zohra": register(
            hospital_a,
            first_name="Zöhrə",
            last_name="Əliyeva",
            sex="female",
            phone="+994 70 222 33 44",
        ),
        "samir": register(
            hospital_a, first_name="Samir", last_name="Quliyev", phone="055 987 65 43"
        ),
    }


def search(hospital: Hospital, query: str) -> set[str]:
    with tenant_context(hospital):
        return {patient.first_name for patient in patient_search(query=query)}


def test_the_search_matches_part_of_a_name_in_any_case(
    hospital_a: Hospital, patients: dict[str, Patient]
) -> None:
    assert search(hospital_a, "niz") == {"Nizami"}
    assert search(hospital_a, "ALIYEV") == {"Nizami"}
    assert search(hospital_a, "liyev") == {"Nizami", "Zöhrə", "Samir"}
    assert search(hospital_a, "əliyeva") == {"Zöhrə"}
    assert search(hospital_a, "ƏLIYEVA") == {"Zöhrə"}


def test_every_word_of_the_query_must_match(
    hospital_a: Hospital, patients: dict[str, Patient]
) -> None:
    assert search(hospital_a, "samir quli") == {"Samir"}
    assert search(hospital_a, "samir aliyev") == set()


def test_the_search_finds_a_patient_number(
    hospital_a: Hospital, patients: dict[str, Patient]
) -> None:
    assert search(hospital_a, patients["samir"].number) == {"Samir"}
    assert search(hospital_a, "pat-000002") == {"Zöhrə"}


def test_the_search_finds_a_phone_typed_with_any_separators(
    hospital_a: Hospital, patients: dict[str, Patient]
) -> None:
    assert search(hospital_a, "987-65-43") == {"Samir"}
    assert search(hospital_a, "+994 70 222") == {"Zöhrə"}
    assert search(hospital_a, "(055) 987") == {"Samir"}


def test_an_empty_query_lists_everyone_newest_first(
    hospital_a: Hospital, patients: dict[str, Patient]
) -> None:
    with tenant_context(hospital_a):
        assert [p.first_name for p in patient_search(query="  ")] == ["Samir", "Zöhrə", "Nizami"]


def test_a_patient_of_another_hospital_is_not_found(
    hospital_a: Hospital, hospital_b: Hospital, patients: dict[str, Patient]
) -> None:
    with tenant_context(hospital_b), pytest.raises(NotFound):
        patient_get(patient_id=patients["nizami"].pk)
    with tenant_context(hospital_a):
        assert patient_get(patient_id=patients["nizami"].pk) == patients["nizami"]


def test_history_is_empty_until_a_module_provides_entries(
    hospital_a: Hospital, patients: dict[str, Patient], monkeypatch: pytest.MonkeyPatch
) -> None:
    # installed modules' providers query the hospital's database, as in a request
    with tenant_context(hospital_a):
        assert patient_history(patient=patients["nizami"]) == []


def test_history_merges_every_providers_entries_newest_first(
    hospital_a: Hospital, patients: dict[str, Patient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "_providers", {})  # only this test's providers
    now = timezone.now()

    def appointments(patient: Patient) -> list[history.HistoryEntry]:
        return [
            history.HistoryEntry(
                when=now - timedelta(days=3), kind="Appointment", title="Cardiology"
            )
        ]

    def invoices(patient: Patient) -> list[history.HistoryEntry]:
        if patient.first_name != "Nizami":
            return []
        return [
            history.HistoryEntry(when=now, kind="Invoice", title="INV-1"),
            history.HistoryEntry(when=now - timedelta(days=7), kind="Invoice", title="INV-0"),
        ]

    history.register_provider("appointments", appointments)
    history.register_provider("invoices", invoices)
    try:
        with tenant_context(hospital_a):
            entries = patient_history(patient=patients["nizami"])
            assert [entry.title for entry in entries] == ["INV-1", "Cardiology", "INV-0"]
            assert [entry.kind for entry in patient_history(patient=patients["samir"])] == [
                "Appointment"
            ]
    finally:
        history.unregister_provider("appointments")
        history.unregister_provider("invoices")
    assert not {"appointments", "invoices"} & set(history.provider_keys())
    assert isinstance(now, datetime)


def test_history_links_are_kept_only_for_pages_the_viewer_may_open(
    hospital_a: Hospital, patients: dict[str, Patient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "_providers", {})
    now = timezone.now()
    sale = "/pharmacy/sales/6f1c1d2e-8a3b-4c5d-9e0f-112233445566/"
    visit = "/consultations/6f1c1d2e-8a3b-4c5d-9e0f-112233445566/"
    entries = [
        history.HistoryEntry(when=now, kind="Sale", title="SAL-1", url=sale),
        history.HistoryEntry(when=now, kind="Visit", title="Visit", url=visit),
        history.HistoryEntry(
            when=now, kind="Visit", title="Nurses only", url=visit, roles=frozenset({"nurse"})
        ),
        history.HistoryEntry(when=now, kind="Odd", title="Nowhere", url="/no/such/page/"),
    ]
    history.register_provider("test", lambda patient: entries)
    doctor = make_user(hospital_a, Role.DOCTOR)
    nurse = make_user(hospital_a, Role.NURSE)
    admin = User.objects.get(hospital=hospital_a, role=Role.HOSPITAL_ADMIN)

    def links(user: User) -> dict[str, str]:
        with tenant_context(hospital_a):
            shown = patient_history(patient=patients["nizami"], hospital=hospital_a, user=user)
        return {entry.title: entry.url for entry in shown}

    assert links(doctor) == {"SAL-1": "", "Visit": visit, "Nurses only": "", "Nowhere": ""}
    assert links(nurse) == {"SAL-1": "", "Visit": visit, "Nurses only": visit, "Nowhere": ""}
    assert links(admin) == {"SAL-1": sale, "Visit": visit, "Nurses only": visit, "Nowhere": ""}
    hospital_a.enabled_modules = [m for m in hospital_a.enabled_modules if m != "pharmacy"]
    hospital_a.save()
    assert links(admin)["SAL-1"] == ""
