"""Adding and editing doctors, their weekly hours and their login.

A doctor lives in the hospital's database, a login in the platform database: no single
transaction covers both. The doctor is written inside a hospital transaction and a new
login is created last, just before that transaction commits; if anything fails after the
login was created (linking, or the commit itself) the login is discarded again, so
neither database keeps half of a doctor.
"""

from __future__ import annotations

import enum
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from apps.accounts.links import record_link_user
from apps.accounts.models import Role
from apps.accounts.rules import may_be_doctor_login
from apps.accounts.services import (
    CreatedAccount,
    account_create,
    account_discard,
    account_get_linkable,
)
from apps.audit.auditing import audited
from apps.audit.services import changes_between, clinical_event_record, snapshot
from apps.core.exceptions import ValidationError
from apps.core.money import to_cents
from apps.core.phones import phone_normalize
from apps.core.user_links import record_unlink_user
from apps.doctors.models import MAX_SLOT_MINUTES, MIN_SLOT_MINUTES, Doctor, DoctorSchedule, Weekday
from apps.regions.models import City, Clinic, Region, Specialization
from apps.tenancy.db import tenant_atomic

if TYPE_CHECKING:
    from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

_MAX_FEE = Decimal("99999999.99")


class LoginAction(enum.StrEnum):
    """What to do about the doctor's login when saving."""

    KEEP = "keep"  # leave it as it is (none on a new doctor)
    CREATE = "create"  # create a doctor account with a temporary password and link it
    LINK = "link"  # link an existing account of the hospital
    UNLINK = "unlink"  # remove the link; the account itself stays


@dataclass(frozen=True)
class DoctorDetails:
    full_name: str
    specialization: Specialization
    region: Region
    city: City
    clinic: Clinic
    consulting_fee: Decimal
    is_active: bool = True
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class WorkingHours:
    """A doctor's hours on one weekday (0 = Monday), cut into slots."""

    weekday: int
    starts_at: time
    ends_at: time
    slot_minutes: int


@dataclass(frozen=True)
class DoctorSaved:
    doctor: Doctor
    #: a login created by this save, with its temporary password to show once
    account: CreatedAccount | None = None


@audited("doctor.created")
def doctor_create(
    *,
    hospital: Hospital,
    details: DoctorDetails,
    schedule: Iterable[WorkingHours] = (),
    login: LoginAction = LoginAction.KEEP,
    link_user_id: uuid.UUID | str | None = None,
) -> DoctorSaved:
    """Add a doctor with weekly hours and, optionally, a new or an existing login."""
    if login is LoginAction.UNLINK:
        raise ValidationError(_("A new doctor has no login to unlink."), field="login")
    doctor = Doctor()
    return _save(
        hospital=hospital,
        doctor=doctor,
        details=_details_validate(details, current=None),
        schedule=schedule_validate(schedule),
        login=login,
        link_user_id=link_user_id,
    )


@audited("doctor.updated")
def doctor_update(
    *,
    hospital: Hospital,
    doctor: Doctor,
    details: DoctorDetails,
    schedule: Iterable[WorkingHours],
    login: LoginAction = LoginAction.KEEP,
    link_user_id: uuid.UUID | str | None = None,
) -> DoctorSaved:
    """Change a doctor's details and replace their weekly hours."""
    if login in (LoginAction.CREATE, LoginAction.LINK) and doctor.user_id is not None:
        raise ValidationError(
            _("This doctor already has a login; remove the link first."), field="login"
        )
    return _save(
        hospital=hospital,
        doctor=doctor,
        details=_details_validate(details, current=doctor),
        schedule=schedule_validate(schedule),
        login=login,
        link_user_id=link_user_id,
    )


def _save(
    *,
    hospital: Hospital,
    doctor: Doctor,
    details: DoctorDetails,
    schedule: list[WorkingHours],
    login: LoginAction,
    link_user_id: uuid.UUID | str | None,
) -> DoctorSaved:
    if login is LoginAction.LINK:
        _ensure_doctor_account(hospital=hospital, user_id=link_user_id)
    created: CreatedAccount | None = None
    adding = doctor._state.adding
    fields = list(vars(details))
    before = {} if adding else snapshot(doctor, fields)
    try:
        with tenant_atomic():
            for name, value in vars(details).items():
                setattr(doctor, name, value)
            doctor.save()
            doctor.schedule.all().delete()
            DoctorSchedule.objects.bulk_create(
                DoctorSchedule(doctor=doctor, **vars(hours)) for hours in schedule
            )
            if login is LoginAction.CREATE:
                created = _account_create(hospital=hospital, doctor=doctor)
                _link(record=doctor, hospital=hospital, user_id=created.user.pk)
            elif login is LoginAction.LINK:
                assert link_user_id  # _ensure_doctor_account refused an empty one
                _link(record=doctor, hospital=hospital, user_id=link_user_id)
            elif login is LoginAction.UNLINK:
                record_unlink_user(record=doctor)
            changes: dict[str, object] = dict(changes_between(before, snapshot(doctor, fields)))
            if login is not LoginAction.KEEP:
                changes["login"] = login.value
            clinical_event_record(
                action="doctor.created" if adding else "doctor.updated",
                entity="doctor",
                entity_id=doctor.pk,
                entity_label=str(doctor),
                changes=changes,
            )
    except BaseException:
        if created is not None:
            _discard(created)
        raise
    return DoctorSaved(doctor=doctor, account=created)


