"""The platform login (the admin on the bare base domain)."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.accounts.services import account_create
from apps.accounts.tests.two_factor_steps import enrol
from conftest import TEST_PASSWORD

NEW_PASSWORD = "Fresh-Platform-2026"


def platform_client() -> Client:
    return Client(HTTP_HOST="localhost")


def temporary_platform_admin() -> tuple[User, str]:
    account = account_create(hospital=None, full_name="Temp Root", role=Role.PLATFORM_ADMIN)
    User.objects.filter(pk=account.user.pk).update(is_staff=True, is_superuser=True)
    assert account.temporary_password
    return account.user, account.temporary_password


def test_a_temporary_password_on_the_platform_leads_only_to_the_password_change(db) -> None:
    user, password = temporary_platform_admin()
    client = platform_client()
    client.post("/admin/login/", {"username": user.username, "password": password})
    for path in ("/admin/", "/admin/tenancy/hospital/", "/admin/accounts/user/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/admin/password_change/"
    assert client.get("/admin/password_change/").status_code == 200


def test_changing_the_temporary_platform_password_opens_the_admin(db) -> None:
    user, password = temporary_platform_admin()
    client = platform_client()
    client.post("/admin/login/", {"username": user.username, "password": password})
    response = client.post(
        "/admin/password_change/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    # a platform administrator then sets up the second factor before the admin opens
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/set-up/")
    enrol(client, user, prefix="/admin")
    assert client.get("/admin/").status_code == 200


def test_a_platform_login_with_an_offsite_next_lands_on_the_admin_not_a_500(db) -> None:
    User.objects.create_superuser("root", "root@example.com", TEST_PASSWORD)
    client = platform_client()
    response = client.post(
        "/admin/login/?next=//evil.com",
        {"username": "root", "password": TEST_PASSWORD, "next": "//evil.com"},
    )
    assert response.status_code == 302
    assert "evil.com" not in response["Location"]
    assert client.get(response["Location"], follow=True).status_code == 200
