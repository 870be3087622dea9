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
    # from many addresses: the account's own limit (issue 20: locks that fit a hospital)
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    for number in range(settings.HMS_LOGIN_ACCOUNT_FAILURE_LIMIT):
        sign_in(client, nurse.username, "wrong", address=f"10.0.1.{number}")
    locked = sign_in(client, nurse.username, TEST_PASSWORD, address="10.0.2.1")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.text and "15 minutes" in locked.text
    assert "_auth_user_id" not in client.session


def test_an_account_below_its_limit_still_signs_in_from_elsewhere(
    hospital_a: Hospital, settings
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    for number in range(settings.HMS_LOGIN_ACCOUNT_FAILURE_LIMIT - 1):
        sign_in(client, nurse.username, "wrong", address=f"10.0.1.{number}")
    assert sign_in(client, nurse.username, TEST_PASSWORD, address="10.0.2.1").status_code == 302


def test_typos_at_one_workstation_lock_the_account_there_only(
    hospital_a: Hospital, settings
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, nurse.username, "wrong", address="10.0.0.7")
    locked = sign_in(client, nurse.username, TEST_PASSWORD, address="10.0.0.7")
    assert locked.status_code == 429 and "Try again in 15 minutes" in locked.text
    elsewhere = sign_in(hospital_client(hospital_a), nurse.username, TEST_PASSWORD)
    assert elsewhere.status_code == 302


def test_a_hospital_behind_one_address_is_not_locked_by_one_persons_typos(
    hospital_a: Hospital, settings
) -> None:
    """Every workstation of a hospital usually shares one NAT address."""
    nurse = make_user(hospital_a, Role.NURSE)
    colleague = make_user(hospital_a, Role.RECEPTIONIST)
    client = hospital_client(hospital_a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, nurse.username, "wrong", address="10.0.0.9")
    assert sign_in(client, colleague.username, TEST_PASSWORD, address="10.0.0.9").status_code == 302


def test_many_failures_from_one_address_lock_that_address_only(
    hospital_a: Hospital, settings
) -> None:
    settings.HMS_LOGIN_ADDRESS_FAILURE_LIMIT = 12  # the real one (100) takes long to reach
    assert settings.HMS_LOGIN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    for number in range(settings.HMS_LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        sign_in(client, f"nobody{number}", "wrong", address="10.0.0.9")
    assert sign_in(client, nurse.username, TEST_PASSWORD, address="10.0.0.9").status_code == 302
    client.post("/logout/")
    for number in range(settings.HMS_LOGIN_ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"other{number}", "wrong", address="10.0.0.9")
    assert sign_in(client, nurse.username, TEST_PASSWORD, address="10.0.0.9").status_code == 429
    elsewhere = sign_in(hospital_client(hospital_a), nurse.username, TEST_PASSWORD)
    assert elsewhere.status_code == 302


def test_the_address_limit_is_much_higher_than_an_accounts(settings) -> None:
    from django.conf import settings as configured

    assert configured.HMS_LOGIN_ADDRESS_FAILURE_LIMIT >= 10 * configured.AXES_FAILURE_LIMIT


def test_another_hospitals_account_gets_the_answer_a_wrong_password_gets(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    stranger = make_user(hospital_b, Role.NURSE)
    nurse = make_user(hospital_a, Role.NURSE)
    right_elsewhere = sign_in(hospital_client(hospital_a), stranger.username, TEST_PASSWORD)
    wrong = sign_in(hospital_client(hospital_a), nurse.username, "not-it", address="10.0.0.2")
    assert right_elsewhere.status_code == wrong.status_code == 200

    def error_of(page: str) -> str:
        return (
            page.split('class="errors"', 1)[1].split("</", 1)[0]
            if 'class="errors"' in page
            else page
        )

    assert "Please enter a correct" in right_elsewhere.text
    assert hospital_b.name not in right_elsewhere.text
    assert error_of(right_elsewhere.text) == error_of(wrong.text)


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


# -- one's own password (issue 20, point 1) ----------------------------------------------


def test_guessing_the_current_password_on_the_password_page_is_throttled(
    hospital_a: Hospital, settings
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    assert sign_in(client, nurse.username, TEST_PASSWORD, address="10.0.0.5").status_code == 302
    new = {"new_password1": "Fresh-Secret-2026", "new_password2": "Fresh-Secret-2026"}
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        guess = client.post(
            "/password/", {**new, "old_password": f"guess-{number}"}, REMOTE_ADDR="10.0.0.5"
        )
        assert guess.status_code == 200
    locked = client.post(
        "/password/", {**new, "old_password": "last-guess"}, REMOTE_ADDR="10.0.0.5"
    )
    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.text
    assert "_auth_user_id" not in client.session  # the session that guessed has ended
    nurse.refresh_from_db()
    assert nurse.check_password(TEST_PASSWORD)
    again = sign_in(hospital_client(hospital_a), nurse.username, TEST_PASSWORD, address="10.0.0.5")
    assert again.status_code == 429


def test_an_expired_temporary_password_ends_the_session_that_used_it(
    hospital_a: Hospital, admin_a: User
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    issued = account_reset_password(user=nurse, actor=admin_a)
    client = hospital_client(hospital_a)
    assert sign_in(client, nurse.username, issued.temporary_password).status_code == 302
    assert client.get("/password/").status_code == 200
    User.objects.filter(pk=nurse.pk).update(
        temporary_password_expires_at=timezone.now() - timedelta(seconds=1)
    )
    new = {"new_password1": "Fresh-Secret-2026", "new_password2": "Fresh-Secret-2026"}
    refused = client.post("/password/", new)
    assert refused.status_code == 302 and refused["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
    assert "temporary password has expired" in client.get(refused["Location"]).text
    nurse.refresh_from_db()
    assert nurse.must_change_password and not nurse.check_password("Fresh-Secret-2026")


def test_an_expired_temporary_password_ends_the_platform_session_too(db) -> None:
    account = account_create(hospital=None, full_name="Temp Root", role=Role.PLATFORM_ADMIN)
    User.objects.filter(pk=account.user.pk).update(is_staff=True, is_superuser=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(pk=account.user.pk))
    assert client.get("/admin/password_change/").status_code == 200
    User.objects.filter(pk=account.user.pk).update(
        temporary_password_expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


def test_the_forced_change_after_a_reset_by_someone_else_still_works(
    hospital_a: Hospital, admin_a: User
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    issued = account_reset_password(user=nurse, actor=admin_a)
    client = hospital_client(hospital_a)
    assert sign_in(client, nurse.username, issued.temporary_password).status_code == 302
    new = {"new_password1": "Fresh-Secret-2026", "new_password2": "Fresh-Secret-2026"}
    assert client.post("/password/", new).status_code == 302  # no current password asked
    nurse.refresh_from_db()
    assert nurse.check_password("Fresh-Secret-2026") and not nurse.must_change_password


def test_nobody_resets_their_own_password(hospital_a: Hospital, admin_a: User) -> None:
    from apps.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="cannot reset your own password"):
        account_reset_password(user=admin_a, actor=admin_a)
    admin_a.refresh_from_db()
    assert admin_a.check_password(TEST_PASSWORD) and not admin_a.must_change_password