def _account_create(*, hospital: Hospital, doctor: Doctor) -> CreatedAccount:
    try:
        return account_create(
            hospital=hospital, full_name=doctor.full_name, role=Role.DOCTOR, email=doctor.email
        )
    except ValidationError as exc:
        message = _("No login could be created: %(reason)s") % {"reason": exc.message}
        raise ValidationError(message, field="login") from None


def _ensure_doctor_account(*, hospital: Hospital, user_id: uuid.UUID | str | None) -> None:
    if not user_id:
        raise ValidationError(_("Choose the account to link."), field="link_user")
    try:
        user = account_get_linkable(hospital=hospital, user_id=user_id)
    except ValidationError as exc:
        raise ValidationError(exc.message, field="link_user") from None
    if not may_be_doctor_login(user):
        raise ValidationError(
            _(
                "%(username)s is an account of another role (%(role)s); only doctor "
                "accounts can be linked to a doctor."
            )
            % {"username": user.username, "role": user.get_role_display()},
            field="link_user",
        )


def _link(*, record: Doctor, hospital: Hospital, user_id: uuid.UUID | str) -> None:
    try:
        record_link_user(record=record, hospital=hospital, user_id=user_id)
    except ValidationError as exc:
        raise ValidationError(exc.message, field="link_user") from None


def _discard(created: CreatedAccount) -> None:
    """Compensation: the doctor was not saved, so the login made for it goes too."""
    try:
        account_discard(user=created.user)
    except Exception:  # the original error matters more; leave a trace for an admin
        logger.exception("could not discard account %s of an unsaved doctor", created.user)


# -- validation ----------------------------------------------------------------------


def _details_validate(details: DoctorDetails, *, current: Doctor | None) -> DoctorDetails:
    """The business rules of a doctor's details; ``current`` is the doctor being edited,
    whose present (possibly since deactivated) choices stay allowed."""
    full_name = " ".join(details.full_name.split())
    if not full_name:
        raise ValidationError(_("Enter the doctor's name."), field="full_name")
    if len(full_name) > 200:
        raise ValidationError(_("Use at most 200 characters."), field="full_name")
    for field in ("specialization", "region", "city", "clinic"):
        chosen = getattr(details, field)
        unchanged = current is not None and getattr(current, f"{field}_id") == chosen.pk
        if not chosen.is_active and not unchanged:
            raise ValidationError(
                _("%(name)s is deactivated; choose another.") % {"name": chosen}, field=field
            )
    location_validate(region=details.region, city=details.city, clinic=details.clinic)
    fee = details.consulting_fee
    if fee < 0:
        raise ValidationError(_("The fee cannot be negative."), field="consulting_fee")
    if fee > _MAX_FEE:
        raise ValidationError(
            _("The fee cannot be more than %(maximum)s.") % {"maximum": _MAX_FEE},
            field="consulting_fee",
        )
    phone = details.phone.strip()
    if phone:
        try:
            phone = phone_normalize(phone)
        except ValueError:
            message = _("Enter a valid phone number, e.g. +994 50 123 45 67.")
            raise ValidationError(message, field="phone") from None
    email = details.email.strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise ValidationError(_("Enter a valid email address."), field="email") from None
    return DoctorDetails(
        full_name=full_name,
        specialization=details.specialization,
        region=details.region,
        city=details.city,
        clinic=details.clinic,
        consulting_fee=to_cents(fee),
        is_active=details.is_active,
        phone=phone,
        email=email,
    )


def location_validate(*, region: Region, city: City, clinic: Clinic) -> None:
    """The chain must hold together: the city in the region, the clinic in the city."""
    if city.region_id != region.pk:
        raise ValidationError(
            _("%(city)s is not in %(region)s; choose a city of %(region)s.")
            % {"city": city, "region": region},
            field="city",
        )
    if clinic.city_id != city.pk:
        raise ValidationError(
            _("%(clinic)s is not in %(city)s; choose a clinic of %(city)s.")
            % {"clinic": clinic, "city": city},
            field="clinic",
        )


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def schedule_validate(schedule: Iterable[WorkingHours]) -> list[WorkingHours]:
    """Weekly hours by weekday; an error names the day (``field="schedule_<weekday>"``)."""
    days: dict[int, WorkingHours] = {}
    for hours in schedule:
        if hours.weekday not in Weekday.values:
            raise ValidationError(
                _("%(day)r is not a weekday.") % {"day": hours.weekday}, field="schedule"
            )
        day = Weekday(hours.weekday).label
        field = f"schedule_{hours.weekday}"
        if hours.weekday in days:
            raise ValidationError(_("%(day)s is given twice.") % {"day": day}, field=field)
        if hours.starts_at >= hours.ends_at:
            raise ValidationError(
                _("%(day)s: the day must start before it ends.") % {"day": day}, field=field
            )
        if not MIN_SLOT_MINUTES <= hours.slot_minutes <= MAX_SLOT_MINUTES:
            raise ValidationError(
                _("%(day)s: a slot must be %(shortest)d to %(longest)d minutes long.")
                % {"day": day, "shortest": MIN_SLOT_MINUTES, "longest": MAX_SLOT_MINUTES},
                field=field,
            )
        if _minutes(hours.ends_at) - _minutes(hours.starts_at) < hours.slot_minutes:
            raise ValidationError(
                _("%(day)s: a %(minutes)d-minute slot does not fit between %(start)s and %(end)s.")
                % {
                    "day": day,
                    "minutes": hours.slot_minutes,
                    "start": f"{hours.starts_at:%H:%M}",
                    "end": f"{hours.ends_at:%H:%M}",
                },
                field=field,
            )
        days[hours.weekday] = hours
    return [days[weekday] for weekday in sorted(days)]
