from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest

from apps.accounts.models import Role, User
from apps.accounts.services import username_base_from_name, username_candidates
from apps.core.exceptions import ValidationError
from apps.doctors.models import Doctor, DoctorSchedule
from apps.doctors.services import (
    LoginAction,
    WorkingHours,
    doctor_create,
    doctor_update,
    schedule_validate,
)
from apps.doctors.tests.conftest import MONDAY_MORNING, Place, details_at
from apps.regions.models import Clinic
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user

pytestmark = pytest.mark.usefixtures("in_hospital_a")


def test_a_doctor_is_created_with_weekly_hours(hospital_a: Hospital, baku: Place) -> None:
    saved = doctor_create(
        hospital=hospital_a,
        details=details_at(baku, full_name="  Nigar   Əliyeva "),
        schedule=[MONDAY_MORNING],
    )
    doctor = Doctor.objects.get(pk=saved.doctor.pk)
    assert doctor.full_name == "Nigar Əliyeva"
    assert doctor.clinic == baku.clinic and doctor.consulting_fee == Decimal("40.00")
    assert [(row.weekday, row.slot_minutes) for row in doctor.schedule.all()] == [(0, 20)]
    assert saved.account is None and doctor.user_id is None


def test_a_city_outside_the_region_is_refused_on_the_city_field(
    hospital_a: Hospital, baku: Place, ganja: Place
) -> None:
    with pytest.raises(ValidationError) as error:
        doctor_create(hospital=hospital_a, details=details_at(baku, city=ganja.city))
    assert error.value.field == "city"
    assert "is not in Bakı" in error.value.message
    assert not Doctor.objects.exists()


def test_a_clinic_outside_the_city_is_refused_on_the_clinic_field(
    hospital_a: Hospital, baku: Place, ganja: Place
) -> None:
    with pytest.raises(ValidationError) as error:
        doctor_create(hospital=hospital_a, details=details_at(baku, clinic=ganja.clinic))
    assert error.value.field == "clinic"
    assert f"{ganja.clinic.name} is not in {baku.city.name}" in error.value.message


def test_a_deactivated_clinic_cannot_be_chosen_for_a_new_doctor(
    hospital_a: Hospital, baku: Place
) -> None:
    Clinic.objects.filter(pk=baku.clinic.pk).update(is_active=False)
    baku.clinic.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        doctor_create(hospital=hospital_a, details=details_at(baku))
    assert error.value.field == "clinic"


def test_an_existing_doctor_keeps_a_clinic_deactivated_since(
    hospital_a: Hospital, baku: Place
) -> None:
    doctor = doctor_create(hospital=hospital_a, details=details_at(baku)).doctor
    Clinic.objects.filter(pk=baku.clinic.pk).update(is_active=False)
    baku.clinic.refresh_from_db()
    doctor_update(
        hospital=hospital_a,
        doctor=doctor,
        details=details_at(baku, consulting_fee=Decimal(55)),
        schedule=[],
    )
    doctor.refresh_from_db()
    assert doctor.consulting_fee == Decimal("55.00") and doctor.clinic_id == baku.clinic.pk


@pytest.mark.parametrize(
    ("typed", "kept"),
    [(Decimal("0.005"), Decimal("0.01")), (Decimal("40.005"), Decimal("40.01"))],
)
def test_a_fee_of_half_a_cent_is_rounded_up_like_every_amount(
    hospital_a: Hospital, baku: Place, typed: Decimal, kept: Decimal
) -> None:
    # half-even (Decimal's default) would keep 0.00 and 40.00
    saved = doctor_create(hospital=hospital_a, details=details_at(baku, consulting_fee=typed))
    assert Doctor.objects.get(pk=saved.doctor.pk).consulting_fee == kept


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"full_name": "   "}, "full_name"),
        ({"consulting_fee": Decimal("-1")}, "consulting_fee"),
        ({"phone": "call me"}, "phone"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_details_breaking_a_rule_are_refused_on_their_field(
    hospital_a: Hospital, baku: Place, changes: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        doctor_create(hospital=hospital_a, details=details_at(baku, **changes))
    assert error.value.field == field
    assert not Doctor.objects.exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (WorkingHours(2, time(17), time(9), 20), "Wednesday: the day must start before it ends."),
        (WorkingHours(2, time(9), time(9), 20), "Wednesday: the day must start before it ends."),
        (WorkingHours(2, time(9), time(17), 2), "Wednesday: a slot must be 5 to 240 minutes long."),
        (WorkingHours(2, time(9), time(17), 300), "a slot must be 5 to 240 minutes"),
        (WorkingHours(2, time(9), time(9, 30), 45), "a 45-minute slot does not fit between 09:00"),
    ],
)
def test_weekly_hours_breaking_a_rule_name_the_day(hours: WorkingHours, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        schedule_validate([hours])
    assert error.value.field == "schedule_2"
    assert message in error.value.message


def test_a_weekday_given_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="Monday is given twice"):
        schedule_validate([MONDAY_MORNING, MONDAY_MORNING])


