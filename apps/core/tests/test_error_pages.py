"""The error pages with DEBUG off, as deployed: branded (the hospital's name on its
host), no stack trace, no URL list, the right status."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.core.tests.error_urls import SECRET_DETAIL
from conftest import hospital_client

pytestmark = pytest.mark.django_db

LEAKS = (SECRET_DETAIL, "Traceback", "URLconf", "urlpatterns", "patients/", "DEBUG = True")


@pytest.fixture(autouse=True)
def deployed(settings):
    settings.DEBUG = False
    settings.HMS_HOSPITAL_URLCONF = "apps.core.tests.error_urls"


def assert_branded(response, status: int, name: str) -> str:
    assert response.status_code == status
    html: str = response.content.decode()
    assert name in html
    assert f"Error {status}" in html
    for leak in LEAKS:
        assert leak not in html
    return html


def test_an_unknown_page_of_a_hospital_is_its_branded_404_without_the_url_list(
    client_a, hospital_a
) -> None:
    html = assert_branded(client_a.get("/no-such-page/"), 404, hospital_a.name)
    assert "There is no such page" in html


def test_an_unknown_page_of_the_platform_is_a_404_without_the_url_list() -> None:
    response = Client().get("/no-such-page/")
    assert_branded(response, 404, "HMS")


def test_a_crash_on_a_hospital_host_is_a_branded_500_without_the_traceback(hospital_a, admin_a):
    client = hospital_client(hospital_a, admin_a)
    client.raise_request_exception = False
    html = assert_branded(client.get("/crash/"), 500, hospital_a.name)
    assert "Something went wrong" in html


def test_permission_denied_is_a_branded_403(client_a, hospital_a) -> None:
    assert_branded(client_a.get("/forbidden/"), 403, hospital_a.name)


def test_a_suspicious_request_is_a_branded_400(client_a, hospital_a) -> None:
    assert_branded(client_a.get("/suspicious/"), 400, hospital_a.name)


def test_a_host_django_refuses_is_a_400_page_not_a_debug_page() -> None:
    response = Client(HTTP_HOST="evil.example.com").get("/")
    assert_branded(response, 400, "HMS")


def test_a_locked_hospital_database_is_a_branded_503_to_try_again(client_a, hospital_a) -> None:
    html = assert_branded(client_a.get("/locked/"), 503, hospital_a.name)
    assert "try again" in html
    assert client_a.get("/locked/")["Retry-After"] == "30"


def test_a_form_sent_without_its_csrf_token_gets_a_page_saying_what_to_do(hospital_a) -> None:
    client = Client(HTTP_HOST=hospital_a.host, enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Reload the page" in html
    assert "CSRF" not in html.split("<main", 1)[1]
