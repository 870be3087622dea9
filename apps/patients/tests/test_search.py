"""The search box at scale: Azerbaijani folding, the trigram index and its triggers."""

from __future__ import annotations

import pytest

from apps.core.text import search_fold, search_text
from apps.patients import selectors
from apps.patients.models import Patient
from apps.patients.selectors import patient_search
from apps.patients.services import patient_update
from apps.patients.tests.factories import details, register
from apps.tenancy.context import tenant_context
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital


@pytest.fixture
def people(hospital_a: Hospital) -> dict[str, Patient]:
    return {
        "ismayil": register(
            hospital_a, first_name="Rəşad", last_name="İsmayılov", phone="050 111 22 33"
        ),
        "aliyeva": register(
            hospital_a, first_name="Günel", last_name="Əliyeva", phone="070 444 55 66"
        ),
        "cavid": register(
            hospital_a, first_name="Cavid", last_name="Şükürov", phone="055 777 88 99"
        ),
    }


def found(hospital: Hospital, query: str) -> list[str]:
    with tenant_context(hospital):
        return [patient.last_name for patient in patient_search(query=query)]


def indexed(hospital: Hospital, term: str) -> int:
    """How many patients the trigram index itself returns for ``term``."""
    with tenant_context(hospital):
        return len(selectors._index_matches([term], limit=100) or [])


def test_folding_maps_the_azerbaijani_letters_a_latin_keyboard_lacks() -> None:
    assert search_fold("İsmayılov ƏLİYEV Çingiz Şükür Öztürk Ağa") == (
        "ismayilov eliyev cingiz sukur ozturk aga"
    )
    assert search_text("Rəşad  İsmayılov", "CGH-PAT-1") == "  resad  ismayilov  cgh-pat-1"


def test_ism_finds_ismayilov_and_eli_finds_aliyeva(
    hospital_a: Hospital, people: dict[str, Patient]
) -> None:
    assert found(hospital_a, "ism") == ["İsmayılov"]
    assert found(hospital_a, "eli") == ["Əliyeva"]
    assert found(hospital_a, "sukur") == ["Şükürov"]


def test_the_exact_spelling_still_finds_the_patient_in_any_case(
    hospital_a: Hospital, people: dict[str, Patient]
) -> None:
    assert found(hospital_a, "İsmayılov") == ["İsmayılov"]
    assert found(hospital_a, "ƏLİYEVA") == ["Əliyeva"]
    assert found(hospital_a, "Şükürov Cavid") == ["Şükürov"]
    assert found(hospital_a, "Əliyeva Rəşad") == []


def test_partial_names_numbers_and_phones_are_found(
    hospital_a: Hospital, people: dict[str, Patient]
) -> None:
    assert found(hospital_a, "ayıl") == ["İsmayılov"]
    assert found(hospital_a, people["cavid"].number[-4:]) == ["Şükürov"]
    assert found(hospital_a, people["aliyeva"].number.lower()) == ["Əliyeva"]
    assert found(hospital_a, "070 444") == ["Əliyeva"]
    assert found(hospital_a, "77788") == ["Şükürov"]
    assert found(hospital_a, "+99450111") == ["İsmayılov"]


@pytest.mark.sqlite_only  # the trigram index is SQLite's FTS5 (none on PostgreSQL)
def test_one_or_two_letters_match_the_start_of_a_word(
    hospital_a: Hospital, people: dict[str, Patient]
) -> None:
    assert found(hospital_a, "ş") == ["Şükürov"]  # not Rəşad's "ş" inside the word
    assert found(hospital_a, "ca") == ["Şükürov"]  # Cavid
    assert found(hospital_a, "gü ə") == ["Əliyeva"]
    assert found(hospital_a, "ay") == []  # İsmayılov has it only inside
    assert indexed(hospital_a, "  r") == 1  # a word's first letter is a trigram too
    assert indexed(hospital_a, " ca") == 1


def test_a_broad_query_is_answered_in_the_lists_order_without_the_index(
    hospital_a: Hospital, people: dict[str, Patient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "INDEX_MATCHES_CAP", 0)  # every query is broad
    assert found(hospital_a, "yev") == ["Əliyeva"]
    assert found(hospital_a, "yeva") == ["Əliyeva"]
    assert found(hospital_a, "rov") == ["Şükürov"]
    with tenant_context(hospital_a):
        by_name = patient_search(query="pat").order_by("last_name")
        assert [p.last_name for p in by_name] == ["İsmayılov", "Şükürov", "Əliyeva"]


@pytest.mark.sqlite_only  # the trigram index is SQLite's FTS5 (none on PostgreSQL)
def test_the_index_follows_inserts_updates_and_deletes(
    hospital_a: Hospital, people: dict[str, Patient]
) -> None:
    assert indexed(hospital_a, "ismayilov") == 1
    register(hospital_a, first_name="Aysel", last_name="İsmayılova", phone="050 999 00 11")
    assert indexed(hospital_a, "ismayilov") == 2

    with tenant_context(hospital_a):
        patient_update(
            patient=people["ismayil"],
            details=details(first_name="Rəşad", last_name="Həsənov", phone="050 111 22 33"),
        )
    assert indexed(hospital_a, "ismayilov") == 1
    assert indexed(hospital_a, "hesenov") == 1
    assert found(hospital_a, "hesen") == ["Həsənov"]

    with tenant_context(hospital_a), tenant_atomic():
        Patient.objects.filter(last_name="Həsənov").delete()
    assert indexed(hospital_a, "hesenov") == 0
    assert found(hospital_a, "hesen") == []


def test_a_quote_or_an_operator_in_the_query_is_only_text(
    hospital_a: Hospital, people: dict[str, Patient]
) -> None:
    assert found(hospital_a, 'ism" OR "') == []
    assert found(hospital_a, "NEAR(ism eli)") == []
    assert found(hospital_a, "ism*") == []
