"""Staff records and the logins linked to them.

A login (platform database) is linked to a record (hospital database) through
``apps.accounts.links`` (active, same hospital) and ``apps.core.user_links`` (one
record per login).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from apps.accounts.links import record_link_user
from apps.accounts.models import User
from apps.accounts.rules import is_patient_account
from apps.accounts.services import (
    CreatedAccount,
    IssuedPassword,
    account_change_role,
    account_create_by,
    account_deactivate,
    account_discard,
    account_get_linkable,
    account_reactivate,
    account_reset_password,
    account_reset_two_factor,
)
from apps.audit.auditing import audited
from apps.audit.services import changes_between, clinical_event_record, snapshot
from apps.core.exceptions import Conflict, ValidationError
from apps.core.phones import phone_normalize
from apps.core.user_links import record_unlink_user
from apps.staff.models import StaffMember
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StaffDetails:
    first_name: str
    last_name: str
    job_title: str
    department: str = ""
    phone: str = ""
    email: str = ""
    is_active: bool = True


class InvalidStaffDetails(ValidationError):
    """Every wrong field at once; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field = next(iter(errors))
        super().__init__(errors[first_field], field=first_field)
        self.errors = errors


def staff_details_clean(details: StaffDetails) -> StaffDetails:
    errors: dict[str, str] = {}
    first_name = " ".join(details.first_name.split())
    last_name = " ".join(details.last_name.split())
    job_title = " ".join(details.job_title.split())
    if not first_name:
        errors["first_name"] = _("Enter the first name.")
    if not last_name:
        errors["last_name"] = _("Enter the last name.")
    if not job_title:
        errors["job_title"] = _("Enter the job title, e.g. Head nurse.")
    phone = details.phone.strip()
    if phone:
        try:
            phone = phone_normalize(phone)
        except ValueError:
            errors["phone"] = _("Enter a valid phone number, e.g. +994 50 123 45 67.")
    email = details.email.strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = _("Enter a valid email address.")
    if errors:
        raise InvalidStaffDetails(errors)
    return replace(
        details,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        department=" ".join(details.department.split()),
        phone=phone,
        email=email,
    )


def _apply(staff_member: StaffMember, details: StaffDetails) -> None:
    for name, value in asdict(details).items():
        setattr(staff_member, name, value)
    staff_member.search_text = " ".join(
        [details.first_name, details.last_name, details.job_title, details.department]
    ).casefold()


DETAIL_FIELDS = tuple(field.name for field in fields(StaffDetails))


def _record(
    staff_member: StaffMember, action: str, changes: dict[str, Any], actor: User | None = None
) -> None:
    clinical_event_record(
        action=action,
        entity="staff_member",
        entity_id=staff_member.pk,
        entity_label=staff_member.full_name,
        changes=changes,
        actor=actor,
    )


@audited("staff_member.created")
def staff_member_create(*, details: StaffDetails) -> StaffMember:
    details = staff_details_clean(details)
    staff_member = StaffMember()
    _apply(staff_member, details)
    with tenant_atomic():
        staff_member.save(force_insert=True)
        _record(staff_member, "staff_member.created", changes_between({}, asdict(details)))
    logger.info("staff record %s created", staff_member.pk)
    return staff_member


@audited("staff_member.updated")
def staff_member_update(*, staff_member: StaffMember, details: StaffDetails) -> StaffMember:
    details = staff_details_clean(details)
    before = snapshot(staff_member, DETAIL_FIELDS)
    _apply(staff_member, details)
    with tenant_atomic():
        staff_member.save()
        changes = changes_between(before, snapshot(staff_member, DETAIL_FIELDS))
        _record(staff_member, "staff_member.updated", changes)
    return staff_member


