from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import partial

import pytest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.core.exceptions import Conflict, ValidationError
from apps.core.testing import run_at_once
from apps.numbering.models import DocumentSeries
from apps.patients.models import PATIENT_NUMBER_KIND, Patient
from apps.patients.services import (
    InvalidPatientDetails,
    LikelyDuplicates,
    patient_register,
    patient_update,
    phone_normalize,
)
from apps.patients.tests.factories import details, register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def patient_series() -> DocumentSeries:
    return DocumentSeries.objects.get(kind=PATIENT_NUMBER_KIND, year=0)


def test_patient_numbers_carry_the_hospital_code_and_count_up(hospital_a: Hospital) -> None:
    first = register(hospital_a)
    second = register(hospital_a, first_name="Samir")
    assert first.number == f"{hospital_a.code}-PAT-000001"
    assert second.number == f"{hospital_a.code}-PAT-000002"


def test_each_hospital_numbers_its_own_patients(hospital_a: Hospital, hospital_b: Hospital) -> None:
    register(hospital_a)
    register(hospital_a, first_name="Samir")
    assert register(hospital_b).number == f"{hospital_b.code}-PAT-000001"
    with tenant_context(hospital_b):
        assert Patient.objects.count() == 1


def test_concurrent_registrations_never_share_a_number(hospital_a: Hospital) -> None:
    threads_count, per_thread = 8, 5

    def registrar(index: int) -> list[str]:
        return [
            patient_register(
                hospital=hospital_a,
                details=details(
                    first_name=f"P{index}x{round_}", phone=f"+99450{index}{round_}00000"
                ),
            ).patient.number
            for round_ in range(per_thread)
        ]

    with tenant_context(hospital_a):
        outcomes = run_at_once(*(partial(registrar, index) for index in range(threads_count)))
    numbers = [number for outcome in outcomes for number in outcome.result]
    expected = {f"{hospital_a.code}-PAT-{n:06d}" for n in range(1, threads_count * per_thread + 1)}
    assert len(numbers) == threads_count * per_thread
    assert set(numbers) == expected
    with tenant_context(hospital_a):
        assert patient_series().last_value == threads_count * per_thread


def test_registration_stores_normalised_details(hospital_a: Hospital) -> None:
    patient = register(hospital_a, first_name="  Nizami ", phone="+994 (50) 123-45-67")
    with tenant_context(hospital_a):
        patient = Patient.objects.get(pk=patient.pk)
    assert patient.first_name == "Nizami"
    assert patient.phone == "+994501234567"
    assert patient.emergency_contact_phone == "+994557654321"
    assert patient.allergies == "Penicillin" and patient.blood_group == "O+"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"birth_date": date.today() + timedelta(days=1)}, "birth_date", "future"),
        ({"birth_date": date(1890, 1, 1)}, "birth_date", "more than 120 years"),
        ({"phone": "call me"}, "phone", "valid phone number"),
        ({"phone": "12-34"}, "phone", "valid phone number"),
        ({"phone": "  "}, "phone", "Enter a phone"),
        ({"email": "nizami@"}, "email", "valid email"),
        ({"first_name": "  "}, "first_name", "first name"),
        ({"sex": "x"}, "sex", "sex"),
        ({"blood_group": "C+"}, "blood_group", "blood group"),
        ({"emergency_contact_phone": "abc"}, "emergency_contact_phone", "valid phone number"),
    ],
)
def test_invalid_details_are_refused_with_the_field_named(
    hospital_a: Hospital, changes: dict[str, object], field: str, message: str
) -> None:
    with tenant_context(hospital_a), pytest.raises(InvalidPatientDetails) as caught:
        patient_register(hospital=hospital_a, details=details(**changes))
    assert message in caught.value.errors[field]
    with tenant_context(hospital_a):
        assert not Patient.objects.exists()


def test_every_wrong_field_is_reported_at_once(hospital_a: Hospital) -> None:
    wrong = details(last_name="", phone="x", email="y", birth_date=date(3000, 1, 1))
    with tenant_context(hospital_a), pytest.raises(InvalidPatientDetails) as caught:
        patient_register(hospital=hospital_a, details=wrong)
    assert set(caught.value.errors) == {"last_name", "phone", "email", "birth_date"}


def _exactly_120_years_before(today: date) -> date:
    """The same calendar day 120 years earlier; 29 February falls back to the 28th."""
    try:
        return today.replace(year=today.year - 120)
    except ValueError:
        return today.replace(year=today.year - 120, day=28)


def test_a_birth_date_exactly_120_years_ago_is_accepted(hospital_a: Hospital) -> None:
    oldest = _exactly_120_years_before(timezone.localdate())
    assert register(hospital_a, birth_date=oldest).birth_date == oldest


def test_a_birth_date_a_day_more_than_120_years_ago_is_refused(hospital_a: Hospital) -> None:
    too_old = _exactly_120_years_before(timezone.localdate()) - timedelta(days=1)
    with tenant_context(hospital_a), pytest.raises(InvalidPatientDetails) as caught:
        patient_register(hospital=hospital_a, details=details(birth_date=too_old))
    assert "120 years" in caught.value.errors["birth_date"]


def test_phone_numbers_are_normalised_or_refused() -> None:
    # a number without a country code is Azerbaijani; stored in E.164
    assert phone_normalize(" 050-123 45 67 ") == "+994501234567"
    assert phone_normalize("+1 (212) 555.0100") == "+12125550100"
    for bad in ("12345", "+1234567890123456", "050 123 45 67 ext 2", "++994501234567"):
        with pytest.raises(ValueError):
            phone_normalize(bad)


