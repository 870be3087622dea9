from __future__ import annotations

import logging

import pytest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.selectors import account_get, account_list, accounts_by_id
from apps.accounts.services import (
    account_change_role,
    account_create,
    account_create_by,
    account_deactivate,
    account_discard,
    account_get_linkable,
    account_reactivate,
    account_reset_password,
    username_base_from_name,
)
from apps.core.exceptions import NotFound, ValidationError
from apps.tenancy.models import Hospital
from conftest import TEST_PASSWORD, make_user


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
    assert username_base_from_name("Zöhrə Əliyeva-Quliyeva") == "zohre.eliyeva.quliyeva"
    assert username_base_from_name("Rəşad Məmmədov") == "reshad.memmedov"
    assert username_base_from_name("Şəhla Qılınc") == "shehla.qilinc"
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


# -- managing a hospital's accounts ---------------------------------------------------


def test_a_password_reset_issues_a_new_temporary_password_that_is_never_logged(
    hospital_a: Hospital, admin_a: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    nurse = make_user(hospital_a, Role.NURSE)
    issued = account_reset_password(user=nurse, actor=admin_a)
    nurse.refresh_from_db()
    assert nurse.check_password(issued.temporary_password)
    assert not nurse.check_password(TEST_PASSWORD)
    assert nurse.must_change_password
    assert f"password of {nurse.username} reset" in caplog.text
    assert issued.temporary_password not in caplog.text
    assert issued.temporary_password not in repr(issued)


def test_accounts_of_another_hospital_cannot_be_managed(
    hospital_a: Hospital, hospital_b: Hospital, admin_a: User
) -> None:
    outsider = make_user(hospital_b, Role.NURSE)
    with pytest.raises(ValidationError, match="Only this hospital's administrators"):
        account_reset_password(user=outsider, actor=admin_a)
    with pytest.raises(ValidationError):
        account_deactivate(user=outsider, actor=admin_a)
    outsider.refresh_from_db()
    assert outsider.is_active and outsider.check_password(TEST_PASSWORD)


def test_only_a_hospital_admin_may_manage_accounts(hospital_a: Hospital) -> None:
    receptionist = make_user(hospital_a, Role.RECEPTIONIST)
    nurse = make_user(hospital_a, Role.NURSE)
    with pytest.raises(ValidationError, match="administrators"):
        account_change_role(user=nurse, role=Role.DOCTOR, actor=receptionist)


def test_platform_accounts_are_not_managed_from_a_hospital(
    hospital_a: Hospital, admin_a: User
) -> None:
    platform_admin = make_user(None, Role.PLATFORM_ADMIN)
    with pytest.raises(ValidationError, match="platform admin"):
        account_reset_password(user=platform_admin, actor=admin_a)


def test_deactivating_stops_sign_in_and_reactivating_restores_it(
    hospital_a: Hospital, admin_a: User
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    account_deactivate(user=nurse, actor=admin_a)
    nurse.refresh_from_db()
    assert not nurse.is_active and not nurse.belongs_to(hospital_a.pk)
    account_reactivate(user=nurse, actor=admin_a)
    nurse.refresh_from_db()
    assert nurse.is_active and nurse.belongs_to(hospital_a.pk)


def test_an_admin_cannot_deactivate_or_demote_themselves(
    hospital_a: Hospital, admin_a: User
) -> None:
    with pytest.raises(ValidationError, match="your own account"):
        account_deactivate(user=admin_a, actor=admin_a)
    with pytest.raises(ValidationError, match="your own role"):
        account_change_role(user=admin_a, role=Role.NURSE, actor=admin_a)
    admin_a.refresh_from_db()
    assert admin_a.is_active and admin_a.role == Role.HOSPITAL_ADMIN


def test_the_last_active_admin_of_a_hospital_is_kept(hospital_a: Hospital, admin_a: User) -> None:
    second_admin = make_user(hospital_a, Role.HOSPITAL_ADMIN)
    superuser = User.objects.create_superuser("root", "root@example.com", TEST_PASSWORD)
    account_deactivate(user=admin_a, actor=superuser)
    with pytest.raises(ValidationError, match="last active administrator"):
        account_deactivate(user=second_admin, actor=superuser)
    with pytest.raises(ValidationError, match="last active administrator"):
        account_change_role(user=second_admin, role=Role.DOCTOR, actor=superuser)
    second_admin.refresh_from_db()
    assert second_admin.is_active and second_admin.role == Role.HOSPITAL_ADMIN


def test_a_role_change_moves_between_staff_roles_only(hospital_a: Hospital, admin_a: User) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    account_change_role(user=nurse, role=Role.DOCTOR, actor=admin_a)
    nurse.refresh_from_db()
    assert nurse.role == Role.DOCTOR
    with pytest.raises(ValidationError, match="not a staff role"):
        account_change_role(user=nurse, role=Role.PATIENT, actor=admin_a)
    with pytest.raises(ValidationError, match="not a staff role"):
        account_change_role(user=nurse, role=Role.PLATFORM_ADMIN, actor=admin_a)
    patient = make_user(hospital_a, Role.PATIENT)
    with pytest.raises(ValidationError, match="portal account"):
        account_change_role(user=patient, role=Role.NURSE, actor=admin_a)
    nurse.refresh_from_db()
    patient.refresh_from_db()
    assert nurse.role == Role.DOCTOR and patient.role == Role.PATIENT


def test_an_unused_account_can_be_discarded_but_a_used_one_is_kept(hospital_a: Hospital) -> None:
    fresh = account_create(hospital=hospital_a, full_name="New Person", role=Role.PATIENT)
    account_discard(user=fresh.user)
    assert not User.objects.filter(pk=fresh.user.pk).exists()
    used = make_user(hospital_a, Role.NURSE)
    User.objects.filter(pk=used.pk).update(last_login=timezone.now())
    used.refresh_from_db()
    with pytest.raises(ValidationError, match="signed in already"):
        account_discard(user=used)
    assert User.objects.filter(pk=used.pk).exists()


# -- reading a hospital's accounts ----------------------------------------------------


def test_the_account_list_is_one_hospitals_and_searches_name_username_and_email(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    amina = account_create(
        hospital=hospital_a, full_name="Amina Karimova", role=Role.NURSE, email="ak@city.test"
    ).user
    rauf = account_create(hospital=hospital_a, full_name="Rauf Mammadov", role=Role.DOCTOR).user
    account_create(hospital=hospital_b, full_name="Amina Aliyeva", role=Role.NURSE)
    assert list(account_list(hospital=hospital_a, query="amina")) == [amina]
    assert list(account_list(hospital=hospital_a, query="AK@CITY")) == [amina]
    assert list(account_list(hospital=hospital_a, query="rauf mamm")) == [rauf]
    assert list(account_list(hospital=hospital_a, query="rauf karimova")) == []
    assert list(account_list(hospital=hospital_a, role=Role.DOCTOR)) == [rauf]
    every_account = set(account_list(hospital=hospital_a))
    assert {amina, rauf} <= every_account
    assert all(user.hospital_id == hospital_a.pk for user in every_account)


def test_an_account_of_another_hospital_is_not_found(
    hospital_a: Hospital, hospital_b: Hospital, admin_b: User
) -> None:
    with pytest.raises(NotFound):
        account_get(hospital=hospital_a, user_id=admin_b.pk)
    assert accounts_by_id(hospital=hospital_a, user_ids=[admin_b.pk, None]) == {}
    assert account_get(hospital=hospital_b, user_id=admin_b.pk) == admin_b


# -- linking accounts to records ------------------------------------------------------


def test_a_linkable_account_must_be_active_and_of_the_same_hospital(
    hospital_a: Hospital, hospital_b: Hospital, admin_a: User
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    assert account_get_linkable(hospital=hospital_a, user_id=nurse.pk) == nurse
    with pytest.raises(ValidationError, match="no such account"):
        account_get_linkable(hospital=hospital_b, user_id=nurse.pk)
    account_deactivate(user=nurse, actor=admin_a)
    with pytest.raises(ValidationError, match="deactivated"):
        account_get_linkable(hospital=hospital_a, user_id=nurse.pk)


def test_temporary_passwords_have_no_look_alike_characters() -> None:
    from apps.accounts.services import temporary_password_generate

    passwords = "".join(temporary_password_generate() for _ in range(200))
    assert not set(passwords) & set("lI1O0o")
    assert len(set(passwords)) > 40  # still letters of both cases and digits


def test_an_account_with_platform_admin_access_is_not_managed_from_a_hospital(
    hospital_a: Hospital, admin_a: User
) -> None:
    """is_staff opens /admin/: a reset from the staff pages would hand it over."""
    nurse = make_user(hospital_a, Role.NURSE)
    User.objects.filter(pk=nurse.pk).update(is_staff=True)
    nurse.refresh_from_db()
    for action in (account_reset_password, account_deactivate):
        with pytest.raises(ValidationError, match="platform admin"):
            action(user=nurse, actor=admin_a)
    with pytest.raises(ValidationError, match="platform admin"):
        account_change_role(user=nurse, role=Role.DOCTOR, actor=admin_a)
    nurse.refresh_from_db()
    assert nurse.check_password(TEST_PASSWORD) and nurse.is_active


def test_a_hospital_admin_cannot_reset_demote_or_deactivate_another_admin(
    hospital_a: Hospital, admin_a: User
) -> None:
    second_admin = make_user(hospital_a, Role.HOSPITAL_ADMIN)
    with pytest.raises(ValidationError, match="platform administrators"):
        account_reset_password(user=second_admin, actor=admin_a)
    with pytest.raises(ValidationError, match="platform administrators"):
        account_deactivate(user=second_admin, actor=admin_a)
    with pytest.raises(ValidationError, match="platform administrators"):
        account_change_role(user=second_admin, role=Role.NURSE, actor=admin_a)
    second_admin.refresh_from_db()
    assert second_admin.check_password(TEST_PASSWORD)
    assert second_admin.is_active and second_admin.role == Role.HOSPITAL_ADMIN


def test_a_hospital_admin_cannot_create_or_promote_an_administrator(
    hospital_a: Hospital, admin_a: User
) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    with pytest.raises(ValidationError, match="platform administrators"):
        account_change_role(user=nurse, role=Role.HOSPITAL_ADMIN, actor=admin_a)
    with pytest.raises(ValidationError, match="platform administrators"):
        account_create_by(
            actor=admin_a, hospital=hospital_a, full_name="Eve Admin", role=Role.HOSPITAL_ADMIN
        )
    nurse.refresh_from_db()
    assert nurse.role == Role.NURSE
    assert not User.objects.filter(first_name="Eve").exists()


def test_the_platform_may_make_and_reset_a_hospital_administrator(
    hospital_a: Hospital, admin_a: User
) -> None:
    superuser = User.objects.create_superuser("root", "root@example.com", TEST_PASSWORD)
    created = account_create_by(
        actor=superuser, hospital=hospital_a, full_name="Second Admin", role=Role.HOSPITAL_ADMIN
    )
    issued = account_reset_password(user=admin_a, actor=superuser)
    admin_a.refresh_from_db()
    assert created.user.role == Role.HOSPITAL_ADMIN
    assert admin_a.check_password(issued.temporary_password)


def test_an_admin_of_another_hospital_cannot_create_accounts_here(
    hospital_a: Hospital, admin_b: User
) -> None:
    with pytest.raises(ValidationError, match="administrators"):
        account_create_by(actor=admin_b, hospital=hospital_a, full_name="X Y", role=Role.NURSE)
