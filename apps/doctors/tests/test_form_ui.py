"""The doctor pages as a new user met them: the link select, 24-hour times, sorting,
and a reload after saving that never shows the form (or the password) again."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.test import Client

from apps.accounts.models import Role, User
from apps.doctors.models import Doctor
from apps.doctors.tests.conftest import Place, doctors_of, form_data
from apps.tenancy.models import Hospital
from conftest import make_user

STYLESHEET = Path(settings.BASE_DIR) / "apps" / "core" / "static" / "hms" / "app.css"


def test_the_account_to_link_is_shown_only_while_linking_is_chosen(client_a: Client) -> None:
    page = client_a.get("/doctors/add/").text
    assert '<fieldset class="panel login-choice">' in page
    assert '<div class="link-user">' in page and 'name="link_user"' in page
    css = STYLESHEET.read_text()
    assert ".login-choice .link-user { display:none; }" in css
    assert '.login-choice:has(input[value="link"]:checked) .link-user { display:block; }' in css


def test_the_administrators_own_login_is_not_offered_for_linking(
    hospital_a: Hospital, admin_a: User, client_a: Client
) -> None:
    doctor_login = make_user(hospital_a, Role.DOCTOR, name="Leyla Həsənova")
    select = client_a.get("/doctors/add/").text.split('name="link_user"')[1].split("</select>")[0]
    assert doctor_login.username in select and admin_a.username not in select


def test_weekly_hours_are_typed_in_24_hour_format(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    page = client_a.get("/doctors/add/").text
    assert 'type="time"' not in page
    assert 'name="schedule_0-starts_at" value="09:00"' in page and 'placeholder="HH:MM"' in page
    data = form_data(baku, **{"schedule_0-starts_at": "13:30", "schedule_0-ends_at": "21:45"})
    assert client_a.post("/doctors/add/", data).status_code == 302
    hours = doctors_of(hospital_a)[0].schedule.get()
    assert (f"{hours.starts_at:%H:%M}", f"{hours.ends_at:%H:%M}") == ("13:30", "21:45")


def test_the_list_sorts_by_fee_both_ways(
    client_a: Client, hospital_a: Hospital, baku: Place, make_doctor: Callable[..., Doctor]
) -> None:
    make_doctor(hospital_a, baku, full_name="Cheap Doctor", consulting_fee=Decimal("10.00"))
    make_doctor(hospital_a, baku, full_name="Dear Doctor", consulting_fee=Decimal("90.00"))
    ascending = client_a.get("/doctors/", {"sort": "fee"}).text
    descending = client_a.get("/doctors/", {"sort": "-fee"}).text
    assert ascending.index("Cheap Doctor") < ascending.index("Dear Doctor")
    assert descending.index("Dear Doctor") < descending.index("Cheap Doctor")
    assert 'aria-sort="descending"' in descending and "90.00\xa0AZN" in descending


def test_a_new_login_is_shown_once_and_the_address_bar_moves_to_the_doctor(
    client_a: Client, hospital_a: Hospital, baku: Place
) -> None:
    response = client_a.post(
        "/doctors/add/", form_data(baku, login="create"), HTTP_HX_REQUEST="true"
    )
    doctor = doctors_of(hospital_a)[0]
    assert 'id="new-password"' in response.text
    assert response["HX-Push-Url"] == f"/doctors/{doctor.pk}/"