def test_editing_replaces_the_weekly_hours(hospital_a: Hospital, baku: Place) -> None:
    doctor = doctor_create(
        hospital=hospital_a, details=details_at(baku), schedule=[MONDAY_MORNING]
    ).doctor
    friday = WorkingHours(weekday=4, starts_at=time(14), ends_at=time(18), slot_minutes=30)
    doctor_update(hospital=hospital_a, doctor=doctor, details=details_at(baku), schedule=[friday])
    assert list(DoctorSchedule.objects.values_list("weekday", "slot_minutes")) == [(4, 30)]


# -- logins --------------------------------------------------------------------------


def test_creating_a_login_makes_a_doctor_account_with_a_temporary_password(
    hospital_a: Hospital, baku: Place
) -> None:
    saved = doctor_create(
        hospital=hospital_a,
        details=details_at(baku, email="nigar@example.az"),
        login=LoginAction.CREATE,
    )
    assert saved.account is not None and saved.account.temporary_password
    assert saved.doctor.user_id is not None
    user = User.objects.get(pk=saved.doctor.user_id)
    assert user.username == username_base_from_name("Nigar Əliyeva") and user.role == Role.DOCTOR
    assert user.hospital_id == hospital_a.pk and user.must_change_password
    assert user.check_password(saved.account.temporary_password)
    assert saved.account.temporary_password not in repr(saved)


def test_when_the_login_cannot_be_created_no_doctor_is_left_behind(
    hospital_a: Hospital, baku: Place
) -> None:
    # every username the name can give is taken, so account creation fails for real
    base = username_base_from_name("Nigar Əliyeva")
    User.objects.bulk_create([User(username=name) for name in username_candidates(base)])
    with pytest.raises(ValidationError) as error:
        doctor_create(
            hospital=hospital_a,
            details=details_at(baku),
            schedule=[MONDAY_MORNING],
            login=LoginAction.CREATE,
        )
    assert error.value.field == "login"
    assert not Doctor.objects.exists() and not DoctorSchedule.objects.exists()


def test_when_the_doctor_cannot_be_saved_the_new_login_is_discarded(
    hospital_a: Hospital, baku: Place
) -> None:
    # Another admin deletes the chosen clinic while the form is open: the doctor's row
    # fails its foreign key when the hospital transaction commits, after the login was
    # made in the platform database.
    own_clinic = Clinic.objects.create(city=baku.city, name="Short-lived clinic")
    Clinic.objects.filter(pk=own_clinic.pk).delete()
    users_before = User.objects.count()
    with pytest.raises(Exception, match=r"(?i)foreign key"):  # SQLite or PostgreSQL
        doctor_create(
            hospital=hospital_a,
            details=details_at(baku, clinic=own_clinic),
            login=LoginAction.CREATE,
        )
    assert not Doctor.objects.exists()
    assert User.objects.count() == users_before
    assert not User.objects.filter(role=Role.DOCTOR).exists()


def test_an_existing_doctor_account_of_the_hospital_can_be_linked(
    hospital_a: Hospital, baku: Place
) -> None:
    account = make_user(hospital_a, Role.DOCTOR, name="Nigar Aliyeva")
    saved = doctor_create(
        hospital=hospital_a,
        details=details_at(baku),
        login=LoginAction.LINK,
        link_user_id=account.pk,
    )
    assert Doctor.objects.get(pk=saved.doctor.pk).user_id == account.pk
    assert saved.account is None


