from __future__ import annotations

import re

from django.test import Client

from apps.accounts.models import Role, User
from apps.accounts.tests.two_factor_steps import enrol
from apps.tenancy.models import Hospital
from conftest import TEST_PASSWORD, hospital_client, make_user


def test_a_known_hospital_shows_its_login_page_with_its_name(hospital_a: Hospital) -> None:
    response = hospital_client(hospital_a).get("/login/")
    assert response.status_code == 200
    assert "City General Hospital" in response.text


def test_anonymous_visitors_are_sent_to_the_login_page(hospital_a: Hospital) -> None:
    response = hospital_client(hospital_a).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_an_unknown_subdomain_is_a_friendly_404(db: None) -> None:
    response = Client(HTTP_HOST="nowhere.localhost:8000").get("/")
    assert response.status_code == 404
    assert "No hospital at this address" in response.text


def test_a_hospital_that_is_not_ready_shows_a_being_set_up_page(hospital_a: Hospital) -> None:
    Hospital.objects.filter(pk=hospital_a.pk).update(status=Hospital.Status.PROVISIONING)
    response = Client(HTTP_HOST=hospital_a.host).get("/login/")
    assert response.status_code == 503
    assert "is being set up" in response.text


def test_the_platform_host_serves_the_admin_not_staff_pages(db: None) -> None:
    client = Client(HTTP_HOST="localhost:8000")
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/login/").status_code == 404


def test_a_hospital_host_does_not_serve_the_platform_admin(hospital_a: Hospital) -> None:
    assert hospital_client(hospital_a).get("/admin/").status_code in (302, 404)
    assert hospital_client(hospital_a).get("/admin/login/").status_code == 404


def test_the_hospital_admin_signs_in_and_sees_the_dashboard(hospital_a: Hospital) -> None:
    admin = User.objects.get(hospital=hospital_a, role=Role.HOSPITAL_ADMIN)
    client = hospital_client(hospital_a)
    response = client.post("/login/", {"username": admin.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    # an administrator sets up the second factor first (issue 20)
    assert client.get("/")["Location"].startswith("/two-factor/set-up/")
    enrol(client, admin)
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "Dashboard" in dashboard.text


def test_a_user_of_another_hospital_is_refused_even_with_a_valid_password(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    outsider = make_user(hospital_b, Role.RECEPTIONIST)
    client = hospital_client(hospital_a)
    response = client.post("/login/", {"username": outsider.username, "password": TEST_PASSWORD})
    # the answer a wrong password gets (issue 20): the page tells no guesser that the
    # password was right in another hospital
    assert response.status_code == 200 and "Please enter a correct" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_a_session_of_another_hospitals_user_gets_403(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    outsider = make_user(hospital_b, Role.HOSPITAL_ADMIN)
    response = hospital_client(hospital_a, outsider).get("/")
    assert response.status_code == 403
    assert "does not belong to City General Hospital" in response.text


def test_platform_superusers_may_enter_any_hospital(hospital_a: Hospital) -> None:
    superuser = User.objects.create_superuser("root", password=TEST_PASSWORD)
    response = hospital_client(hospital_a, superuser).get("/")
    assert response.status_code == 200


def test_a_deactivated_member_cannot_sign_in(hospital_a: Hospital) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    nurse.is_active = False
    nurse.save()
    response = hospital_client(hospital_a).post(
        "/login/", {"username": nurse.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "correct username and password" in response.text


def test_session_cookies_are_host_only(hospital_a: Hospital, admin_a: User) -> None:
    client = hospital_client(hospital_a)
    client.post("/login/", {"username": admin_a.username, "password": TEST_PASSWORD})
    assert client.cookies["sessionid"]["domain"] == ""


def _provisioning_with_progress(hospital: Hospital) -> None:
    from apps.tenancy.models import ProvisioningJob

    Hospital.objects.filter(pk=hospital.pk).update(status=Hospital.Status.PROVISIONING)
    ProvisioningJob.objects.create(
        hospital=hospital,
        kind=ProvisioningJob.Kind.RECREATE,
        status=ProvisioningJob.Status.RUNNING,
        percent=64,
        step="Seed reference data",
    )


def test_the_being_set_up_page_shows_the_jobs_live_progress_and_polls(
    hospital_a: Hospital,
) -> None:
    _provisioning_with_progress(hospital_a)
    response = Client(HTTP_HOST=hospital_a.host).get("/patients/")
    assert response.status_code == 503
    assert 'aria-valuenow="64"' in response.text
    assert "Seed reference data" in response.text
    assert 'hx-get="/?provisioning-progress=1"' in response.text


def test_the_being_set_up_page_never_echoes_the_request_path_into_htmx(
    hospital_a: Hospital,
) -> None:
    """``/%5C127.0.0.1:8832/x`` rendered as ``hx-get="/\\127.0.0.1:8832/x"``, which a
    browser resolves to another origin."""
    _provisioning_with_progress(hospital_a)
    response = Client(HTTP_HOST=hospital_a.host).get("/%5C127.0.0.1:8832/x")
    assert response.status_code == 503
    hx_urls = re.findall(r'hx-(?:get|post|put|patch|delete)="([^"]*)"', response.text)
    assert hx_urls == ["/?provisioning-progress=1"]
    # the only echo is the language switcher's "next", which its view checks for the host
    echoed = 'name="next" value="/%5C127.0.0.1:8832/x"'
    assert response.text.count("127.0.0.1:8832") == response.text.count(echoed)


def test_its_poll_gets_the_progress_fragment(hospital_a: Hospital) -> None:
    _provisioning_with_progress(hospital_a)
    response = Client(HTTP_HOST=hospital_a.host).get(
        "/?provisioning-progress=1", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "64%" in response.text


def test_its_poll_reloads_the_page_once_the_hospital_is_ready(hospital_a: Hospital) -> None:
    response = Client(HTTP_HOST=hospital_a.host).get(
        "/login/?provisioning-progress=1", HTTP_HX_REQUEST="true"
    )
    assert response["HX-Refresh"] == "true"


def test_its_poll_stops_when_setting_up_failed(hospital_a: Hospital) -> None:
    Hospital.objects.filter(pk=hospital_a.pk).update(status=Hospital.Status.FAILED)
    response = Client(HTTP_HOST=hospital_a.host).get(
        "/?provisioning-progress=1", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 286
    assert "is not available" in response.text
    assert "hx-get" not in response.text
