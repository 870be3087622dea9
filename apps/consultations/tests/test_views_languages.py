"""Consultations views: diagnoses in the reader's language (the code and the title the
doctor chose are stored; an Azerbaijani reader sees the code's Azerbaijani title)."""

from __future__ import annotations

import pytest

from apps.consultations.tests.conftest import HTMX, Visit

AZ_TITLE = "Kəskin faringit, dəqiqləşdirilməmiş"
EN_TITLE = "Acute pharyngitis, unspecified"


def _client(visit: Visit, language: str):
    client = visit.clinic.client()
    client.cookies["hms_language"] = language
    return client


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("az", AZ_TITLE, EN_TITLE), ("en", EN_TITLE, AZ_TITLE)],
    ids=["az", "en"],
)
def test_the_prescription_prints_the_diagnosis_in_the_readers_language(
    visit: Visit, language: str, shown: str, hidden: str
) -> None:
    page = _client(visit, language).get(f"{visit.url}prescription/").text
    assert f"J02.9 {shown}" in page and hidden not in page


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("az", AZ_TITLE, EN_TITLE), ("en", EN_TITLE, AZ_TITLE)],
    ids=["az", "en"],
)
def test_the_consultation_shows_its_diagnoses_in_the_readers_language(
    visit: Visit, language: str, shown: str, hidden: str
) -> None:
    page = _client(visit, language).get(visit.url).text
    assert shown in page and hidden not in page


def test_searching_in_azerbaijani_finds_and_shows_azerbaijani_titles(visit: Visit) -> None:
    fragment = _client(visit, "az").get(f"{visit.url}diagnoses/search/?q=faringit", **HTMX).text
    assert "J02.9" in fragment and AZ_TITLE in fragment
    fragment = _client(visit, "en").get(f"{visit.url}diagnoses/search/?q=faringit", **HTMX).text
    assert "J02.9" in fragment and EN_TITLE in fragment
