"""Every create form is safe under a double submit: the same values sent twice — one
after the other, or at the same moment — create once; "send it again anyway" is the way
to enter a second, identical record on purpose."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import Client, RequestFactory

from apps.accounts.models import Role, User
from apps.core.submissions import AGAIN_FIELD, submitted_once
from apps.doctors.models import Doctor
from apps.doctors.tests.conftest import form_data as doctor_data
from apps.doctors.tests.conftest import place_of
from apps.patients.models import Patient
from apps.patients.tests.factories import form_data as patient_data
from apps.regions.models import Region
from apps.staff.models import StaffMember
from apps.staff.tests.factories import form_data as staff_member_data
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

Count = Callable[[Hospital], int]


def in_hospital(model: Any) -> Count:
    def count(hospital: Hospital) -> int:
        with tenant_context(hospital):
            return int(model.objects.count())

    return count


def staff_logins(hospital: Hospital) -> int:
    return User.objects.filter(hospital=hospital, role=Role.NURSE).count()


FORMS: dict[str, tuple[str, Callable[[Hospital], dict[str, Any]], Count]] = {
    "patient registration": ("/patients/register/", lambda h: patient_data(), in_hospital(Patient)),
    "doctor": ("/doctors/add/", lambda h: doctor_data(place_of(h)), in_hospital(Doctor)),
    "staff login": (
        "/staff/accounts/new/",
        lambda h: {"full_name": "Leyla Hasanova", "role": Role.NURSE},
        staff_logins,
    ),
    "staff record": (
        "/staff/records/new/",
        lambda h: staff_member_data(),
        in_hospital(StaffMember),
    ),
    "reference row": (
        "/reference/regions/",
        lambda h: {"name": "Dağlıq Şirvan", "code": "DSH"},
        in_hospital(Region),
    ),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_create_form_sent_twice_creates_once(
    client_a: Client, hospital_a: Hospital, form: str
) -> None:
    url, data_for, count = FORMS[form]
    data = data_for(hospital_a)
    before = count(hospital_a)
    first = client_a.post(url, data)
    assert first.status_code in (200, 302)
    assert count(hospital_a) == before + 1
    second = client_a.post(url, data)
    assert count(hospital_a) == before + 1
    if first.status_code == 302:  # the copy lands where the first did: on what it made
        assert (second.status_code, second["Location"]) == (302, first["Location"])
    else:  # the first showed a page once (a temporary password): the copy is told
        assert second.status_code == 409
        assert "This form was already sent" in second.text


def test_send_it_again_anyway_creates_a_second_identical_record(
    client_a: Client, hospital_a: Hospital
) -> None:
    url, data_for, count = FORMS["staff login"]
    data = data_for(hospital_a)
    client_a.post(url, data)
    notice = client_a.post(url, data)
    assert f'name="{AGAIN_FIELD}"' in notice.text
    assert 'name="full_name" value="Leyla Hasanova"' in notice.text
    again = client_a.post(url, {**data, AGAIN_FIELD: "a-second-person"})
    assert again.status_code == 200 and "This form was already sent" not in again.text
    assert count(hospital_a) == 2


def test_a_copy_sent_by_htmx_replaces_the_page_content_with_the_notice(
    client_a: Client, hospital_a: Hospital
) -> None:
    url, data_for, _count = FORMS["staff login"]
    data = data_for(hospital_a)
    client_a.post(url, data, HTTP_HX_REQUEST="true")
    copy = client_a.post(url, data, HTTP_HX_REQUEST="true")
    assert copy.status_code == 200 and "<html" not in copy.text
    assert copy["HX-Retarget"] == "main" and copy["HX-Reswap"] == "innerHTML"
    assert "This form was already sent" in copy.text


@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_at_the_same_moment_run_the_view_once() -> None:
    """Two requests racing (two gunicorn threads): one runs, the other waits for it and
    is sent where it went."""
    calls: list[int] = []
    first_running = threading.Event()
    release = threading.Event()

    @submitted_once
    def create(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        first_running.set()
        release.wait(10)
        return redirect("/made/42/")

    def post() -> HttpRequest:
        request = RequestFactory().post(
            "/things/new/", {"name": "same", "csrfmiddlewaretoken": "x"}
        )
        request.user = AnonymousUser()
        return request

    responses: list[HttpResponse] = []
    first = threading.Thread(target=lambda: responses.append(create(post())))
    first.start()
    assert first_running.wait(10)
    second = threading.Thread(target=lambda: responses.append(create(post())))
    second.start()
    release.set()
    for thread in (first, second):
        thread.join(20)
    assert len(calls) == 1
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, "/made/42/")] * 2
