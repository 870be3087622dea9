"""Each hospital's audit log: what is recorded, that it is append-only and lives in
the hospital's own database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connections, router

from apps.accounts.models import Role, User
from apps.audit.models import ClinicalEvent
from apps.audit.services import clinical_event_record
from apps.patients.services import patient_update
from apps.patients.tests.factories import details, register
from apps.platform_audit.models import AppendOnlyError
from apps.platform_audit.origin import RequestOrigin, request_origin
from apps.staff.services import (
    staff_account_change_role,
    staff_account_deactivate,
    staff_account_reset_password,
    staff_member_update,
)
from apps.staff.tests.factories import add_staff_member
from apps.staff.tests.factories import details as staff_details
from apps.tenancy.context import tenant_context
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def log_of(hospital: Hospital) -> list[ClinicalEvent]:
    with tenant_context(hospital):
        return list(ClinicalEvent.objects.order_by("id"))


def test_registering_and_editing_a_patient_records_who_what_and_each_change(
    hospital_a: Hospital, admin_a: User
) -> None:
    patient = register(hospital_a)
    with tenant_context(hospital_a):
        patient_update(patient=patient, details=details(phone="+994 50 999 88 77"))
    registered, updated = log_of(hospital_a)
    assert registered.action == "patient.registered"
    assert registered.entity_label == patient.number and registered.entity_id == str(patient.pk)
    assert updated.action == "patient.updated"
    assert updated.changes == {"phone": ["+994501234567", "+994509998877"]}


def test_the_actor_and_address_come_from_the_request_when_not_given(
    hospital_a: Hospital, admin_a: User
) -> None:
    class FakeRequest:
        user = admin_a

    with request_origin(RequestOrigin(address="192.0.2.44", request=FakeRequest())):  # type: ignore[arg-type]
        register(hospital_a)
    [event] = log_of(hospital_a)
    assert (event.actor_id, event.actor_username, event.address) == (
        admin_a.pk,
        admin_a.username,
        "192.0.2.44",
    )


def test_an_event_is_rolled_back_with_the_change_it_records(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a), pytest.raises(RuntimeError), tenant_atomic():
        clinical_event_record(action="patient.updated", entity="patient", entity_id=1)
        raise RuntimeError("the change failed")
    assert log_of(hospital_a) == []


def test_events_stay_in_their_own_hospitals_database(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    register(hospital_a)
    assert len(log_of(hospital_a)) == 1 and log_of(hospital_b) == []


def test_the_hospital_log_is_append_only_even_in_raw_sql(hospital_a: Hospital) -> None:
    register(hospital_a)
    with tenant_context(hospital_a):
        event = ClinicalEvent.objects.get()
        with pytest.raises(AppendOnlyError):
            event.save()
        with pytest.raises(AppendOnlyError):
            ClinicalEvent.objects.update(action="x")
        with pytest.raises(AppendOnlyError):
            event.delete()
        alias = router.db_for_write(ClinicalEvent)
        for statement in (
            "UPDATE audit_clinicalevent SET action = 'x'",
            "DELETE FROM audit_clinicalevent",
        ):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                connections[alias].cursor() as cursor,
            ):
                cursor.execute(statement)
        assert ClinicalEvent.objects.get().action == "patient.registered"


def test_staff_records_and_login_management_are_recorded_with_the_administrator(
    hospital_a: Hospital, admin_a: User
) -> None:
    member = add_staff_member(hospital_a)
    nurse = make_user(hospital_a, Role.NURSE)
    with tenant_context(hospital_a):
        staff_member_update(staff_member=member, details=staff_details(job_title="Matron"))
        staff_account_reset_password(user=nurse, actor=admin_a)
        staff_account_change_role(user=nurse, role=Role.DOCTOR, actor=admin_a)
        staff_account_deactivate(user=nurse, actor=admin_a)
    actions = [(e.action, e.actor_username) for e in log_of(hospital_a)]
    assert actions == [
        ("staff_member.created", ""),
        ("staff_member.updated", ""),
        ("account.password_reset", admin_a.username),
        ("account.role_changed", admin_a.username),
        ("account.deactivated", admin_a.username),
    ]
    events = log_of(hospital_a)
    assert events[1].changes == {"job_title": ["Head nurse", "Matron"]}
    assert events[3].changes == {"role": ["nurse", "doctor"]}
    assert all(e.entity_label == nurse.username for e in events[2:])


def test_hospital_sign_ins_and_failures_are_in_the_hospitals_log(hospital_a: Hospital) -> None:
    nurse = make_user(hospital_a, Role.NURSE)
    client = hospital_client(hospital_a)
    client.post(
        "/login/", {"username": nurse.username, "password": "wrong"}, REMOTE_ADDR="192.0.2.5"
    )
    client.post(
        "/login/",
        {"username": nurse.username, "password": "Correct-Horse-42"},
        REMOTE_ADDR="192.0.2.5",
    )
    client.post("/logout/", REMOTE_ADDR="192.0.2.5")
    events = [(e.action, e.actor_username, e.address) for e in log_of(hospital_a)]
    assert events == [
        ("session.sign_in_failed", nurse.username, "192.0.2.5"),
        ("session.signed_in", nurse.username, "192.0.2.5"),
        ("session.signed_out", nurse.username, "192.0.2.5"),
    ]