def test_a_deactivated_account_cannot_be_linked(hospital_a: Hospital, baku: Place) -> None:
    account = make_user(hospital_a, Role.DOCTOR)
    User.objects.filter(pk=account.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="deactivated") as error:
        doctor_create(
            hospital=hospital_a,
            details=details_at(baku),
            login=LoginAction.LINK,
            link_user_id=account.pk,
        )
    assert error.value.field == "link_user"
    assert not Doctor.objects.exists()


def test_an_account_of_another_hospital_cannot_be_linked(
    hospital_a: Hospital, hospital_b: Hospital, baku: Place
) -> None:
    outsider = make_user(hospital_b, Role.DOCTOR)
    with pytest.raises(ValidationError, match="no such account in this hospital"):
        doctor_create(
            hospital=hospital_a,
            details=details_at(baku),
            login=LoginAction.LINK,
            link_user_id=outsider.pk,
        )
    assert not Doctor.objects.exists()


def test_an_account_linked_to_another_doctor_cannot_be_linked_again(
    hospital_a: Hospital, baku: Place
) -> None:
    account = make_user(hospital_a, Role.DOCTOR)
    doctor_create(
        hospital=hospital_a,
        details=details_at(baku, full_name="First Doctor"),
        login=LoginAction.LINK,
        link_user_id=account.pk,
    )
    with pytest.raises(ValidationError, match="already linked to doctor First Doctor"):
        doctor_create(
            hospital=hospital_a,
            details=details_at(baku, full_name="Second Doctor"),
            login=LoginAction.LINK,
            link_user_id=account.pk,
        )
    assert list(Doctor.objects.values_list("full_name", flat=True)) == ["First Doctor"]


def test_a_receptionist_account_cannot_be_a_doctors_login(
    hospital_a: Hospital, baku: Place
) -> None:
    receptionist = make_user(hospital_a, Role.RECEPTIONIST)
    with pytest.raises(ValidationError, match="only doctor accounts"):
        doctor_create(
            hospital=hospital_a,
            details=details_at(baku),
            login=LoginAction.LINK,
            link_user_id=receptionist.pk,
        )


def test_unlinking_keeps_the_account(hospital_a: Hospital, baku: Place) -> None:
    saved = doctor_create(hospital=hospital_a, details=details_at(baku), login=LoginAction.CREATE)
    user_id = saved.doctor.user_id
    assert user_id is not None
    doctor_update(
        hospital=hospital_a,
        doctor=saved.doctor,
        details=details_at(baku),
        schedule=[],
        login=LoginAction.UNLINK,
    )
    assert Doctor.objects.get().user_id is None
    assert User.objects.filter(pk=user_id, is_active=True).exists()


def test_a_doctor_with_a_login_cannot_get_a_second_one(hospital_a: Hospital, baku: Place) -> None:
    saved = doctor_create(hospital=hospital_a, details=details_at(baku), login=LoginAction.CREATE)
    with pytest.raises(ValidationError, match="already has a login"):
        doctor_update(
            hospital=hospital_a,
            doctor=saved.doctor,
            details=details_at(baku),
            schedule=[],
            login=LoginAction.CREATE,
        )
    assert User.objects.filter(role=Role.DOCTOR).count() == 1


def test_doctors_of_one_hospital_are_not_seen_from_another(
    hospital_a: Hospital, hospital_b: Hospital, baku: Place
) -> None:
    doctor_create(hospital=hospital_a, details=details_at(baku))
    with tenant_context(hospital_b):
        assert not Doctor.objects.exists()


def test_an_administrators_account_cannot_be_a_doctors_login(
    hospital_a: Hospital, admin_a: User, baku: Place
) -> None:
    """As the refusal says: only doctor accounts (issue 20)."""
    with pytest.raises(ValidationError, match="only doctor accounts"):
        doctor_create(
            hospital=hospital_a,
            details=details_at(baku),
            login=LoginAction.LINK,
            link_user_id=admin_a.pk,
        )
    assert not Doctor.objects.exists()
