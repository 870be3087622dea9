from __future__ import annotations

from django.views.debug import SafeExceptionReporterFilter

from apps.accounts.models import Role, User
from apps.accounts.services import account_create
from apps.tenancy.models import Hospital
from conftest import TEST_PASSWORD, hospital_client


def temporary_account(hospital: Hospital) -> tuple[User, str]:
    account = account_create(hospital=hospital, full_name="Leyla Hasanova", role=Role.RECEPTIONIST)
    assert account.temporary_password
    return account.user, account.temporary_password


def test_a_temporary_password_leads_straight_to_the_password_change(hospital_a: Hospital) -> None:
    user, password = temporary_account(hospital_a)
    client = hospital_client(hospital_a)
    client.post("/login/", {"username": user.username, "password": password})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/password/"
    page = client.get("/password/")
    assert "temporary password" in page.text


def test_changing_the_temporary_password_unlocks_the_dashboard(hospital_a: Hospital) -> None:
    user, password = temporary_account(hospital_a)
    client = hospital_client(hospital_a)
    client.post("/login/", {"username": user.username, "password": password})
    response = client.post(
        "/password/", {"new_password1": "Fresh-Secret-2026", "new_password2": "Fresh-Secret-2026"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Fresh-Secret-2026")
    assert client.get("/").status_code == 200


def test_a_mismatched_new_password_shows_the_error_next_to_the_field(hospital_a: Hospital) -> None:
    user, password = temporary_account(hospital_a)
    client = hospital_client(hospital_a)
    client.post("/login/", {"username": user.username, "password": password})
    response = client.post(
        "/password/", {"new_password1": "Fresh-Secret-2026", "new_password2": "x"}
    )
    assert response.status_code == 200
    assert "didn’t match" in response.text
    user.refresh_from_db()
    assert user.must_change_password


def test_changing_ones_own_password_needs_the_current_one(
    hospital_a: Hospital, admin_a: User
) -> None:
    """A signed-in session left open on a shared ward computer must not be enough to
    take the account over."""
    client = hospital_client(hospital_a, admin_a)
    new = {"new_password1": "Fresh-Secret-2026", "new_password2": "Fresh-Secret-2026"}
    refused = client.post("/password/", new)
    assert refused.status_code == 200 and "old_password" in refused.text
    admin_a.refresh_from_db()
    assert admin_a.check_password(TEST_PASSWORD)
    wrong = client.post("/password/", {**new, "old_password": "not-it"})
    assert wrong.status_code == 200
    admin_a.refresh_from_db()
    assert admin_a.check_password(TEST_PASSWORD)
    changed = client.post("/password/", {**new, "old_password": TEST_PASSWORD})
    assert changed.status_code == 302
    admin_a.refresh_from_db()
    assert admin_a.check_password("Fresh-Secret-2026")
    assert client.get("/").status_code == 200  # still signed in


def test_logout_requires_post(client_a) -> None:
    assert client_a.get("/logout/").status_code == 405
    assert client_a.post("/logout/").status_code == 302
    assert client_a.get("/").status_code == 302


def test_password_page_of_another_hospital_is_refused(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    user, _ = temporary_account(hospital_b)
    response = hospital_client(hospital_a, user).get("/password/")
    assert response.status_code == 403


def test_passwords_typed_in_are_masked_in_error_reports(
    hospital_a: Hospital, admin_a: User
) -> None:
    """Django's error page and error emails print the POST unless the view marks it."""
    reporter = SafeExceptionReporterFilter()
    login = hospital_client(hospital_a).post(
        "/login/", {"username": admin_a.username, "password": "Typed-Secret-1"}
    )
    assert "Typed-Secret-1" not in list(reporter.get_post_parameters(login.wsgi_request).values())
    change = hospital_client(hospital_a, admin_a).post(
        "/password/",
        {"old_password": "Typed-Secret-1", "new_password1": "New-1", "new_password2": "New-1"},
    )
    shown = list(reporter.get_post_parameters(change.wsgi_request).values())
    assert "Typed-Secret-1" not in shown and "New-1" not in shown
