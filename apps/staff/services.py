"""Staff records and the logins linked to them.

A login (platform database) is linked to a record (hospital database) through
``apps.core.user_links``, which keeps one record per login, active, same hospital.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import asdict, dataclass, replace

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email

from apps.accounts.models import Role, User
from apps.accounts.services import (
    CreatedAccount,
    account_create_by,
    account_discard,
    account_get_linkable,
)
from apps.core.exceptions import Conflict, ValidationError
from apps.core.user_links import record_link_user, record_unlink_user
from apps.staff.models import StaffMember
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")


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
        errors["first_name"] = "Enter the first name."
    if not last_name:
        errors["last_name"] = "Enter the last name."
    if not job_title:
        errors["job_title"] = "Enter the job title, e.g. Head nurse."
    phone = details.phone.strip()
    if phone:
        digits = re.sub(r"\D", "", phone)
        if not _PHONE.match(phone) or not 7 <= len(digits) <= 15:
            errors["phone"] = "Enter a phone number of 7 to 15 digits."
        else:
            phone = ("+" if phone.startswith("+") else "") + digits
    email = details.email.strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = "Enter a valid email address."
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


def staff_member_create(*, details: StaffDetails) -> StaffMember:
    details = staff_details_clean(details)
    staff_member = StaffMember()
    _apply(staff_member, details)
    with tenant_atomic():
        staff_member.save(force_insert=True)
    logger.info("staff record %s created", staff_member.pk)
    return staff_member


def staff_member_update(*, staff_member: StaffMember, details: StaffDetails) -> StaffMember:
    details = staff_details_clean(details)
    _apply(staff_member, details)
    with tenant_atomic():
        staff_member.save()
    return staff_member


def staff_member_link_account(
    *, staff_member: StaffMember, hospital: Hospital, user_id: uuid.UUID | str
) -> None:
    """Link an existing staff login to ``staff_member`` (active, same hospital, not
    linked to any other record; patient portal logins are not staff logins)."""
    user = account_get_linkable(hospital=hospital, user_id=user_id)
    if user.role == Role.PATIENT:
        raise ValidationError("A patient's portal login cannot be a staff login.", field="user")
    if staff_member.user_id is not None and staff_member.user_id != user.pk:
        raise Conflict("This record has a login already; unlink it first.", field="user")
    with tenant_atomic():
        record_link_user(record=staff_member, hospital=hospital, user_id=user.pk)
    logger.info("staff record %s linked to %s", staff_member.pk, user.username)


def staff_member_unlink_account(*, staff_member: StaffMember) -> None:
    with tenant_atomic():
        record_unlink_user(record=staff_member)
    logger.info("staff record %s unlinked", staff_member.pk)


def staff_member_create_login(
    *, staff_member: StaffMember, hospital: Hospital, role: str, actor: User
) -> CreatedAccount:
    """Make a login for the person of ``staff_member`` with ``role`` and link it. If the
    link cannot be saved the new login is removed again (two databases, no shared
    transaction)."""
    if staff_member.user_id is not None:
        raise Conflict("This record has a login already.", field="role")
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
    except Exception:
        staff_member.user_id = None
        account_discard(user=account.user)
        raise
    logger.info("login %s created for staff record %s", account.user.username, staff_member.pk)
    return account
