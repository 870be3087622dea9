"""The patient list sorted by its column headers, the registration slip that prints,
and the portal login shown once with the address bar on the patient's page."""

from __future__ import annotations

from django.test import Client

from apps.patients.tests.factories import form_data, register
from apps.patients.tests.test_views import patients_of
from apps.tenancy.models import Hospital


def _order(page: str, *names: str) -> list[str]:
    return sorted(names, key=page.index)


def test_the_list_sorts_by_name_both_ways_and_keeps_the_search(
    hospital_a: Hospital, client_a: Client
) -> None:
    register(hospital_a, first_name="Zaur", last_name="Abbasov")
    register(hospital_a, first_name="Aysel", last_name="Zeynalova")
    ascending = client_a.get("/patients/", {"sort": "name"}).text
    assert _order(ascending, "Zaur Abbasov", "Aysel Zeynalova") == [
        "Zaur Abbasov",
        "Aysel Zeynalova",
    ]
    descending = client_a.get("/patients/", {"sort": "-name"}).text
    assert _order(descending, "Zaur Abbasov", "Aysel Zeynalova") == [
        "Aysel Zeynalova",
        "Zaur Abbasov",
    ]
    # the header's link flips the direction and keeps the search
    searched = client_a.get("/patients/", {"sort": "name", "q": "a"}).text
    assert 'href="?sort=-name&amp;q=a"' in searched or 'href="?q=a&amp;sort=-name"' in searched


def test_an_unknown_sort_falls_back_to_the_newest_first(
    hospital_a: Hospital, client_a: Client
) -> None:
    register(hospital_a, first_name="First", last_name="Registered")
    register(hospital_a, first_name="Second", last_name="Registered")
    page = client_a.get("/patients/", {"sort": "password"})
    assert page.status_code == 200
    assert _order(page.text, "First Registered", "Second Registered")[0] == "Second Registered"


def test_the_results_table_stacks_on_phones(hospital_a: Hospital, client_a: Client) -> None:
    register(hospital_a)
    page = client_a.get("/patients/").text
    assert '<table class="stack">' in page and 'data-label="Date of birth"' in page


def test_the_patient_page_prints_as_a_registration_slip(
    hospital_a: Hospital, client_a: Client
) -> None:
    patient = register(hospital_a)
    page = client_a.get(f"/patients/{patient.pk}/").text
    assert '<body class="print-a5"' in page
    assert 'class="print-header print-only"' in page and "City General Hospital" in page
    assert "data-print>Print registration slip</button>" in page
    assert '<section class="panel no-print" id="history">' in page


def test_a_portal_login_is_shown_once_and_the_address_bar_moves_to_the_patient(
    hospital_a: Hospital, client_a: Client
) -> None:
    response = client_a.post(
        "/patients/register/", form_data() | {"portal_account": "on"}, HTTP_HX_REQUEST="true"
    )
    [patient] = patients_of(hospital_a)
    assert 'data-testid="temporary-password"' in response.text
    assert response["HX-Push-Url"] == f"/patients/{patient.pk}/"
    # what a reload then shows: the patient's page, without the password
    assert "temporary-password" not in client_a.get(response["HX-Push-Url"]).text