@audited("staff_member.login_linked")
def staff_member_link_account(
    *, staff_member: StaffMember, hospital: Hospital, user_id: uuid.UUID | str
) -> None:
    """Link an existing staff login to ``staff_member`` (active, same hospital, not
    linked to any other record; patient portal logins are not staff logins)."""
    user = account_get_linkable(hospital=hospital, user_id=user_id)
    if is_patient_account(user):
        raise ValidationError(_("A patient's portal login cannot be a staff login."), field="user")
    if staff_member.user_id is not None and staff_member.user_id != user.pk:
        raise Conflict(_("This record has a login already; unlink it first."), field="user")
    with tenant_atomic():
        record_link_user(record=staff_member, hospital=hospital, user_id=user.pk)
        _record(staff_member, "staff_member.login_linked", {"login": user.username})
    logger.info("staff record %s linked to %s", staff_member.pk, user.username)


@audited("staff_member.login_unlinked")
def staff_member_unlink_account(*, staff_member: StaffMember) -> None:
    with tenant_atomic():
        previous = staff_member.user_id
        record_unlink_user(record=staff_member)
        _record(staff_member, "staff_member.login_unlinked", {"login": str(previous or "")})
    logger.info("staff record %s unlinked", staff_member.pk)


@audited("staff_member.login_created")
def staff_member_create_login(
    *, staff_member: StaffMember, hospital: Hospital, role: str, actor: User
) -> CreatedAccount:
    """Make a login for the person of ``staff_member`` with ``role`` and link it. If the
    link cannot be saved the new login is removed again (two databases, no shared
    transaction)."""
    if staff_member.user_id is not None:
        raise Conflict(_("This record has a login already."), field="role")
    account = account_create_by(
        actor=actor,
        hospital=hospital,
        full_name=staff_member.full_name,
        role=role,
        email=staff_member.email,
    )
    try:
        with tenant_atomic():
            record_link_user(record=staff_member, hospital=hospital, user_id=account.user.pk)
            _record(
                staff_member,
                "staff_member.login_created",
                {"login": account.user.username, "role": role},
                actor=actor,
            )
    except Exception:
        staff_member.user_id = None
        account_discard(user=account.user)
        raise
    logger.info("login %s created for staff record %s", account.user.username, staff_member.pk)
    return account


# -- a hospital's logins, as its administrators manage them (recorded in its audit log) ---


def _record_account(user: User, action: str, changes: dict[str, Any], actor: User) -> None:
    clinical_event_record(
        action=action,
        entity="account",
        entity_id=user.pk,
        entity_label=user.username,
        changes=changes,
        actor=actor,
    )


@audited("account.created")
def staff_account_create(
    *, actor: User, hospital: Hospital, full_name: str, role: str, email: str = ""
) -> CreatedAccount:
    created = account_create_by(
        actor=actor, hospital=hospital, full_name=full_name, role=role, email=email
    )
    _record_account(created.user, "account.created", {"role": role}, actor)
    return created


@audited("account.password_reset")
def staff_account_reset_password(*, user: User, actor: User) -> IssuedPassword:
    issued = account_reset_password(user=user, actor=actor)
    _record_account(user, "account.password_reset", {}, actor)
    return issued


@audited("account.two_factor_reset")
def staff_account_reset_two_factor(*, user: User, actor: User) -> User:
    account_reset_two_factor(user=user, actor=actor)
    _record_account(user, "account.two_factor_reset", {}, actor)
    return user


@audited("account.deactivated")
def staff_account_deactivate(*, user: User, actor: User) -> User:
    account_deactivate(user=user, actor=actor)
    _record_account(user, "account.deactivated", {"is_active": [True, False]}, actor)
    return user


@audited("account.reactivated")
def staff_account_reactivate(*, user: User, actor: User) -> User:
    account_reactivate(user=user, actor=actor)
    _record_account(user, "account.reactivated", {"is_active": [False, True]}, actor)
    return user


@audited("account.role_changed")
def staff_account_change_role(*, user: User, role: str, actor: User) -> User:
    previous = user.role
    account_change_role(user=user, role=role, actor=actor)  # refuses, or gives ``role``
    if role != previous:
        _record_account(user, "account.role_changed", {"role": [previous, role]}, actor)
    return user
