"""Login throttling, temporary password expiry, idle sessions, ending sessions on
deactivation and the stated password policy (issue 11, point 3)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.accounts.middleware import LAST_SEEN_KEY
from apps.accounts.models import Role, User
from apps.accounts.services import (
    account_create,
    account_deactivate,
    account_reactivate,
    account_reset_password,
)
from apps.tenancy.models import Hospital
from conftest import TEST_PASSWORD, hospital_client, make_user


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


# -- throttling -------------------------------------------------------------------------


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(
    hospital_a: Hospital, settings
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, nurse.username, "wrong", address=f"10.0.1.{number}")
    locked = sign_in(client, nurse.username, TEST_PASSWORD, address="10.0.2.1")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.text and "15 minutes" in locked.text
    assert "_auth_user_id" not in client.session


def test_repeated_failures_from_one_address_lock_that_address_only(
    hospital_a: Hospital, settings
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, f"nobody{number}", "wrong", address="10.0.0.9")
    assert sign_in(client, nurse.username, TEST_PASSWORD, address="10.0.0.9").status_code == 429
    elsewhere = sign_in(hospital_client(hospital_a), nurse.username, TEST_PASSWORD)
    assert elsewhere.status_code == 302


def test_the_platform_login_is_throttled_too(db, settings) -> None:
    User.objects.create_superuser("root", "root@example.com", TEST_PASSWORD)
    client = Client(HTTP_HOST="localhost")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "root", "password": TEST_PASSWORD})
    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.text


def test_a_successful_sign_in_clears_earlier_failures(hospital_a: Hospital, settings) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, nurse.username, "wrong")
    assert sign_in(client, nurse.username, TEST_PASSWORD).status_code == 302
    client.post("/logout/")
    assert sign_in(client, nurse.username, "wrong").status_code == 200
    assert sign_in(client, nurse.username, TEST_PASSWORD).status_code == 302


# -- temporary passwords expire ----------------------------------------------------------


def test_a_temporary_password_expires_after_72_hours(hospital_a: Hospital) -> None:
    account = account_create(hospital=hospital_a, full_name="Leyla Hasanova", role=Role.NURSE)
    user = account.user
    assert user.temporary_password_expires_at is not None
    expected = timezone.now() + timedelta(hours=72)
    assert abs((user.temporary_password_expires_at - expected).total_seconds()) < 60
    User.objects.filter(pk=user.pk).update(
        temporary_password_expires_at=timezone.now() - timedelta(seconds=1)
    )
    client = hospital_client(hospital_a)
    refused = sign_in(client, user.username, account.temporary_password or "")
    assert refused.status_code == 200 and "temporary password has expired" in refused.text
    assert "_auth_user_id" not in client.session


def test_a_reset_gives_a_fresh_72_hours_and_a_change_ends_the_expiry(
    hospital_a: Hospital, admin_a: User
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    issued = account_reset_password(user=nurse, actor=admin_a)
    nurse.refresh_from_db()
    assert nurse.temporary_password_expires_at is not None
    client = hospital_client(hospital_a)
    assert sign_in(client, nurse.username, issued.temporary_password).status_code == 302
    new = {"new_password1": "Fresh-Secret-2026", "new_password2": "Fresh-Secret-2026"}
    assert client.post("/password/", new).status_code == 302
    nurse.refresh_from_db()
    assert nurse.temporary_password_expires_at is None and not nurse.temporary_password_expired


def test_an_expired_temporary_password_does_not_open_the_platform_admin(db) -> None:
    account = account_create(hospital=None, full_name="Temp Root", role=Role.PLATFORM_ADMIN)
    User.objects.filter(pk=account.user.pk).update(
        is_staff=True,
        is_superuser=True,
        temporary_password_expires_at=timezone.now() - timedelta(minutes=1),
    )
    client = Client(HTTP_HOST="localhost")
    response = client.post(
        "/admin/login/",
        {"username": account.user.username, "password": account.temporary_password},
    )
    assert response.status_code == 200 and "temporary password has expired" in response.text


# -- idle sessions ---------------------------------------------------------------------


def idle_for(client: Client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - minutes * 60
    session.save()


def test_an_idle_staff_session_ends_after_the_hospitals_timeout(
    hospital_a: Hospital, client_a: Client
) -> None:
    assert client_a.get("/patients/").status_code == 200
    idle_for(client_a, 31)
    response = client_a.get("/patients/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client_a.session
    page = client_a.get(response["Location"])
    assert "signed out after a while without activity" in page.text


def test_the_idle_timeout_is_the_hospitals_own(hospital_a: Hospital, client_a: Client) -> None:
    Hospital.objects.filter(pk=hospital_a.pk).update(session_idle_minutes=60)
    client_a.get("/patients/")
    idle_for(client_a, 31)
    assert client_a.get("/patients/").status_code == 200
    idle_for(client_a, 61)
    assert client_a.get("/patients/").status_code == 302


def test_an_idle_htmx_request_redirects_the_whole_page_to_the_login(
    hospital_a: Hospital, client_a: Client
) -> None:
    client_a.get("/patients/")
    idle_for(client_a, 45)
    response = client_a.get("/patients/?q=x", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/login/")


def test_an_idle_platform_session_ends_too(db, settings) -> None:
    User.objects.create_superuser("root", "root@example.com", TEST_PASSWORD)
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="root"))
    assert client.get("/admin/").status_code == 200
    idle_for(client, settings.HMS_PLATFORM_SESSION_IDLE_MINUTES + 1)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


# -- deactivation ends sessions ------------------------------------------------------------


def test_deactivation_ends_every_session_even_after_reactivation(
    hospital_a: Hospital, admin_a: User
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    desk, ward = hospital_client(hospital_a), hospital_client(hospital_a)
    for client in (desk, ward):
        assert sign_in(client, nurse.username, TEST_PASSWORD).status_code == 302
    account_deactivate(user=nurse, actor=admin_a)
    account_reactivate(user=nurse, actor=admin_a)
    for client in (desk, ward):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    fresh = hospital_client(hospital_a)
    assert sign_in(fresh, nurse.username, TEST_PASSWORD).status_code == 302
    assert fresh.get("/").status_code == 200


def test_sessions_of_others_survive_a_deactivation(
    hospital_a: Hospital, admin_a: User, client_a: Client
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    account_deactivate(user=nurse, actor=admin_a)
    assert client_a.get("/").status_code == 200


# -- password policy --------------------------------------------------------------------


@pytest.mark.parametrize("forced", [True, False])
def test_the_password_form_states_the_policy(hospital_a: Hospital, forced: bool) -> None:
    user = make_user(hospital_a, Role.NURSE)
    User.objects.filter(pk=user.pk).update(must_change_password=forced)
    client = hospital_client(hospital_a, user)
    page = client.get("/password/")
    assert "at least 8 characters" in page.text
    assert "entirely numeric" in page.text
