from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from apps.accounts.models import Role, User
from apps.doctors.models import Doctor
from apps.doctors.services import LoginAction, doctor_create
from apps.doctors.tests.conftest import Place, details_at
from apps.regions.models import City, Region
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

MakeDoctor = Callable[..., Doctor]


def form_data(place: Place, **changes: Any) -> dict[str, Any]:
    data = {
        "full_name": "Nigar Əliyeva",
        "specialization": place.specialization.pk,
        "region": place.region.pk,
        "city": place.city.pk,
        "clinic": place.clinic.pk,
        "consulting_fee": "40.00",
        "is_active": "on",
        "phone": "+994 50 123 45 67",
        "email": "",
        "login": "keep",
        "link_user": "",
        "schedule_0-works": "on",
        "schedule_0-starts_at": "09:00",
        "schedule_0-ends_at": "13:00",
        "schedule_0-slot_minutes": "20",
    }
    data.update(changes)
    return data


def doctors_of(hospital: Hospital) -> list[Doctor]:
    with tenant_context(hospital):
        return list(Doctor.objects.prefetch_related("schedule"))


def is_fragment(response: Any) -> bool:
    return "<html" not in response.text


def staff_client(hospital: Hospital, role: str) -> Client:
    return hospital_client(hospital, make_user(hospital, role))


# -- list ----------------------------------------------------------------------------


