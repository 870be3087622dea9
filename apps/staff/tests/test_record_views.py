from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.staff.models import StaffMember
from apps.staff.tests.factories import add_staff_member, form_data
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def records_of(hospital: Hospital) -> list[StaffMember]:
    with tenant_context(hospital):
        return list(StaffMember.objects.all())


@pytest.fixture
def member_a(hospital_a: Hospital) -> StaffMember:
    return add_staff_member(hospital_a)


# -- access -----------------------------------------------------------------------------


def test_staff_records_are_for_hospital_admins_only(
    hospital_a: Hospital, member_a: StaffMember
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))
    assert client.get("/staff/records/").status_code == 403
    assert client.get(f"/staff/records/{member_a.pk}/").status_code == 403


def test_a_user_of_another_hospital_is_refused(
    hospital_a: Hospital, admin_b: User, member_a: StaffMember
) -> None:
    client = hospital_client(hospital_a, admin_b)
    assert client.get("/staff/records/").status_code == 403
    assert client.get(f"/staff/records/{member_a.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("method", "action"),
    [
        ("get", ""),
        ("get", "edit/"),
        ("post", "edit/"),
        ("post", "link/"),
        ("post", "unlink/"),
        ("post", "login/"),
    ],
)
def test_a_record_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital,
    client_b: Client,
    admin_b: User,
    member_a: StaffMember,
    method: str,
    action: str,
) -> None:
    data = {**form_data(first_name="Changed"), "role": Role.NURSE, "user": str(admin_b.pk)}
    response = getattr(client_b, method)(f"/staff/records/{member_a.pk}/{action}", data)
    assert response.status_code == 404
    [member] = records_of(hospital_a)
    assert member.first_name == "Gunel" and member.user_id is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/staff/records/"),
        ("delete", "/staff/records/new/"),
        ("post", "/staff/records/{pk}/"),
        ("put", "/staff/records/{pk}/edit/"),
        ("get", "/staff/records/{pk}/link/"),
        ("get", "/staff/records/{pk}/unlink/"),
        ("get", "/staff/records/{pk}/login/"),
    ],
)
def test_wrong_methods_are_refused(
    client_a: Client, member_a: StaffMember, method: str, path: str
) -> None:
    assert getattr(client_a, method)(path.format(pk=member_a.pk)).status_code == 405


# -- list, create, edit -----------------------------------------------------------------


def test_the_list_and_its_search_fragment(
    hospital_a: Hospital, client_a: Client, member_a: StaffMember
) -> None:
    add_staff_member(hospital_a, first_name="Orxan", job_title="Porter", department="")
    page = client_a.get("/staff/records/")
    assert "<html" in page.text and "Gunel Rzayeva" in page.text and "Orxan" in page.text
    fragment = client_a.get("/staff/records/", {"q": "porter"}, **HTMX)
    assert "<html" not in fragment.text and 'id="record-results"' in fragment.text
    assert "Orxan" in fragment.text and "Gunel" not in fragment.text


def test_adding_a_record_opens_it(hospital_a: Hospital, client_a: Client) -> None:
    page = client_a.get("/staff/records/new/")
    assert "<html" in page.text and 'name="job_title"' in page.text
    response = client_a.post("/staff/records/new/", form_data())
    [member] = records_of(hospital_a)
    assert response.status_code == 302 and response["Location"] == f"/staff/records/{member.pk}/"
    assert member.job_title == "Head nurse" and member.is_active


def test_adding_a_record_through_htmx(hospital_a: Hospital, client_a: Client) -> None:
    fragment = client_a.get("/staff/records/new/", **HTMX)
    assert "<html" not in fragment.text and 'id="record-form"' in fragment.text
    response = client_a.post("/staff/records/new/", form_data(), **HTMX)
    [member] = records_of(hospital_a)
    assert response["HX-Redirect"] == f"/staff/records/{member.pk}/"


