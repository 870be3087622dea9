from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.staff.tests.factories import add_staff_member
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import TEST_PASSWORD, hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def shown_password(html: str) -> str:
    match = re.search(r'data-testid="temporary-password">([^<]+)<', html)
    assert match is not None, "no temporary password on the page"
    return match.group(1)


@pytest.fixture
def nurse_a(hospital_a: Hospital) -> User:
    return make_user(hospital_a, Role.NURSE, name="Gunel Rzayeva")


# -- access -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.DOCTOR, Role.NURSE, Role.PATIENT])
def test_only_hospital_admins_may_manage_staff(hospital_a: Hospital, role: str) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    assert client.get("/staff/").status_code == 403
    assert client.get("/staff/accounts/new/").status_code == 403
    assert "/staff/" not in client.get("/").text


def test_the_admin_sees_staff_in_the_navigation(client_a: Client) -> None:
    assert 'href="/staff/"' in client_a.get("/").text


def test_a_user_of_another_hospital_is_refused(
    hospital_a: Hospital, admin_b: User, nurse_a: User
) -> None:
    client = hospital_client(hospital_a, admin_b)
    assert client.get("/staff/").status_code == 403
    assert client.get(f"/staff/accounts/{nurse_a.pk}/").status_code == 403
    assert client.post(f"/staff/accounts/{nurse_a.pk}/reset-password/").status_code == 403
    nurse_a.refresh_from_db()
    assert nurse_a.check_password(TEST_PASSWORD)


@pytest.mark.parametrize("action", ["", "role/", "reset-password/", "deactivate/", "reactivate/"])
def test_an_account_of_hospital_a_is_not_found_on_hospital_bs_host(
    client_b: Client, nurse_a: User, action: str
) -> None:
    url = f"/staff/accounts/{nurse_a.pk}/{action}"
    response = client_b.get(url) if not action else client_b.post(url, {"role": Role.DOCTOR})
    assert response.status_code == 404
    nurse_a.refresh_from_db()
    assert nurse_a.is_active and nurse_a.role == Role.NURSE
    assert nurse_a.check_password(TEST_PASSWORD)


@pytest.mark.parametrize(
    ("method", "action"),
    [
        ("post", ""),
        ("get", "role/"),
        ("get", "reset-password/"),
        ("get", "deactivate/"),
        ("get", "reactivate/"),
    ],
)
def test_wrong_methods_on_an_account_are_refused(
    client_a: Client, nurse_a: User, method: str, action: str
) -> None:
    response = getattr(client_a, method)(f"/staff/accounts/{nurse_a.pk}/{action}")
    assert response.status_code == 405


def test_wrong_methods_on_the_list_and_create_are_refused(client_a: Client) -> None:
    assert client_a.post("/staff/").status_code == 405
    assert client_a.delete("/staff/accounts/new/").status_code == 405


# -- list and search --------------------------------------------------------------------


def test_the_list_shows_the_hospitals_logins_with_role_status_and_record(
    hospital_a: Hospital, hospital_b: Hospital, client_a: Client, nurse_a: User, admin_a: User
) -> None:
    make_user(hospital_b, Role.NURSE, name="Outside Person")
    member = add_staff_member(hospital_a)
    with tenant_context(hospital_a):
        from apps.staff.services import staff_member_link_account

        staff_member_link_account(staff_member=member, hospital=hospital_a, user_id=nurse_a.pk)
    page = client_a.get("/staff/")
    assert page.status_code == 200 and "<html" in page.text
    assert nurse_a.username in page.text and admin_a.username in page.text
    assert "Outside Person" not in page.text
    assert "Nurse" in page.text and "Active" in page.text
    assert f'href="/staff/records/{member.pk}/"' in page.text


