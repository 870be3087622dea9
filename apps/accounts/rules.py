"""Who may do what, and with which object: every access rule that reads a user's role,
as a named predicate taking the user (and the object).

Modules ask these instead of comparing ``user.role`` themselves, so a rule is changed in
one place and reads as what it decides ("may see money"), not as a list of roles
repeated in eleven files. Which staff pages a role may open at all is the modules' own
declaration (``Module.roles``, checked by ``apps.accounts.access``), which also asks
``may_act_as`` here. Accounts' own account management (``apps.accounts.services``:
which roles may be given, who manages whose account) keeps its rules beside it.

A test reads every module of the project and fails on a role comparison or an
``is_hospital_admin`` read anywhere else (``tests/test_rules.py``).
"""

from __future__ import annotations

from collections.abc import Set
from typing import TYPE_CHECKING, Protocol

from apps.accounts.models import Role

if TYPE_CHECKING:
    import uuid

    from apps.accounts.models import User


class HasLogin(Protocol):
    """A record that may be linked to a login (a doctor, a staff member); accounts
    imports no tenant app, so the record is known by this one field."""

    user_id: uuid.UUID | None


#: who sees money besides hospital administrators: revenue, what is owed, the money
#: series of the dashboard chart
MONEY_ROLES = frozenset({Role.ACCOUNTANT})
#: who reads patients' clinical records (diagnoses, prescriptions, vitals) besides
#: hospital administrators
CLINICAL_ROLES = frozenset({Role.DOCTOR, Role.NURSE})
#: whose account may be a doctor's login: a doctor's only, as the refusal says (an
#: administrator's login linked to a doctor wrote clinical records in that doctor's name;
#: an administrator who also consults gets a doctor's login of their own)
DOCTOR_LOGIN_ROLES = frozenset({Role.DOCTOR})


def is_hospital_admin(user: User) -> bool:
    """A hospital's administrator (or a platform superuser): may do anything in the
    hospital, and acts for any doctor."""
    return user.is_hospital_admin


def may_act_as(user: User, roles: Set[str]) -> bool:
    """Hospital administrators (and platform superusers) may do anything in a module;
    others only what their role is listed for."""
    return is_hospital_admin(user) or user.role in roles


def may_see_money(user: User) -> bool:
    """Revenue, collections and what patients owe: administrators and accountants."""
    return may_act_as(user, MONEY_ROLES)


def may_authorise_money(user: User) -> bool:
    """Money given up: a discount above the hospital's limit, a write-off. Accountants
    and administrators, never the front desk alone."""
    return may_act_as(user, MONEY_ROLES)


def may_see_clinical_data(user: User) -> bool:
    """Patients' clinical records: administrators, doctors and nurses."""
    return may_act_as(user, CLINICAL_ROLES)


def is_doctor(user: User) -> bool:
    """The account is a doctor's: their pages show their own patients (an administrator
    picks the doctor instead)."""
    return user.role == Role.DOCTOR


def may_act_for_doctor(user: User, doctor: HasLogin) -> bool:
    """Work done in a doctor's name (their consultations, their queue): the doctor
    themselves, through the login linked to their record, or an administrator."""
    return is_hospital_admin(user) or (is_doctor(user) and doctor.user_id == user.pk)


def may_be_doctor_login(user: User) -> bool:
    """May this account be linked to a doctor's record as its login?"""
    return user.role in DOCTOR_LOGIN_ROLES


def is_patient_account(user: User) -> bool:
    """A patient's portal login, never a staff login."""
    return user.role == Role.PATIENT


#: roles whose accounts must sign in with two factors: whoever administers a hospital or
#: the platform (an open door to every patient's record, or to every hospital)
TWO_FACTOR_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.HOSPITAL_ADMIN})


def two_factor_required(user: User) -> bool:
    """Must this account sign in with a second factor? Administrators of a hospital or of
    the platform (anyone who opens the platform admin) must; other staff may choose to."""
    return user.is_superuser or user.is_staff or user.role in TWO_FACTOR_ROLES
