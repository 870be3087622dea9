"""Registering and editing patients.

A portal account lives in the platform database and the patient in the hospital's, so
no single transaction covers both: registration creates the account first, then inserts
the patient in a hospital transaction, and deletes the account again if that fails.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection
from dataclasses import asdict, dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import Role, User
from apps.accounts.services import CreatedAccount, account_create, account_discard
from apps.audit.auditing import audited
from apps.audit.services import changes_between, clinical_event_record, snapshot
from apps.core.exceptions import Conflict, ValidationError
from apps.core.phones import phone_normalize, phone_search_text
from apps.core.text import search_text
from apps.numbering.services import document_number_allocate
from apps.patients.models import PATIENT_NUMBER_KIND, BloodGroup, Patient, Sex, name_key
from apps.patients.selectors import patient_likely_duplicates
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

MAX_AGE_YEARS = 120


@dataclass(frozen=True)
class PatientDetails:
    """What staff type in about a patient (everything but the number and the login)."""

    first_name: str
    last_name: str
    sex: str
    #: None only while a form is being checked; always set once clean
    birth_date: date | None
    phone: str
    email: str = ""
    address: str = ""
    blood_group: str = ""
    allergies: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""


class InvalidPatientDetails(ValidationError):
    """Several fields may be wrong at once; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field = next(iter(errors))
        super().__init__(errors[first_field], field=first_field)
        self.errors = errors


class LikelyDuplicates(Conflict):
    """Patients who may be the same person; advisory, the caller may register anyway."""

    def __init__(self, matches: list[Patient]) -> None:
        message = ngettext(
            "%(count)d registered patient may be the same person.",
            "%(count)d registered patients may be the same person.",
            len(matches),
        ) % {"count": len(matches)}
        super().__init__(message)
        self.matches = matches


@dataclass(frozen=True)
class RegisteredPatient:
    patient: Patient
    #: the portal login made in the same action, with its temporary password (shown once)
    account: CreatedAccount | None = None


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def patient_details_clean(details: PatientDetails) -> PatientDetails:
    """Check ``details`` against the registration rules and return them normalised
    (trimmed names, phones in E.164: ``+994501234567``). Raises InvalidPatientDetails listing every
    wrong field."""
    errors: dict[str, str] = {}
    first_name = " ".join(details.first_name.split())
    last_name = " ".join(details.last_name.split())
    if not first_name:
        errors["first_name"] = _("Enter the patient's first name.")
    if not last_name:
        errors["last_name"] = _("Enter the patient's last name.")
    if details.sex not in Sex.values:
        errors["sex"] = _("Choose the patient's sex.")
    today = timezone.localdate()
    if details.birth_date is None:
        errors["birth_date"] = _("Enter the date of birth.")
    elif details.birth_date > today:
        errors["birth_date"] = _("The date of birth cannot be in the future.")
    elif details.birth_date < _years_before(today, MAX_AGE_YEARS):
        errors["birth_date"] = _("The date of birth is more than %(years)d years ago.") % {
            "years": MAX_AGE_YEARS
        }
    phone = emergency_phone = ""
    if not details.phone.strip():
        errors["phone"] = _("Enter a phone number.")
    else:
        try:
            phone = phone_normalize(details.phone)
        except ValueError:
            errors["phone"] = _("Enter a valid phone number, e.g. +994 50 123 45 67.")
    email = details.email.strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors["email"] = _("Enter a valid email address.")
    if details.blood_group and details.blood_group not in BloodGroup.values:
        errors["blood_group"] = _("Choose a blood group from the list.")
    if details.emergency_contact_phone.strip():
        try:
            emergency_phone = phone_normalize(details.emergency_contact_phone)
        except ValueError:
            errors["emergency_contact_phone"] = _(
                "Enter a valid phone number, e.g. +994 50 123 45 67."
            )
    if errors:
        raise InvalidPatientDetails(errors)
    return replace(
        details,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        email=email,
        address=details.address.strip(),
        allergies=details.allergies.strip(),
        emergency_contact_name=" ".join(details.emergency_contact_name.split()),
        emergency_contact_phone=emergency_phone,
    )


