from __future__ import annotations

from apps.accounts.models import Role, User
from apps.accounts.services import account_create
from apps.tenancy.models import Hospital
from conftest import hospital_client


def test_a_temporary_password_is_hashed_for_one_time_use(hospital_a: Hospital) -> None:
    account = account_create(hospital=hospital_a, full_name="Nigar Aliyeva", role=Role.NURSE)
    assert account.user.password.startswith("pbkdf2_sha256_temporary$1000$")
    assert account.temporary_password and len(account.temporary_password) == 16


def test_a_persons_own_password_uses_the_preferred_hasher(hospital_a: Hospital) -> None:
    account = account_create(
        hospital=hospital_a, full_name="Own Password", role=Role.NURSE, password="Own-Pass-2026"
    )
    assert not account.user.password.startswith("pbkdf2_sha256_temporary$")


def test_the_first_sign_in_rehashes_the_temporary_password_with_the_preferred_hasher(
    hospital_a: Hospital,
) -> None:
    account = account_create(hospital=hospital_a, full_name="Nigar Aliyeva", role=Role.NURSE)
    client = hospital_client(hospital_a)
    client.post(
        "/login/", {"username": account.user.username, "password": account.temporary_password}
    )
    user = User.objects.get(pk=account.user.pk)
    assert not user.password.startswith("pbkdf2_sha256_temporary$")
    assert account.temporary_password and user.check_password(account.temporary_password)
    assert user.must_change_password