def test_the_list_shows_the_hospitals_doctors(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Rəşad Məmmədov")
    response = client_a.get("/doctors/")
    assert response.status_code == 200
    assert "Rəşad Məmmədov" in response.text and baku.clinic.name in response.text
    assert "Add a doctor" in response.text


def test_a_receptionist_sees_the_list_but_no_add_button(
    hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Rəşad Məmmədov")
    response = staff_client(hospital_a, Role.RECEPTIONIST).get("/doctors/")
    assert response.status_code == 200 and "Rəşad Məmmədov" in response.text
    assert "Add a doctor" not in response.text


def test_a_role_without_the_module_is_refused(hospital_a: Hospital) -> None:
    assert staff_client(hospital_a, Role.PHARMACIST).get("/doctors/").status_code == 403


def test_searching_as_you_type_returns_only_the_results_fragment(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Rəşad Məmmədov")
    make_doctor(hospital_a, baku, full_name="Leyla Hüseynova")
    response = client_a.get("/doctors/", {"q": "leyla"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="doctor-results"' in response.text
    assert "Leyla Hüseynova" in response.text and "Rəşad Məmmədov" not in response.text


def test_the_list_filters_by_specialization_and_by_clinic(
    client_a: Client, hospital_a: Hospital, baku: Place, ganja: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Baku Cardiologist")
    make_doctor(hospital_a, ganja, full_name="Ganja Neurologist")
    by_specialization = client_a.get("/doctors/", {"specialization": ganja.specialization.pk})
    assert "Ganja Neurologist" in by_specialization.text
    assert "Baku Cardiologist" not in by_specialization.text
    by_clinic = client_a.get("/doctors/", {"clinic": baku.clinic.pk})
    assert "Baku Cardiologist" in by_clinic.text
    assert "Ganja Neurologist" not in by_clinic.text


def test_the_list_is_paginated_and_keeps_the_search_in_page_links(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    for number in range(21):
        make_doctor(hospital_a, baku, full_name=f"Doctor {number:02d}")
    first = client_a.get("/doctors/", {"q": "doctor"})
    assert "Doctor 19" in first.text and "Doctor 20" not in first.text
    assert "Page 1 of 2" in first.text and "q=doctor&amp;page=2" in first.text
    second = client_a.get("/doctors/", {"q": "doctor", "page": "2"})
    assert "Doctor 20" in second.text and "Doctor 00" not in second.text


def test_a_search_of_thousands_of_words_is_cut_short_not_a_server_error(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    make_doctor(hospital_a, baku, full_name="Leyla Hüseynova")
    response = client_a.get("/doctors/", {"q": " ".join(["leyla"] * 2000)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Leyla Hüseynova" in response.text


def test_the_list_answers_only_get(client_a: Client) -> None:
    assert client_a.post("/doctors/").status_code == 405


def test_the_list_refuses_a_user_of_another_hospital(hospital_a: Hospital, admin_b: User) -> None:
    assert hospital_client(hospital_a, admin_b).get("/doctors/").status_code == 403


# -- detail --------------------------------------------------------------------------


def test_the_detail_page_shows_the_doctor_hours_and_login(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    with tenant_context(hospital_a):
        saved = doctor_create(
            hospital=hospital_a,
            details=details_at(baku),
            login=LoginAction.CREATE,
            schedule=[],
        )
    assert saved.account is not None and saved.account.temporary_password
    response = client_a.get(f"/doctors/{saved.doctor.pk}/")
    assert response.status_code == 200
    # a canonical specialization is shown in the reader's language (English here)
    assert "Nigar Əliyeva" in response.text and "Cardiologist" in response.text
    assert saved.account.user.username in response.text
    assert saved.account.temporary_password not in response.text  # shown once, not here


def test_the_detail_page_lists_the_weekly_hours(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    response = client_a.get(f"/doctors/{doctor.pk}/")
    assert "Monday" in response.text and "09:00" in response.text and "20 min" in response.text


def test_a_doctor_of_hospital_a_is_not_found_on_hospital_bs_host(
    client_b: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    assert client_b.get(f"/doctors/{doctor.pk}/").status_code == 404
    assert client_b.get(f"/doctors/{doctor.pk}/edit/").status_code == 404


def test_the_detail_page_answers_only_get(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    assert client_a.post(f"/doctors/{doctor.pk}/").status_code == 405


def test_the_detail_page_refuses_a_user_of_another_hospital(
    hospital_a: Hospital, admin_b: User, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    assert hospital_client(hospital_a, admin_b).get(f"/doctors/{doctor.pk}/").status_code == 403


# -- add -----------------------------------------------------------------------------


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


# -- edit ----------------------------------------------------------------------------


def test_the_edit_form_is_filled_with_the_doctor(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku, full_name="Rəşad Məmmədov")
    response = client_a.get(f"/doctors/{doctor.pk}/edit/")
    assert response.status_code == 200
    assert 'value="Rəşad Məmmədov"' in response.text
    assert f'<option value="{baku.clinic.pk}" selected>' in response.text
    assert 'name="schedule_0-ends_at" value="13:00"' in response.text


def test_editing_changes_the_doctor_and_the_week(
    client_a: Client, hospital_a: Hospital, baku: Place, ganja: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    data = form_data(ganja, consulting_fee="55", is_active="")
    data.update(
        {
            "schedule_0-works": "",
            "schedule_4-works": "on",
            "schedule_4-starts_at": "14:00",
            "schedule_4-ends_at": "18:00",
            "schedule_4-slot_minutes": "30",
        }
    )
    response = client_a.post(f"/doctors/{doctor.pk}/edit/", data)
    assert response.status_code == 302
    [edited] = doctors_of(hospital_a)
    assert edited.clinic_id == ganja.clinic.pk and str(edited.consulting_fee) == "55.00"
    assert not edited.is_active
    assert [row.weekday for row in edited.schedule.all()] == [4]


def test_an_edit_with_an_inconsistent_chain_changes_nothing(
    client_a: Client, hospital_a: Hospital, baku: Place, ganja: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    response = client_a.post(
        f"/doctors/{doctor.pk}/edit/", form_data(ganja, city=baku.city.pk), HTTP_HX_REQUEST="true"
    )
    assert is_fragment(response) and 'id="id_city_error"' in response.text
    assert doctors_of(hospital_a)[0].region_id == baku.region.pk


def test_editing_can_unlink_the_login(client_a: Client, hospital_a: Hospital, baku: Place) -> None:
    with tenant_context(hospital_a):
        doctor = doctor_create(
            hospital=hospital_a, details=details_at(baku), login=LoginAction.CREATE
        ).doctor
    page = client_a.get(f"/doctors/{doctor.pk}/edit/")
    assert "Remove the link" in page.text
    client_a.post(f"/doctors/{doctor.pk}/edit/", form_data(baku, login="unlink"))
    assert doctors_of(hospital_a)[0].user_id is None


def test_only_hospital_admins_may_edit(
    hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    nurse = staff_client(hospital_a, Role.NURSE)
    assert nurse.get(f"/doctors/{doctor.pk}/").status_code == 200
    assert nurse.post(f"/doctors/{doctor.pk}/edit/", form_data(baku)).status_code == 403


def test_the_edit_page_refuses_a_user_of_another_hospital(
    hospital_a: Hospital, admin_b: User, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    outsider = hospital_client(hospital_a, admin_b)
    assert outsider.get(f"/doctors/{doctor.pk}/edit/").status_code == 403


def test_the_edit_page_answers_only_get_and_post(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: MakeDoctor
) -> None:
    doctor = make_doctor(hospital_a, baku)
    assert client_a.put(f"/doctors/{doctor.pk}/edit/").status_code == 405


# -- the cascade ---------------------------------------------------------------------


def test_choosing_a_region_returns_its_cities_and_resets_the_clinics(
    client_a: Client, baku: Place, ganja: Place
) -> None:
    response = client_a.get(
        "/doctors/options/cities/", {"region": ganja.region.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and is_fragment(response)
    assert f'<option value="{ganja.city.pk}">{ganja.city.name}</option>' in response.text
    assert f">{baku.city.name}<" not in response.text
    assert '<select id="id_clinic" hx-swap-oob="innerHTML">' in response.text


def test_choosing_a_city_returns_only_its_clinics(
    client_a: Client, baku: Place, ganja: Place
) -> None:
    response = client_a.get(
        "/doctors/options/clinics/", {"city": baku.city.pk}, HTTP_HX_REQUEST="true"
    )
    assert f'<option value="{baku.clinic.pk}">{baku.clinic.name}</option>' in response.text
    assert ganja.clinic.name not in response.text and is_fragment(response)


def test_no_region_lists_every_city_grouped_by_region(client_a: Client, baku: Place) -> None:
    response = client_a.get("/doctors/options/cities/", {"region": ""})
    assert is_fragment(response)
    assert f'<optgroup label="{baku.region.name}">' in response.text


def test_a_region_of_hospital_a_gives_no_cities_on_hospital_bs_host(
    client_b: Client, hospital_a: Hospital, hospital_b: Hospital
) -> None:
    with tenant_context(hospital_a):
        region = Region.objects.create(name="Naxçıvan", code="NAX")
        City.objects.create(region=region, name="Ordubad")
    response = client_b.get("/doctors/options/cities/", {"region": region.pk})
    assert response.status_code == 200 and "Ordubad" not in response.text
    for malformed in ("1; drop", "9" * 30):
        assert client_b.get("/doctors/options/cities/", {"region": malformed}).status_code == 200
        assert client_b.get("/doctors/options/clinics/", {"city": malformed}).status_code == 200


def test_a_malformed_region_is_a_form_error_not_a_crash(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, region="9" * 30, city="x"))
    assert response.status_code == 200
    assert 'id="id_region_error"' in response.text and 'id="id_city_error"' in response.text
    assert doctors_of(hospital_a) == []


def test_the_options_answer_only_get(client_a: Client) -> None:
    assert client_a.post("/doctors/options/cities/").status_code == 405
    assert client_a.post("/doctors/options/clinics/").status_code == 405


def test_the_options_refuse_a_user_of_another_hospital(hospital_a: Hospital, admin_b: User) -> None:
    outsider = hospital_client(hospital_a, admin_b)
    assert outsider.get("/doctors/options/cities/", {"region": 1}).status_code == 403


def test_the_form_without_javascript_narrows_choices_after_a_region_is_posted(
    client_a: Client, baku: Place, ganja: Place
) -> None:
    response = client_a.post("/doctors/add/", form_data(baku, city="", clinic=""))
    city_select = response.text.split('name="city"')[1].split("</select>")[0]
    assert f">{baku.city.name}<" in city_select and ganja.city.name not in city_select