def _apply(patient: Patient, details: PatientDetails) -> None:
    for name, value in asdict(details).items():
        setattr(patient, name, value)
    patient.name_key = name_key(details.first_name, details.last_name)
    patient.search_text = search_text(
        patient.name_key, patient.number, phone_search_text(details.phone)
    )


@audited("patient.registered")
def patient_register(
    *,
    hospital: Hospital,
    details: PatientDetails,
    portal_account: bool = False,
    confirm_duplicates: bool = False,
    confirmed_matches: Collection[uuid.UUID] = (),
    registered_by: User | None = None,
) -> RegisteredPatient:
    """Register a patient of ``hospital`` (the selected hospital) and give them a number.

    Patients who may be the same person (same name, date of birth and sex, or same
    phone) raise LikelyDuplicates — unless ``confirm_duplicates``, or unless every one
    of them is in ``confirmed_matches`` (the matches a person was shown and chose to
    continue past). The check runs again inside the transaction that inserts the
    patient, which holds the hospital database's write lock: of two identical
    registrations sent at once (a retry, two tabs, a double click on Continue), the
    second finds the first's patient and is refused (on PostgreSQL the number series row's
    lock, taken first, does the serialising). With ``portal_account`` a patient
    login is created in the same action: if it cannot be created no patient is saved,
    and if the patient cannot be saved the login is removed.
    """
    details = patient_details_clean(details)
    # A first look before any login is made; the one that counts is in the transaction.
    _refuse_unconfirmed_duplicates(details, confirm_duplicates, confirmed_matches)
    account = None
    if portal_account:
        account = account_create(
            hospital=hospital,
            full_name=f"{details.first_name} {details.last_name}",
            role=Role.PATIENT,
            email=details.email,
        )
    try:
        with tenant_atomic():
            # The number first: it locks the series row until the commit, so on
            # PostgreSQL (no IMMEDIATE transactions) a second registration waits here and
            # its duplicate check then sees the first's patient. A refusal rolls the
            # number back with the rest.
            number = document_number_allocate(hospital=hospital, kind=PATIENT_NUMBER_KIND)
            _refuse_unconfirmed_duplicates(details, confirm_duplicates, confirmed_matches)
            patient = Patient(
                number=number,
                user_id=account.user.pk if account else None,
                registered_by_id=registered_by.pk if registered_by else None,
            )
            _apply(patient, details)
            patient.save(force_insert=True)
            clinical_event_record(
                action="patient.registered",
                entity="patient",
                entity_id=patient.pk,
                entity_label=patient.number,
                changes={"portal_account": account.user.username if account else ""},
                actor=registered_by,
            )
    except Exception as exc:
        if account is not None:
            _discard_account(account)
        if isinstance(exc, IntegrityError):
            raise Conflict(_("The patient could not be saved; please try again.")) from exc
        raise
    logger.info("registered patient %s", patient.number)
    return RegisteredPatient(patient=patient, account=account)


def _refuse_unconfirmed_duplicates(
    details: PatientDetails, confirm_duplicates: bool, confirmed: Collection[uuid.UUID]
) -> None:
    if confirm_duplicates:
        return
    matches = patient_likely_duplicates(
        first_name=details.first_name,
        last_name=details.last_name,
        birth_date=details.birth_date,
        sex=details.sex,
        phone=details.phone,
    )
    if any(match.pk not in set(confirmed) for match in matches):
        raise LikelyDuplicates(matches)


def _discard_account(account: CreatedAccount) -> None:
    try:
        account_discard(user=account.user)
    except Exception:
        # The patient error is the one to report; this one needs an operator.
        logger.exception("could not remove portal account %s", account.user.username)


@audited("patient.updated")
def patient_update(*, patient: Patient, details: PatientDetails) -> Patient:
    details = patient_details_clean(details)
    fields = list(asdict(details))
    before = snapshot(patient, fields)
    _apply(patient, details)
    with tenant_atomic():
        patient.save()
        clinical_event_record(
            action="patient.updated",
            entity="patient",
            entity_id=patient.pk,
            entity_label=patient.number,
            changes=changes_between(before, snapshot(patient, fields)),
        )
    logger.info("updated patient %s", patient.number)
    return patient
