from __future__ import annotations

import logging

import pytest

from apps.accounts.models import Role, User
from apps.accounts.services import account_deactivate
from apps.core.exceptions import Conflict, ValidationError
from apps.patients.tests.factories import register
from apps.staff.models import StaffMember
from apps.staff.selectors import (
    account_rows,
    linkable_accounts,
    linked_records_by_user,
    staff_member_search,
)
from apps.staff.services import (
    InvalidStaffDetails,
    staff_member_create,
    staff_member_create_login,
    staff_member_link_account,
    staff_member_unlink_account,
    staff_member_update,
)
from apps.staff.tests.factories import add_staff_member, details
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user


def test_a_staff_record_is_saved_with_normalised_details(hospital_a: Hospital) -> None:
    member = add_staff_member(hospital_a, first_name=" Gunel  ", phone="050 111-22-33")
    with tenant_context(hospital_a):
        saved = StaffMember.objects.get(pk=member.pk)
    assert saved.first_name == "Gunel" and saved.phone == "+994501112233"
    assert saved.is_active and saved.user_id is None


def test_every_wrong_staff_field_is_reported_at_once(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a), pytest.raises(InvalidStaffDetails) as caught:
        staff_member_create(details=details(last_name="", job_title=" ", phone="x", email="y@"))
    assert set(caught.value.errors) == {"last_name", "job_title", "phone", "email"}
    with tenant_context(hospital_a):
        assert not StaffMember.objects.exists()


def test_an_update_changes_the_record_and_its_search_text(hospital_a: Hospital) -> None:
    member = add_staff_member(hospital_a)
    with tenant_context(hospital_a):
        staff_member_update(
            staff_member=member, details=details(department="Surgery", is_active=False)
        )
        assert [m.department for m in staff_member_search(query="surg")] == ["Surgery"]
        assert not StaffMember.objects.get().is_active


def test_the_staff_search_matches_name_job_title_and_department(hospital_a: Hospital) -> None:
    add_staff_member(hospital_a)
    add_staff_member(hospital_a, first_name="Orxan", job_title="Porter", department="")
    with tenant_context(hospital_a):
        assert [m.first_name for m in staff_member_search(query="cardio")] == ["Gunel"]
        assert [m.first_name for m in staff_member_search(query="ORXAN porter")] == ["Orxan"]
        assert staff_member_search(query="orxan nurse").count() == 0


def test_a_staff_login_links_to_a_record(hospital_a: Hospital) -> None:
    member = add_staff_member(hospital_a)
    nurse = make_user(hospital_a, Role.NURSE)
    with tenant_context(hospital_a):
        staff_member_link_account(staff_member=member, hospital=hospital_a, user_id=nurse.pk)
        assert StaffMember.objects.get().user_id == nurse.pk
        staff_member_unlink_account(staff_member=member)
        assert StaffMember.objects.get().user_id is None


def test_a_login_links_to_at_most_one_record_of_any_kind(hospital_a: Hospital) -> None:
    first, second = add_staff_member(hospital_a), add_staff_member(hospital_a, first_name="Orxan")
    nurse = make_user(hospital_a, Role.NURSE)
    with tenant_context(hospital_a):
        staff_member_link_account(staff_member=first, hospital=hospital_a, user_id=nurse.pk)
        with pytest.raises(ValidationError, match="already linked to staff member Gunel"):
            staff_member_link_account(staff_member=second, hospital=hospital_a, user_id=nurse.pk)
        assert StaffMember.objects.get(pk=second.pk).user_id is None


def test_a_record_with_a_login_must_be_unlinked_before_another_is_linked(
    hospital_a: Hospital,
) -> None:
    member = add_staff_member(hospital_a)
    nurse, doctor = make_user(hospital_a, Role.NURSE), make_user(hospital_a, Role.DOCTOR)
    with tenant_context(hospital_a):
        staff_member_link_account(staff_member=member, hospital=hospital_a, user_id=nurse.pk)
        with pytest.raises(Conflict, match="unlink it first"):
            staff_member_link_account(staff_member=member, hospital=hospital_a, user_id=doctor.pk)
        assert StaffMember.objects.get().user_id == nurse.pk


def test_only_an_active_staff_login_of_the_same_hospital_can_be_linked(
    hospital_a: Hospital, hospital_b: Hospital, admin_a: User
) -> None:
    member = add_staff_member(hospital_a)
    outsider = make_user(hospital_b, Role.NURSE)
    deactivated = make_user(hospital_a, Role.NURSE)
    account_deactivate(user=deactivated, actor=admin_a)
    patient_login = make_user(hospital_a, Role.PATIENT)
    with tenant_context(hospital_a):
        with pytest.raises(ValidationError, match="no such account"):
            staff_member_link_account(staff_member=member, hospital=hospital_a, user_id=outsider.pk)
        with pytest.raises(ValidationError, match="deactivated"):
            staff_member_link_account(
                staff_member=member, hospital=hospital_a, user_id=deactivated.pk
            )
        with pytest.raises(ValidationError, match="portal login"):
            staff_member_link_account(
                staff_member=member, hospital=hospital_a, user_id=patient_login.pk
            )
        assert StaffMember.objects.get().user_id is None