def test_searching_returns_the_table_fragment(
    hospital_a: Hospital, client_a: Client, nurse_a: User, admin_a: User
) -> None:
    response = client_a.get("/staff/", {"q": "gunel"}, **HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="account-results"' in response.text
    assert nurse_a.username in response.text and admin_a.username not in response.text


def test_the_list_filters_by_role(
    hospital_a: Hospital, client_a: Client, nurse_a: User, admin_a: User
) -> None:
    response = client_a.get("/staff/", {"role": Role.HOSPITAL_ADMIN}, **HTMX)
    assert admin_a.username in response.text and nurse_a.username not in response.text


def test_deactivated_logins_are_marked(client_a: Client, nurse_a: User) -> None:
    User.objects.filter(pk=nurse_a.pk).update(is_active=False)
    assert "Deactivated" in client_a.get("/staff/", {"q": "gunel"}).text


# -- create -----------------------------------------------------------------------------


def test_the_create_form_is_a_page_or_a_fragment(client_a: Client) -> None:
    page = client_a.get("/staff/accounts/new/")
    assert "<html" in page.text and 'name="full_name"' in page.text
    assert 'value="patient"' not in page.text and 'value="platform_admin"' not in page.text
    fragment = client_a.get("/staff/accounts/new/", **HTMX)
    assert "<html" not in fragment.text and 'id="account-form"' in fragment.text


def test_creating_a_login_shows_the_temporary_password_once(
    hospital_a: Hospital, client_a: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = client_a.post(
        "/staff/accounts/new/",
        {"full_name": "Leyla Hasanova", "email": "leyla@example.com", "role": Role.RECEPTIONIST},
    )
    assert response.status_code == 200 and "<html" in response.text
    assert "no-store" in response["Cache-Control"]
    password = shown_password(response.text)
    user = User.objects.get(username="leyla.hasanova")
    assert user.hospital_id == hospital_a.pk and user.role == Role.RECEPTIONIST
    assert user.must_change_password and user.check_password(password)
    assert password not in caplog.text
    assert password not in client_a.get(f"/staff/accounts/{user.pk}/").text
    assert password not in client_a.get("/staff/").text


def test_creating_a_login_through_htmx_returns_the_result_fragment(client_a: Client) -> None:
    response = client_a.post(
        "/staff/accounts/new/", {"full_name": "Leyla Hasanova", "role": Role.DOCTOR}, **HTMX
    )
    assert "<html" not in response.text
    assert User.objects.get(username="leyla.hasanova").check_password(shown_password(response.text))


def test_a_second_person_with_the_same_name_gets_the_next_username(client_a: Client) -> None:
    # two people, one after the other ("send it again anyway" tells them from a double submit)
    for again in ("", "second-person"):
        client_a.post(
            "/staff/accounts/new/",
            {"full_name": "Leyla Hasanova", "role": Role.NURSE, "_send_again": again},
        )
    assert User.objects.filter(username__in=["leyla.hasanova", "leyla.hasanova.2"]).count() == 2


@pytest.mark.parametrize("role", ["", Role.PATIENT, Role.PLATFORM_ADMIN, "janitor"])
def test_a_login_needs_a_name_and_a_staff_role(client_a: Client, role: str) -> None:
    response = client_a.post("/staff/accounts/new/", {"full_name": "", "role": role}, **HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="id_full_name_error"' in response.text and 'id="id_role_error"' in response.text
    assert not User.objects.filter(role=Role.PATIENT).exists()


# -- detail and actions -----------------------------------------------------------------


def test_the_account_page_and_fragment(client_a: Client, nurse_a: User) -> None:
    page = client_a.get(f"/staff/accounts/{nurse_a.pk}/")
    assert page.status_code == 200 and "<html" in page.text and nurse_a.username in page.text
    assert "Reset password" in page.text and "Deactivate" in page.text
    fragment = client_a.get(f"/staff/accounts/{nurse_a.pk}/", **HTMX)
    assert "<html" not in fragment.text and 'id="account"' in fragment.text


def test_an_admin_does_not_get_the_buttons_for_their_own_login(
    client_a: Client, admin_a: User
) -> None:
    page = client_a.get(f"/staff/accounts/{admin_a.pk}/")
    assert "Deactivate" not in page.text and "This is your own login" in page.text


def test_changing_the_role_redirects_back_with_a_message(client_a: Client, nurse_a: User) -> None:
    response = client_a.post(f"/staff/accounts/{nurse_a.pk}/role/", {"role": Role.DOCTOR})
    assert response.status_code == 302 and response["Location"] == f"/staff/accounts/{nurse_a.pk}/"
    nurse_a.refresh_from_db()
    assert nurse_a.role == Role.DOCTOR
    assert "is now a Doctor" in client_a.get(response["Location"]).text


def test_changing_the_role_through_htmx_returns_the_panel(client_a: Client, nurse_a: User) -> None:
    response = client_a.post(
        f"/staff/accounts/{nurse_a.pk}/role/", {"role": Role.LAB_TECHNICIAN}, **HTMX
    )
    assert "<html" not in response.text and "is now a Lab technician" in response.text
    nurse_a.refresh_from_db()
    assert nurse_a.role == Role.LAB_TECHNICIAN


def test_a_refused_role_change_shows_why(
    hospital_a: Hospital, client_a: Client, admin_a: User, nurse_a: User
) -> None:
    patient_login = make_user(hospital_a, Role.PATIENT)
    response = client_a.post(f"/staff/accounts/{patient_login.pk}/role/", {"role": Role.NURSE})
    assert response.status_code == 200 and "cannot get a staff role" in response.text
    bad = client_a.post(f"/staff/accounts/{nurse_a.pk}/role/", {"role": "janitor"}, **HTMX)
    assert "<html" not in bad.text and 'id="id_role_error"' in bad.text
    own = client_a.post(f"/staff/accounts/{admin_a.pk}/role/", {"role": Role.NURSE}, **HTMX)
    assert "cannot change your own role" in own.text
    patient_login.refresh_from_db()
    nurse_a.refresh_from_db()
    admin_a.refresh_from_db()
    assert (patient_login.role, nurse_a.role, admin_a.role) == (
        Role.PATIENT,
        Role.NURSE,
        Role.HOSPITAL_ADMIN,
    )


def test_the_role_decides_which_modules_a_user_sees(
    hospital_a: Hospital, client_a: Client, nurse_a: User
) -> None:
    nurse = hospital_client(hospital_a, nurse_a)
    assert nurse.get("/patients/").status_code == 200
    client_a.post(f"/staff/accounts/{nurse_a.pk}/role/", {"role": Role.PHARMACIST})
    assert nurse.get("/patients/").status_code == 403


def test_a_password_reset_shows_the_new_password_once_and_never_logs_it(
    hospital_a: Hospital, client_a: Client, nurse_a: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    nurse = hospital_client(hospital_a, nurse_a)
    assert nurse.get("/").status_code == 200
    response = client_a.post(f"/staff/accounts/{nurse_a.pk}/reset-password/")
    assert response.status_code == 200 and "<html" in response.text
    assert "no-store" in response["Cache-Control"]
    password = shown_password(response.text)
    nurse_a.refresh_from_db()
    assert nurse_a.check_password(password) and nurse_a.must_change_password
    assert password not in caplog.text
    assert password not in client_a.get(f"/staff/accounts/{nurse_a.pk}/").text
    # The old session no longer works.
    assert nurse.get("/").status_code == 302


def test_a_password_reset_through_htmx_returns_the_panel(client_a: Client, nurse_a: User) -> None:
    response = client_a.post(f"/staff/accounts/{nurse_a.pk}/reset-password/", **HTMX)
    assert "<html" not in response.text and 'id="account"' in response.text
    nurse_a.refresh_from_db()
    assert nurse_a.check_password(shown_password(response.text))


def test_deactivating_signs_the_user_out_and_reactivating_lets_them_back(
    hospital_a: Hospital, client_a: Client, nurse_a: User
) -> None:
    nurse = hospital_client(hospital_a, nurse_a)
    response = client_a.post(f"/staff/accounts/{nurse_a.pk}/deactivate/")
    assert response.status_code == 302
    assert nurse.get("/").status_code == 302
    login = hospital_client(hospital_a).post(
        "/login/", {"username": nurse_a.username, "password": TEST_PASSWORD}
    )
    assert login.status_code == 200  # the form again, not a redirect to the dashboard
    fragment = client_a.post(f"/staff/accounts/{nurse_a.pk}/reactivate/", **HTMX)
    assert "<html" not in fragment.text and "can sign in again" in fragment.text
    nurse_a.refresh_from_db()
    assert nurse_a.is_active


def test_an_admin_cannot_deactivate_their_own_login(client_a: Client, admin_a: User) -> None:
    response = client_a.post(f"/staff/accounts/{admin_a.pk}/deactivate/", **HTMX)
    assert response.status_code == 200 and "cannot deactivate your own" in response.text
    admin_a.refresh_from_db()
    assert admin_a.is_active


# -- the administrator rule (issue 11) ---------------------------------------------------


def test_the_reset_page_refuses_an_account_with_platform_admin_access(
    hospital_a: Hospital, client_a: Client, nurse_a: User
) -> None:
    User.objects.filter(pk=nurse_a.pk).update(is_staff=True)
    response = client_a.post(f"/staff/accounts/{nurse_a.pk}/reset-password/")
    assert response.status_code == 200 and "platform admin" in response.text
    assert 'data-testid="temporary-password"' not in response.text
    nurse_a.refresh_from_db()
    assert nurse_a.check_password(TEST_PASSWORD)


def test_a_hospital_admin_cannot_reset_a_fellow_administrators_password(
    hospital_a: Hospital, client_a: Client
) -> None:
    second_admin = make_user(hospital_a, Role.HOSPITAL_ADMIN)
    response = client_a.post(f"/staff/accounts/{second_admin.pk}/reset-password/", **HTMX)
    assert "platform administrators" in response.text
    second_admin.refresh_from_db()
    assert second_admin.check_password(TEST_PASSWORD) and not second_admin.must_change_password


def test_a_hospital_admin_cannot_create_an_administrator_login(client_a: Client) -> None:
    response = client_a.post(
        "/staff/accounts/new/", {"full_name": "Eve Intruder", "role": Role.HOSPITAL_ADMIN}
    )
    assert response.status_code == 200 and 'id="id_role_error"' in response.text
    assert not User.objects.filter(first_name="Eve").exists()


def test_a_hospital_admin_cannot_promote_a_nurse_to_administrator(
    client_a: Client, nurse_a: User
) -> None:
    response = client_a.post(f"/staff/accounts/{nurse_a.pk}/role/", {"role": Role.HOSPITAL_ADMIN})
    assert "platform administrators" in response.text
    nurse_a.refresh_from_db()
    assert nurse_a.role == Role.NURSE


def test_an_admin_cannot_reset_their_own_password(client_a: Client, admin_a: User) -> None:
    # an open session must not be enough to take the account (issue 20)
    response = client_a.post(f"/staff/accounts/{admin_a.pk}/reset-password/", **HTMX)
    assert response.status_code == 200 and "cannot reset your own password" in response.text
    assert 'data-testid="temporary-password"' not in response.text
    admin_a.refresh_from_db()
    assert admin_a.check_password(TEST_PASSWORD) and not admin_a.must_change_password
