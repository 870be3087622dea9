"""Every staff POST needs the CSRF token, htmx requests included (base.html sends it
in the X-CSRFToken header via hx-headers on <body>)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.tenancy.models import Hospital

POSTS = [
    ("/patients/register/", {"first_name": "Aysel"}),
    ("/doctors/add/", {"full_name": "Kamran Quliyev"}),
    ("/staff/accounts/new/", {"full_name": "Leyla Hasanova", "role": "nurse"}),
    ("/staff/records/new/", {"full_name": "Leyla Hasanova"}),
    ("/reference/regions/", {"name": "Naxçıvan", "code": "NAX"}),
    ("/password/", {"new_password1": "x", "new_password2": "x"}),
    ("/logout/", {}),
]


def strict_client(hospital: Hospital, user: User) -> Client:
    client = Client(HTTP_HOST=hospital.host, enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(("url", "data"), POSTS)
def test_a_staff_post_without_the_csrf_token_is_refused(
    hospital_a: Hospital, admin_a: User, url: str, data: dict[str, str]
) -> None:
    client = strict_client(hospital_a, admin_a)
    assert client.post(url, data).status_code == 403
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 403


def test_an_htmx_post_with_the_token_from_the_page_header_is_accepted(
    hospital_a: Hospital, admin_a: User
) -> None:
    client = strict_client(hospital_a, admin_a)
    page = client.get("/reference/regions/")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.text)
    assert token, "base.html must put the CSRF token in hx-headers"
    response = client.post(
        "/reference/regions/",
        {"name": "Naxçıvan", "code": "NAX"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token.group(1),
    )
    assert response.status_code == 200
    assert "Naxçıvan" in response.text