def test_a_login_created_for_a_record_is_linked_and_its_password_never_logged(
    hospital_a: Hospital, admin_a: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    member = add_staff_member(hospital_a)
    with tenant_context(hospital_a):
        created = staff_member_create_login(
            staff_member=member, hospital=hospital_a, role=Role.NURSE, actor=admin_a
        )
        assert StaffMember.objects.get().user_id == created.user.pk
    user = User.objects.get(pk=created.user.pk)
    assert user.username == "gunel.rzayeva" and user.role == Role.NURSE
    assert user.email == "gunel@example.com" and user.must_change_password
    assert created.temporary_password and user.check_password(created.temporary_password)
    assert created.temporary_password not in caplog.text


def test_a_login_is_not_created_for_a_record_that_has_one_or_with_a_non_staff_role(
    hospital_a: Hospital, admin_a: User
) -> None:
    member = add_staff_member(hospital_a)
    with tenant_context(hospital_a):
        with pytest.raises(ValidationError, match="not a staff role"):
            staff_member_create_login(
                staff_member=member, hospital=hospital_a, role=Role.PATIENT, actor=admin_a
            )
        staff_member_create_login(
            staff_member=member, hospital=hospital_a, role=Role.NURSE, actor=admin_a
        )
        with pytest.raises(Conflict, match="has a login already"):
            staff_member_create_login(
                staff_member=member, hospital=hospital_a, role=Role.DOCTOR, actor=admin_a
            )
    assert User.objects.filter(hospital=hospital_a, role__in=[Role.NURSE, Role.DOCTOR]).count() == 1


def test_if_the_link_cannot_be_saved_the_new_login_is_removed(
    hospital_a: Hospital, admin_a: User
) -> None:
    member = add_staff_member(hospital_a)
    with tenant_context(hospital_a):
        StaffMember.objects.filter(pk=member.pk).delete()  # gone meanwhile
        with pytest.raises(Exception, match="did not affect any rows"):
            staff_member_create_login(
                staff_member=member, hospital=hospital_a, role=Role.NURSE, actor=admin_a
            )
    assert not User.objects.filter(username="gunel.rzayeva").exists()


def test_linked_records_are_found_across_every_kind_of_record(hospital_a: Hospital) -> None:
    member = add_staff_member(hospital_a)
    nurse = make_user(hospital_a, Role.NURSE)
    patient_login = make_user(hospital_a, Role.PATIENT)
    unlinked = make_user(hospital_a, Role.DOCTOR)
    patient = register(hospital_a)
    with tenant_context(hospital_a):
        staff_member_link_account(staff_member=member, hospital=hospital_a, user_id=nurse.pk)
        from apps.accounts.links import record_link_user

        record_link_user(record=patient, hospital=hospital_a, user_id=patient_login.pk)
        records = linked_records_by_user(user_ids=[nurse.pk, patient_login.pk, unlinked.pk])
        assert records == {nurse.pk: member, patient_login.pk: patient}
        rows = account_rows(users=[nurse, unlinked])
        assert [(row.staff_member, row.record_kind) for row in rows] == [
            (member, "staff member"),
            (None, ""),
        ]


def test_linkable_logins_are_active_unlinked_staff_logins(
    hospital_a: Hospital, hospital_b: Hospital, admin_a: User
) -> None:
    member = add_staff_member(hospital_a)
    linked, free = make_user(hospital_a, Role.NURSE), make_user(hospital_a, Role.DOCTOR)
    deactivated = make_user(hospital_a, Role.NURSE)
    account_deactivate(user=deactivated, actor=admin_a)
    make_user(hospital_a, Role.PATIENT)
    make_user(hospital_b, Role.NURSE)
    with tenant_context(hospital_a):
        staff_member_link_account(staff_member=member, hospital=hospital_a, user_id=linked.pk)
        assert set(linkable_accounts(hospital=hospital_a)) == {free, admin_a}


def test_a_hospital_admin_cannot_make_an_administrators_login_for_a_record(
    hospital_a: Hospital, admin_a: User
) -> None:
    member = add_staff_member(hospital_a)
    with tenant_context(hospital_a), pytest.raises(ValidationError, match="platform"):
        staff_member_create_login(
            staff_member=member, hospital=hospital_a, role=Role.HOSPITAL_ADMIN, actor=admin_a
        )
    assert User.objects.filter(hospital=hospital_a, role=Role.HOSPITAL_ADMIN).count() == 1
