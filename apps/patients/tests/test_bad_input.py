"""Generated bad input (hypothesis) over the patient registration and edit forms: never a
server error, and either one patient saved (with its login, if asked) or nothing at all."""

from __future__ import annotations

from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import Role, User
from apps.patients.models import Patient
from apps.patients.tests.factories import form_data, register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

GENERATED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: text as people and scripts really send it: any Unicode (NUL and controls included),
#: very long, or the field left out altogether (None)
junk = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(min_size=200, max_size=5000),
    st.sampled_from(["", " ", "\x00", "0", "-1", "1e309", "NaN", "'; DROP TABLE x; --"]),
)
dates = st.one_of(
    junk,
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2024-02-30", "0000-01-01", "9999-12-31", "31/12/1990", "1990-13-01"]),
)
choices = st.one_of(junk, st.sampled_from(["male", "female", "other", "O+", "AB-", "on", "x"]))

registrations = st.fixed_dictionaries(
    {
        "first_name": junk,
        "last_name": junk,
        "sex": choices,
        "birth_date": dates,
        "phone": st.one_of(junk, st.from_regex(r"\+?[0-9 ()./-]{0,25}", fullmatch=True)),
        "email": st.one_of(junk, st.emails()),
        "address": junk,
        "blood_group": choices,
        "allergies": junk,
        "emergency_contact_name": junk,
        "emergency_contact_phone": junk,
        "portal_account": st.one_of(st.none(), st.sampled_from(["on", "", "yes"])),
        "confirm_duplicates": junk,
    }
)


def sent(data: dict[str, Any]) -> dict[str, str]:
    return {name: value for name, value in data.items() if value is not None}


def counts(hospital: Hospital) -> tuple[int, int]:
    with tenant_context(hospital):
        patients = Patient.objects.count()
    return patients, User.objects.filter(hospital=hospital, role=Role.PATIENT).count()


def test_generated_registrations_never_fail_the_server_nor_save_half_a_patient(
    hospital_a: Hospital,
) -> None:
    client: Client = hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))
    outcomes: set[int] = set()

    @GENERATED
    @given(data=registrations)
    def check(data: dict[str, Any]) -> None:
        patients, logins = counts(hospital_a)
        response = client.post("/patients/register/", sent(data))
        # 409: the same values sent again within a minute (hypothesis repeats examples)
        assert response.status_code in (200, 302, 409), response.status_code
        outcomes.add(response.status_code)
        after_patients, after_logins = counts(hospital_a)
        if response.status_code == 302 or "temporary-password" in response.text:
            assert after_patients == patients + 1
            assert after_logins == logins + (1 if data["portal_account"] else 0)
        else:
            assert (after_patients, after_logins) == (patients, logins)

    check()
    assert 200 in outcomes


def test_generated_edits_never_fail_the_server_nor_change_a_patient_half_way(
    hospital_a: Hospital,
) -> None:
    patient = register(hospital_a)
    client = hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))
    url = f"/patients/{patient.pk}/edit/"

    @GENERATED
    @given(data=registrations)
    def check(data: dict[str, Any]) -> None:
        with tenant_context(hospital_a):
            before = Patient.objects.values().get(pk=patient.pk)
        response = client.post(url, {**form_data(), **sent(data)})
        assert response.status_code in (200, 302), response.status_code
        with tenant_context(hospital_a):
            after = Patient.objects.values().get(pk=patient.pk)
        if response.status_code != 302:
            assert after == before

    check()
