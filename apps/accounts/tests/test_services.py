from __future__ import annotations

import logging

import pytest

from apps.accounts.models import Role, User
from apps.accounts.services import account_create, username_base_from_name
from apps.core.exceptions import ValidationError
from apps.tenancy.models import Hospital


def test_usernames_come_from_the_name_and_stay_unique_across_hospitals(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    first = account_create(hospital=hospital_a, full_name="Amina Karimova", role=Role.NURSE)
    second = account_create(hospital=hospital_b, full_name="Amina Karimova", role=Role.DOCTOR)
    third = account_create(hospital=hospital_a, full_name="amina  KARIMOVA", role=Role.NURSE)
    assert [first.user.username, second.user.username, third.user.username] == [
        "amina.karimova",
        "amina.karimova.2",
        "amina.karimova.3",
    ]


def test_non_ascii_names_make_readable_usernames() -> None:
    assert username_base_from_name("Zöhrə Əliyeva-Quliyeva") == "zohr.liyeva.quliyeva"
    assert username_base_from_name("   ") == "user"


def test_a_temporary_password_is_strong_returned_once_and_must_be_changed(
    hospital_a: Hospital, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    account = account_create(hospital=hospital_a, full_name="Rauf Mammadov", role=Role.DOCTOR)
    password = account.temporary_password
    assert password is not None and len(password) >= 12
    assert any(c.isupper() for c in password) and any(c.isdigit() for c in password)
    user = User.objects.get(pk=account.user.pk)
    assert user.must_change_password and user.check_password(password)
    assert password not in caplog.text
    assert password not in repr(account)


def test_staff_must_belong_to_a_hospital(db: None) -> None:
    with pytest.raises(ValidationError, match="must belong to a hospital"):
        account_create(hospital=None, full_name="Nobody", role=Role.NURSE)


def test_an_unknown_role_is_refused(hospital_a: Hospital) -> None:
    with pytest.raises(ValidationError, match="Unknown role"):
        account_create(hospital=hospital_a, full_name="X Y", role="janitor")