def test_same_name_birth_date_and_sex_is_a_likely_duplicate(hospital_a: Hospital) -> None:
    existing = register(hospital_a)
    again = details(first_name="NIZAMI", last_name="aliyev", phone="+994 70 000 00 00")
    with tenant_context(hospital_a), pytest.raises(LikelyDuplicates) as caught:
        patient_register(hospital=hospital_a, details=again)
    assert caught.value.matches == [existing]


def test_same_phone_is_a_likely_duplicate(hospital_a: Hospital) -> None:
    existing = register(hospital_a)
    other_person = details(first_name="Samir", last_name="Huseynov", phone="+994501234567")
    with tenant_context(hospital_a), pytest.raises(LikelyDuplicates) as caught:
        patient_register(hospital=hospital_a, details=other_person)
    assert caught.value.matches == [existing]


def test_a_different_person_is_not_a_duplicate(hospital_a: Hospital) -> None:
    register(hospital_a)
    with tenant_context(hospital_a):
        patient_register(
            hospital=hospital_a,
            details=details(birth_date=date(1990, 1, 1), phone="+994 70 111 22 33"),
        )
        patient_register(
            hospital=hospital_a,
            details=details(sex="female", first_name="Nizami", phone="+994 70 111 22 34"),
        )
        assert Patient.objects.count() == 3


def test_the_duplicate_warning_is_advisory(hospital_a: Hospital) -> None:
    register(hospital_a)
    with tenant_context(hospital_a):
        registered = patient_register(
            hospital=hospital_a, details=details(), confirm_duplicates=True
        )
        assert Patient.objects.count() == 2
    assert registered.patient.number.endswith("000002")


def test_a_portal_account_is_created_and_linked_in_the_same_action(
    hospital_a: Hospital, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with tenant_context(hospital_a):
        registered = patient_register(hospital=hospital_a, details=details(), portal_account=True)
    account = registered.account
    assert account is not None and account.temporary_password
    user = User.objects.get(pk=account.user.pk)
    assert user.role == Role.PATIENT and user.hospital_id == hospital_a.pk
    assert user.must_change_password and user.email == "nizami@example.com"
    assert user.check_password(account.temporary_password)
    assert registered.patient.user_id == user.pk
    assert account.temporary_password not in caplog.text


def test_if_the_account_cannot_be_created_no_patient_is_saved(hospital_a: Hospital) -> None:
    # Every username the name could give is taken, so account creation fails.
    User.objects.bulk_create(
        [User(username="nizami.aliyev")]
        + [User(username=f"nizami.aliyev.{n}") for n in range(2, 51)]
    )
    with tenant_context(hospital_a):
        with pytest.raises(ValidationError, match="free username"):
            patient_register(hospital=hospital_a, details=details(), portal_account=True)
        assert not Patient.objects.exists()
    # ... and no number was spent on it.
    assert register(hospital_a).number.endswith("-PAT-000001")


def test_if_the_patient_cannot_be_saved_the_new_account_is_removed(hospital_a: Hospital) -> None:
    taken = register(hospital_a)
    # Put the sequence back so the next number clashes with the existing patient.
    with tenant_context(hospital_a):
        DocumentSeries.objects.filter(kind=PATIENT_NUMBER_KIND).update(last_value=0)
        with pytest.raises(Conflict, match="could not be saved"):
            patient_register(
                hospital=hospital_a,
                details=details(first_name="Samir", phone="+994 70 999 99 99"),
                portal_account=True,
            )
        assert list(Patient.objects.all()) == [taken]
        assert patient_series().last_value == 0
    assert not User.objects.filter(role=Role.PATIENT).exists()


def test_an_update_validates_and_refreshes_what_search_uses(hospital_a: Hospital) -> None:
    patient = register(hospital_a)
    with tenant_context(hospital_a):
        with pytest.raises(InvalidPatientDetails):
            patient_update(patient=patient, details=details(phone="nope"))
        patient_update(patient=patient, details=details(last_name="Mammadli", phone="0701112233"))
        saved = Patient.objects.get(pk=patient.pk)
    assert saved.last_name == "Mammadli" and saved.phone == "+994701112233"
    assert "mammadli" in saved.search_text and "0701112233" in saved.search_text
    assert saved.number == patient.number


def test_two_identical_registrations_at_the_same_moment_register_one_person(
    hospital_a: Hospital,
) -> None:
    """A retry, two tabs or two receptionists: each pair sent at once, eight pairs."""
    pairs = 8
    outcomes: list[str] = []

    def registrar(person: int) -> str:
        same = details(first_name=f"Twin{person}", phone=f"+99455{person:02d}00000")
        try:
            patient_register(hospital=hospital_a, details=same)
            return "registered"
        except LikelyDuplicates:
            return "refused as a likely duplicate"

    for person in range(pairs):
        with tenant_context(hospital_a):
            pair = run_at_once(partial(registrar, person), partial(registrar, person))
        outcomes.extend(outcome.result for outcome in pair)
    assert sorted(outcomes) == ["refused as a likely duplicate"] * pairs + ["registered"] * pairs
    with tenant_context(hospital_a):
        assert Patient.objects.count() == pairs


def test_a_confirmed_registration_sent_twice_at_once_registers_one_more_person(
    hospital_a: Hospital,
) -> None:
    existing = register(hospital_a)

    def confirm() -> str:
        try:
            patient_register(
                hospital=hospital_a, details=details(), confirmed_matches=[existing.pk]
            )
            return "registered"
        except LikelyDuplicates as exc:
            return f"refused: {len(exc.matches)} matches"

    with tenant_context(hospital_a):
        outcomes = [outcome.result for outcome in run_at_once(confirm, confirm)]
    assert sorted(outcomes) == ["refused: 2 matches", "registered"]
    with tenant_context(hospital_a):
        assert Patient.objects.count() == 2
