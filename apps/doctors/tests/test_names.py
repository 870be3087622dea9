"""Doctors: a specialization is shown in the reader's language (its name is
Azerbaijani, ``name_en`` English), on the list, the page and in the search."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.doctors.tests.conftest import MakeDoctor, place_of
from apps.regions.models import Specialization
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_the_canonical_specializations_are_seeded_with_their_english_names(
    hospital_a: Hospital,
) -> None:
    with tenant_context(hospital_a):
        therapist = Specialization.objects.get(code="THER")
        assert not Specialization.objects.filter(is_canonical=True, name_en="").exists()
    assert (therapist.name, therapist.name_en) == ("Terapevt", "Internist")


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [("az", "Terapevt", "Internist"), ("en", "Internist", "Terapevt")],
    ids=["az", "en"],
)
def test_the_list_and_the_page_show_the_specialization_in_the_readers_language(
    client_a: Client,
    hospital_a: Hospital,
    make_doctor: MakeDoctor,
    language: str,
    shown: str,
    hidden: str,
) -> None:
    doctor = make_doctor(hospital_a, place_of(hospital_a, "BAK", "THER"))
    client_a.cookies["hms_language"] = language
    for url in ("/doctors/", f"/doctors/{doctor.pk}/"):
        page = client_a.get(url).text
        assert f">{shown}<" in page and f">{hidden}<" not in page


def test_the_search_finds_a_doctor_by_the_english_name_of_the_specialization(
    client_a: Client, hospital_a: Hospital, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, place_of(hospital_a, "BAK", "THER"), full_name="Aydın Quliyev")
    assert "Aydın Quliyev" in client_a.get("/doctors/?q=internist").text