def test_record_errors_are_shown_next_to_their_fields(
    hospital_a: Hospital, client_a: Client
) -> None:
    data = form_data(phone="abc", email="x@")
    data["job_title"] = ""
    response = client_a.post("/staff/records/new/", data, **HTMX)
    assert response.status_code == 200 and "<html" not in response.text
    errors = set(re.findall(r'id="id_(\w+)_error"', response.text))
    assert errors == {"job_title", "phone", "email"}
    assert records_of(hospital_a) == []


def test_editing_a_record(hospital_a: Hospital, client_a: Client, member_a: StaffMember) -> None:
    form = client_a.get(f"/staff/records/{member_a.pk}/edit/")
    assert 'value="Head nurse"' in form.text and "<html" in form.text
    assert 'id="record-form"' in client_a.get(f"/staff/records/{member_a.pk}/edit/", **HTMX).text
    data = form_data(department="Surgery")
    del data["is_active"]  # unticked
    response = client_a.post(f"/staff/records/{member_a.pk}/edit/", data)
    assert response.status_code == 302
    [saved] = records_of(hospital_a)
    assert saved.department == "Surgery" and not saved.is_active
    invalid = client_a.post(f"/staff/records/{member_a.pk}/edit/", form_data(first_name=""))
    assert 'id="id_first_name_error"' in invalid.text


# -- detail and logins ------------------------------------------------------------------


def test_the_record_page_offers_to_create_or_link_a_login(
    hospital_a: Hospital, client_a: Client, member_a: StaffMember
) -> None:
    nurse = make_user(hospital_a, Role.NURSE, name="Free Nurse")
    make_user(hospital_a, Role.PATIENT, name="Some Patient")
    page = client_a.get(f"/staff/records/{member_a.pk}/")
    assert "<html" in page.text and "Create a login" in page.text
    assert f'value="{nurse.pk}"' in page.text and "Some Patient" not in page.text
    fragment = client_a.get(f"/staff/records/{member_a.pk}/", **HTMX)
    assert "<html" not in fragment.text and 'id="record"' in fragment.text


def test_linking_and_unlinking_a_login(
    hospital_a: Hospital, client_a: Client, member_a: StaffMember
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    response = client_a.post(f"/staff/records/{member_a.pk}/link/", {"user": str(nurse.pk)})
    assert response.status_code == 302
    assert records_of(hospital_a)[0].user_id == nurse.pk
    page = client_a.get(response["Location"])
    assert nurse.username in page.text and "Unlink this login" in page.text
    fragment = client_a.post(f"/staff/records/{member_a.pk}/unlink/", **HTMX)
    assert "<html" not in fragment.text and "has no login linked now" in fragment.text
    assert records_of(hospital_a)[0].user_id is None


def test_linking_a_login_of_another_hospital_is_refused_next_to_the_field(
    hospital_a: Hospital, client_a: Client, member_a: StaffMember, admin_b: User
) -> None:
    response = client_a.post(
        f"/staff/records/{member_a.pk}/link/", {"user": str(admin_b.pk)}, **HTMX
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert re.search(r'id="id_user_error">[^<]*no such account', response.text)
    assert records_of(hospital_a)[0].user_id is None


def test_creating_a_login_for_a_record_shows_its_password_once(
    hospital_a: Hospital, client_a: Client, member_a: StaffMember
) -> None:
    response = client_a.post(f"/staff/records/{member_a.pk}/login/", {"role": Role.NURSE})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = re.search(r'data-testid="temporary-password">([^<]+)<', response.text)
    assert password is not None
    user = User.objects.get(username="gunel.rzayeva")
    assert user.check_password(password.group(1)) and user.role == Role.NURSE
    assert records_of(hospital_a)[0].user_id == user.pk
    assert password.group(1) not in client_a.get(f"/staff/records/{member_a.pk}/").text


def test_creating_a_login_needs_a_staff_role(
    hospital_a: Hospital, client_a: Client, member_a: StaffMember
) -> None:
    response = client_a.post(f"/staff/records/{member_a.pk}/login/", {"role": Role.PATIENT}, **HTMX)
    assert "<html" not in response.text and 'id="id_role_error"' in response.text
    assert not User.objects.filter(username="gunel.rzayeva").exists()
