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


def may_see_clinical_data(user: User, *, also: Set[str] = frozenset()) -> bool:
    """Patients' clinical records (diagnoses, medicines, results): administrators,
    doctors and nurses, and ``also`` the roles a record names for its own part (the lab
    technician their orders, the pharmacist the medicines they dispense). The front
    desk and the accountant see that a visit, an order or a sale happened, not what it
    found or gave."""
    return may_act_as(user, CLINICAL_ROLES | frozenset(also))


def has_clinical_role(user: User, roles: Set[str]) -> bool:
    """Clinical content is written by clinicians only: having one of ``roles`` itself.
    Unlike ``may_act_as`` an administrator is not let in by being one (a record written
    by the administrator's hand would carry a clinician's authority it never had); an
    administrator who also treats patients has a clinician's login of their own."""
    return user.role in roles


def is_doctor(user: User) -> bool:
    """The account is a doctor's: their pages show their own patients (an administrator
    picks the doctor instead)."""
    return user.role == Role.DOCTOR


def may_act_for_doctor(user: User, doctor: HasLogin) -> bool:
    """Acting on a doctor's day (their queue): the doctor themselves, through the login
    linked to their record, or an administrator. Not for clinical writing, which is
    ``may_write_for_doctor``'s (an administrator writes nothing in a doctor's name)."""
    return is_hospital_admin(user) or (is_doctor(user) and doctor.user_id == user.pk)


def may_write_for_doctor(user: User, doctor: HasLogin, *, covering: bool = False) -> bool:
    """Clinical writing in a doctor's consultation (notes, diagnoses, prescription
    lines, lab orders, completing, amending): the treating doctor through the login
    linked to their record, or a doctor the hospital lets cover for colleagues
    (``covering``, the hospital's list of covering doctors). Never an administrator as
    such: the record's author is the one whose name it carries."""
    return is_doctor(user) and (covering or doctor.user_id == user.pk)


def may_grant_cover(user: User) -> bool:
    """Who says which doctors may cover for colleagues: the hospital's administrators
    (an administrative decision; it writes nothing clinical)."""
    return is_hospital_admin(user)


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
