"""Reading doctors: the searchable list, a doctor's login, accounts one may link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from apps.accounts.models import User
from apps.accounts.rules import is_doctor
from apps.accounts.selectors import account_get, account_list
from apps.core.exceptions import NotFound
from apps.core.user_links import linked_record_models
from apps.doctors.models import Doctor

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital


def doctor_list(
    *,
    query: str = "",
    specialization_id: int | None = None,
    clinic_id: int | None = None,
) -> QuerySet[Doctor]:
    """Doctors by name; each word of ``query`` must match the name, phone, email,
    specialization or clinic."""
    doctors = Doctor.objects.select_related("specialization", "clinic", "city", "region")
    for term in query.split():
        doctors = doctors.filter(
            Q(full_name__icontains=term)
            | Q(phone__icontains=term)
            | Q(email__icontains=term)
            | Q(specialization__name__icontains=term)
            | Q(specialization__name_en__icontains=term)
            | Q(clinic__name__icontains=term)
        )
    if specialization_id is not None:
        doctors = doctors.filter(specialization_id=specialization_id)
    if clinic_id is not None:
        doctors = doctors.filter(clinic_id=clinic_id)
    return doctors


def doctor_login(*, doctor: Doctor, hospital: Hospital) -> User | None:
    """The account linked to ``doctor``, if any (it lives in the platform database)."""
    if doctor.user_id is None:
        return None
    try:
        return account_get(hospital=hospital, user_id=doctor.user_id)
    except NotFound:
        return None


def accounts_linkable_to_doctor(*, hospital: Hospital, doctor: Doctor | None = None) -> list[User]:
    """Active doctor accounts of the hospital not linked to any record yet, plus
    ``doctor``'s own login. Only doctors' logins may be linked
    (``apps.accounts.rules.may_be_doctor_login``)."""
    linked = {
        user_id
        for model in linked_record_models()
        for user_id in model._default_manager.exclude(user_id=None).values_list(
            "user_id", flat=True
        )
    }
    if doctor is not None:
        linked.discard(doctor.user_id)
    return [
        user
        for user in account_list(hospital=hospital, active=True)
        if user.pk not in linked
        and (is_doctor(user) or (doctor is not None and user.pk == doctor.user_id))
    ]
