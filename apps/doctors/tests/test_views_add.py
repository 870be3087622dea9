"""Doctors views: add."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.doctors.tests.conftest import Place, doctors_of, form_data, is_fragment, staff_client
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_the_add_form_offers_the_cascade_and_the_week(client_a: Client) -> None:
    response = client_a.get("/doctors/add/")
    assert response.status_code == 200 and "<html" in response.text
    assert 'hx-get="/doctors/options/cities/"' in response.text
    assert 'hx-get="/doctors/options/clinics/"' in response.text
    assert 'name="schedule_6-works"' in response.text


def test_adding_a_doctor_saves_it_with_its_hours_and_opens_its_page(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku))
    [doctor] = doctors_of(hospital_a)
    assert response.status_code == 302 and response["Location"] == f"/doctors/{doctor.pk}/"
    assert doctor.clinic_id == baku.clinic.pk and doctor.user_id is None
    assert [(row.weekday, str(row.ends_at)) for row in doctor.schedule.all()] == [(0, "13:00:00")]


def test_adding_through_htmx_redirects_the_browser_to_the_doctor(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku), HTTP_HX_REQUEST="true")
    [doctor] = doctors_of(hospital_a)
    assert response.status_code == 200 and response["HX-Redirect"] == f"/doctors/{doctor.pk}/"


def test_a_city_outside_the_region_is_shown_next_to_the_city_and_nothing_is_saved(
    client_a: Client, hospital_a: Hospital, baku: Place, ganja: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, city=ganja.city.pk))
    assert response.status_code == 200 and "<html" in response.text
    assert f'id="id_city_error">{ganja.city.name} is not in {baku.region.name}' in response.text
    assert doctors_of(hospital_a) == []


def test_validation_errors_come_back_as_a_fragment_for_htmx(
    client_a: Client, hospital_a: Hospital, baku: Place, ganja: Place
) -> None:
    response = client_a.post(
        "/doctors/add/",
        form_data(baku, clinic=ganja.clinic.pk, full_name=""),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="doctor-form"' in response.text and 'id="id_full_name_error"' in response.text
    assert doctors_of(hospital_a) == []


def test_the_clinic_must_be_in_the_city(
    client_a: Client, hospital_a: Hospital, baku: Place, ganja: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, clinic=ganja.clinic.pk))
    assert f'id="id_clinic_error">{ganja.clinic.name} is not in {baku.city.name}' in response.text


def test_a_negative_fee_is_refused(client_a: Client, hospital_a: Hospital, baku: Place) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, consulting_fee="-5"))
    assert 'id="id_consulting_fee_error"' in response.text
    assert doctors_of(hospital_a) == []


def test_a_day_that_ends_before_it_starts_is_shown_on_that_day(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, **{"schedule_0-ends_at": "08:00"}))
    assert 'id="schedule_0-errors">Monday: the day must start before it ends.' in response.text
    assert doctors_of(hospital_a) == []


def test_a_working_day_needs_its_hours(client_a: Client, hospital_a: Hospital, baku: Place) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, **{"schedule_3-works": "on"}))
    assert (
        'id="schedule_3-errors">' in response.text and "Needed on a working day." in response.text
    )
    assert doctors_of(hospital_a) == []


def test_creating_the_doctors_login_shows_the_temporary_password_once(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, login="create"))
    [doctor] = doctors_of(hospital_a)
    assert doctor.user_id is not None
    user = User.objects.get(pk=doctor.user_id)
    assert response.status_code == 200 and "<html" in response.text
    assert user.role == Role.DOCTOR and user.must_change_password
    password = response.text.split('id="new-password">')[1].split("<")[0]
    assert user.check_password(password)
    assert f'id="new-username">{user.username}<' in response.text
    assert "no-store" in response["Cache-Control"]
    assert password not in client_a.get(f"/doctors/{doctor.pk}/").text


def test_creating_the_login_through_htmx_returns_the_result_fragment(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    response = client_a.post(
        "/doctors/add/", form_data(baku, login="create"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="new-password"' in response.text
    # as on the staff and patient pages: htmx never snapshots the password into history
    assert 'hx-history="false"' in response.text


def test_an_existing_doctor_account_is_offered_and_linked(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    account = make_user(hospital_a, Role.DOCTOR, name="Nigar Aliyeva")
    assert account.username in client_a.get("/doctors/add/").text
    response = client_a.post(
        "/doctors/add/", form_data(baku, login="link", link_user=str(account.pk))
    )
    assert response.status_code == 302
    assert doctors_of(hospital_a)[0].user_id == account.pk


def test_an_account_of_another_hospital_is_refused_next_to_the_account_field(
    client_a: Client, hospital_a: Hospital, hospital_b: Hospital, baku: Place
) -> None:
    outsider = make_user(hospital_b, Role.DOCTOR)
    response = client_a.post(
        "/doctors/add/", form_data(baku, login="link", link_user=str(outsider.pk))
    )
    assert 'id="id_link_user_error">There is no such account in this hospital.' in response.text
    assert doctors_of(hospital_a) == []


def test_only_hospital_admins_may_add_doctors(hospital_a: Hospital, baku: Place) -> None:
    receptionist = staff_client(hospital_a, Role.RECEPTIONIST)
    assert receptionist.get("/doctors/add/").status_code == 403
    assert receptionist.post("/doctors/add/", form_data(baku)).status_code == 403
    assert doctors_of(hospital_a) == []


def test_the_add_page_refuses_a_user_of_another_hospital(
    hospital_a: Hospital, admin_b: User, baku: Place
) -> None:
    outsider = hospital_client(hospital_a, admin_b)
    assert outsider.post("/doctors/add/", form_data(baku)).status_code == 403
    assert doctors_of(hospital_a) == []


def test_the_add_page_answers_only_get_and_post(client_a: Client) -> None:
    assert client_a.put("/doctors/add/").status_code == 405
    assert client_a.delete("/doctors/add/").status_code == 405
