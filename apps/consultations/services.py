"""Writing a consultation: open it from a checked-in appointment, record vitals, notes,
diagnoses and a prescription, book the follow-up, complete it (which locks it) and
amend it afterwards.

Every write to an open consultation first claims it with a conditional UPDATE
(``status = open``) inside the transaction: on SQLite that takes the database's write
lock, so a completion and an edit can never interleave; the loser sees ``Conflict``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.appointments.models import Appointment, AppointmentKind, AppointmentStatus
from apps.appointments.selectors import SlotState, slot_grid
from apps.appointments.services import BookingClash, appointment_book
from apps.appointments.transitions import appointment_complete, appointment_start_consultation
from apps.audit.auditing import audited
from apps.audit.services import changes_between, clinical_event_record
from apps.consultations.icd10 import icd10_lookup
from apps.consultations.models import (
    NOTE_FIELDS,
    Amendment,
    Consultation,
    ConsultationStatus,
    Diagnosis,
    Prescription,
    PrescriptionItem,
    Route,
    Vitals,
)
from apps.consultations.vitals import LIMITS, MEASURED, bmi_of
from apps.core.exceptions import Conflict, ValidationError
from apps.core.numbers import decimal_display
from apps.numbering.services import document_number_allocate
from apps.tenancy.db import tenant_atomic

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.patients.models import Patient
    from apps.tenancy.models import Hospital


class InvalidDetails(ValidationError):
    """Several fields wrong at once: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()), field=next(iter(errors)))
        self.errors = errors


# -- the consultation -------------------------------------------------------------------


def _audit(
    action: str,
    consultation: Consultation,
    changes: Mapping[str, object],
    *,
    entity: str = "consultation",
    entity_id: object = None,
    entity_label: str = "",
) -> None:
    """An event of ``consultation`` (or of one of its lines: ``entity``, ``entity_id``),
    named for people by the consultation's visit (patient, doctor, day)."""
    clinical_event_record(
        action=action,
        entity=entity,
        entity_id=consultation.pk if entity_id is None else entity_id,
        entity_label=entity_label or str(consultation),
        patient=consultation.patient,
        changes=changes,
    )


@audited("consultation.opened")
def consultation_open(*, appointment: Appointment, opened_by: User) -> Consultation:
    """Open the consultation of a checked-in appointment (it moves to In consultation)
    and attach the vitals the nurse recorded at this visit. Opening an appointment that
    is already in consultation returns its consultation."""
    existing = Consultation.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    try:
        with tenant_atomic():
            appointment_start_consultation(appointment=appointment)
            consultation = Consultation.objects.create(
                appointment=appointment,
                patient_id=appointment.patient_id,
                doctor_id=appointment.doctor_id,
                started_at=appointment.consultation_started_at or timezone.now(),
                started_by_id=opened_by.pk,
            )
            Vitals.objects.filter(appointment=appointment, consultation__isnull=True).update(
                consultation=consultation
            )
            _audit("consultation.opened", consultation, {"appointment": appointment.pk})
    except Conflict:
        # Someone opened it a moment ago (two clicks, two tabs): continue theirs.
        existing = Consultation.objects.filter(appointment=appointment).first()
        if existing is None:
            raise
        return existing
    return consultation


#: what every change to a completed consultation is told
LOCKED = gettext_lazy("This consultation is completed and locked; amend it instead.")


def _claim_open(consultation: Consultation) -> None:
    """Inside a transaction: refuse unless the consultation is still open, holding the
    write lock from here to the commit."""
    claimed = Consultation.objects.filter(
        pk=consultation.pk, status=ConsultationStatus.OPEN
    ).update(updated_at=timezone.now())
    if not claimed:
        consultation.refresh_from_db(fields=["status"])
        raise Conflict(str(LOCKED), field="status")


@audited("consultation.notes_saved")
def consultation_save_notes(
    *, consultation: Consultation, notes: dict[str, str], author: User | None = None
) -> Consultation:
    """Save the complaint, history, examination and assessment of an open consultation;
    ``author`` is who wrote them (shown beside the notes)."""
    changes = {name: notes[name].strip() for name in NOTE_FIELDS if name in notes}
    with tenant_atomic():
        _claim_open(consultation)
        before = Consultation.objects.filter(pk=consultation.pk).values(*changes).get()
        Consultation.objects.filter(pk=consultation.pk).update(
            **changes, notes_by_id=author.pk if author is not None else None
        )
        # recorded even when no note changed: the notes were saved by this person now
        _audit("consultation.notes_saved", consultation, changes_between(before, changes))
    consultation.refresh_from_db()
    return consultation


@audited("consultation.completed")
def consultation_complete(*, consultation: Consultation, completed_by: User) -> Consultation:
    """Complete the consultation and its appointment; from now on it is locked. A
    consultation is completed with its diagnosis: at least one, exactly one primary."""
    with tenant_atomic():
        _claim_open(consultation)
        if not consultation.diagnoses.exists():
            raise ValidationError(
                _("Record at least one diagnosis before completing the consultation."),
                field="diagnosis",
            )
        Consultation.objects.filter(pk=consultation.pk).update(
            status=ConsultationStatus.COMPLETED,
            completed_at=timezone.now(),
            completed_by_id=completed_by.pk,
        )
        appointment_complete(appointment=consultation.appointment)
        _audit(
            "consultation.completed",
            consultation,
            {"status": [ConsultationStatus.OPEN, ConsultationStatus.COMPLETED]},
        )
    consultation.refresh_from_db()
    return consultation


@audited("consultation.amended")
def consultation_amend(
    *, consultation: Consultation, field: str, new_value: str, reason: str, author: User
) -> Amendment:
    """Change a note of a completed consultation: the old text is kept in the amendment,
    with its author, time and reason."""
    if field not in NOTE_FIELDS:
        raise ValidationError(_("Choose the note to amend."), field="field")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the record is amended."), field="reason")
    new_value = new_value.strip()
    with tenant_atomic():
        current = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if current.status != ConsultationStatus.COMPLETED:
            raise Conflict(
                _("An open consultation is edited directly, not amended."), field="field"
            )
        old_value = getattr(current, field)
        if old_value == new_value:
            raise ValidationError(_("The new text is the same as the old one."), field="new_value")
        amendment = Amendment.objects.create(
            consultation=current,
            field=field,
            old_value=old_value,
            new_value=new_value,
            reason=reason[:300],
            author_id=author.pk,
        )
        Consultation.objects.filter(pk=current.pk).update(
            **{field: new_value}, updated_at=timezone.now()
        )
        _audit(
            "consultation.amended",
            current,
            {field: [old_value, new_value], "reason": amendment.reason},
        )
    consultation.refresh_from_db()
    return amendment


@audited("diagnosis.amended")
def diagnosis_amend(*, diagnosis: Diagnosis, new_code: str, reason: str, author: User) -> Amendment:
    """Correct a diagnosis of a completed consultation to another ICD-10 code (it keeps
    its place as primary or secondary); the old code and title stay in the amendment."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the record is amended."), field="reason")
    listed = icd10_lookup(new_code)
    if listed is None:
        raise ValidationError(
            _("%(code)s is not an ICD-10 code.") % {"code": new_code[:20]}, field="new_code"
        )
    with tenant_atomic():
        consultation = Consultation.objects.select_for_update().get(pk=diagnosis.consultation_id)
        if consultation.status != ConsultationStatus.COMPLETED:
            raise Conflict(
                _("An open consultation is edited directly, not amended."), field="new_code"
            )
        if consultation.diagnoses.filter(code=listed.code).exists():
            raise ValidationError(
                _("%(code)s is already recorded.") % {"code": listed.code}, field="new_code"
            )
        amendment = Amendment.objects.create(
            consultation=consultation,
            field="diagnosis",
            old_value=f"{diagnosis.code} {diagnosis.title}",
            new_value=f"{listed.code} {listed.title}",
            reason=reason[:300],
            author_id=author.pk,
        )
        # the line now says what the amending doctor wrote: they are its author (the
        # amendment keeps who wrote what it said before)
        Diagnosis.objects.filter(pk=diagnosis.pk).update(
            code=listed.code, title=listed.title[:300], author_id=author.pk
        )
        _audit(
            "diagnosis.amended",
            consultation,
            {"diagnosis": [amendment.old_value, amendment.new_value], "reason": amendment.reason},
            entity="diagnosis",
            entity_id=diagnosis.pk,
        )
    diagnosis.refresh_from_db()
    return amendment


# -- vitals -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VitalsValues:
    systolic: int | None = None
    diastolic: int | None = None
    pulse: int | None = None
    temperature: Decimal | None = None
    spo2: int | None = None
    respiratory_rate: int | None = None
    weight: Decimal | None = None
    height: Decimal | None = None


def vitals_clean(values: VitalsValues) -> None:
    """Refuse values no body shows (typing errors), each next to its field."""
    errors: dict[str, str] = {}
    given = {f.name: getattr(values, f.name) for f in fields(values)}
    if all(value is None for value in given.values()):
        raise InvalidDetails({"systolic": _("Enter at least one measurement.")})
    for name in MEASURED:
        value = given[name]
        if value is None:
            continue
        low, high = LIMITS[name].plausible
        if not low <= Decimal(value) <= high:
            errors[name] = _(
                "%(value)s %(unit)s is not plausible; expected between %(low)s and %(high)s."
            ) % {
                "value": decimal_display(value),
                "unit": LIMITS[name].unit,
                "low": decimal_display(low, trim=True),
                "high": decimal_display(high, trim=True),
            }
    if (values.systolic is None) != (values.diastolic is None) and not errors:
        missing = "diastolic" if values.diastolic is None else "systolic"
        errors[missing] = _("Enter both the systolic and the diastolic pressure.")
    if (
        values.systolic is not None
        and values.diastolic is not None
        and "systolic" not in errors
        and "diastolic" not in errors
        and values.systolic <= values.diastolic
    ):
        errors["diastolic"] = _("The diastolic pressure must be below the systolic.")
    bmi = bmi_of(weight=values.weight, height=values.height)
    if bmi is not None and "weight" not in errors and "height" not in errors:
        low, high = LIMITS["bmi"].plausible
        if not low <= bmi <= high:
            errors["height"] = _(
                "Weight and height give a BMI of %(bmi)s, which is not plausible; check both."
            ) % {"bmi": bmi}
    if errors:
        raise InvalidDetails(errors)


@audited("vitals.recorded")
def vitals_record(
    *,
    patient: Patient,
    values: VitalsValues,
    recorded_by: User,
    appointment: Appointment | None = None,
    at: datetime | None = None,
) -> Vitals:
    """Record a set of measurements (BMI computed here). At a visit, only while the
    patient is checked in or in consultation, and never into a completed consultation."""
    vitals_clean(values)
    with tenant_atomic():
        consultation = None
        if appointment is not None:
            if appointment.patient_id != patient.pk:
                raise ValidationError(_("This appointment is another patient's."))
            appointment.refresh_from_db(fields=["status"])
            if appointment.status not in (
                AppointmentStatus.CHECKED_IN,
                AppointmentStatus.IN_CONSULTATION,
            ):
                raise Conflict(
                    _("Vitals are recorded for a checked-in patient; this visit is %(status)s.")
                    % {"status": appointment.get_status_display()},
                    field="status",
                )
            consultation = Consultation.objects.filter(appointment=appointment).first()
            if consultation is not None:
                _claim_open(consultation)
        vitals = Vitals.objects.create(
            patient=patient,
            appointment=appointment,
            consultation=consultation,
            recorded_at=at or timezone.now(),
            recorded_by_id=recorded_by.pk,
            bmi=bmi_of(weight=values.weight, height=values.height),
            **{f.name: getattr(values, f.name) for f in fields(values)},
        )
        clinical_event_record(
            action="vitals.recorded",
            entity="vitals",
            entity_id=vitals.pk,
            entity_label=patient.number,
            patient=patient,
            changes={
                f.name: getattr(values, f.name)
                for f in fields(values)
                if getattr(values, f.name) is not None
            },
        )
        return vitals


# -- diagnoses --------------------------------------------------------------------------


@audited("diagnosis.added")
def diagnosis_add(
    *, consultation: Consultation, code: str, primary: bool = False, author: User | None = None
) -> Diagnosis:
    """Add an ICD-10 diagnosis recorded by ``author``. The first one is the primary;
    adding another as primary makes the previous primary a secondary diagnosis."""
    listed = icd10_lookup(code)
    if listed is None:
        raise ValidationError(
            _("%(code)s is not an ICD-10 code; pick one from the search.") % {"code": code[:20]},
            field="code",
        )
    with tenant_atomic():
        _claim_open(consultation)
        if consultation.diagnoses.filter(code=listed.code).exists():
            raise ValidationError(
                _("%(code)s is already recorded.") % {"code": listed.code}, field="code"
            )
        has_primary = consultation.diagnoses.filter(is_primary=True).exists()
        if primary and has_primary:
            consultation.diagnoses.filter(is_primary=True).update(is_primary=False)
        diagnosis = Diagnosis.objects.create(
            consultation=consultation,
            code=listed.code,
            title=listed.title[:300],
            is_primary=primary or not has_primary,
            author_id=author.pk if author is not None else None,
        )
        _audit(
            "diagnosis.added",
            consultation,
            {"diagnosis": str(diagnosis), "primary": diagnosis.is_primary},
            entity="diagnosis",
            entity_id=diagnosis.pk,
        )
        return diagnosis


@audited("diagnosis.made_primary")
def diagnosis_make_primary(*, diagnosis: Diagnosis) -> Diagnosis:
    with tenant_atomic():
        _claim_open(diagnosis.consultation)
        Diagnosis.objects.filter(consultation_id=diagnosis.consultation_id, is_primary=True).update(
            is_primary=False
        )
        Diagnosis.objects.filter(pk=diagnosis.pk).update(is_primary=True)
        _audit(
            "diagnosis.made_primary",
            diagnosis.consultation,
            {"diagnosis": str(diagnosis), "primary": [diagnosis.is_primary, True]},
            entity="diagnosis",
            entity_id=diagnosis.pk,
        )
    diagnosis.refresh_from_db()
    return diagnosis


@audited("diagnosis.removed")
def diagnosis_remove(*, diagnosis: Diagnosis) -> None:
    """Remove a diagnosis; when it was the primary, the earliest remaining one becomes
    primary, so a consultation with diagnoses always has exactly one."""
    diagnosis_id = diagnosis.pk  # delete() clears it
    with tenant_atomic():
        _claim_open(diagnosis.consultation)
        diagnosis.delete()
        remaining = Diagnosis.objects.filter(consultation_id=diagnosis.consultation_id)
        if diagnosis.is_primary:
            successor = remaining.order_by("added_at", "id").first()
            if successor is not None:
                remaining.filter(pk=successor.pk).update(is_primary=True)
        _audit(
            "diagnosis.removed",
            diagnosis.consultation,
            {"diagnosis": [str(diagnosis), None], "primary": diagnosis.is_primary},
            entity="diagnosis",
            entity_id=diagnosis_id,
        )


# -- prescription -----------------------------------------------------------------------


#: the most units one prescription line may ask for
MOST_UNITS = 10_000
#: the longest course a duration may name (ten years; the ward chart schedules no longer)
LONGEST_COURSE_DAYS = 3660
_numbers_in = re.compile(r"\d+").findall


@dataclass(frozen=True)
class PrescriptionItemDetails:
    """A line as it is stored. The doctor's form goes through
    ``apps.consultations.prescribing.prescription_line_add``, which fills the coded
    fields from the formulary and the checks; the texts alone are what lines written
    before the formulary hold."""

    medicine: str
    dose: str
    frequency: str
    route: str = Route.ORAL
    duration: str = ""
    quantity: int | None = None
    instructions: str = ""
    formulary_medicine_id: uuid.UUID | None = None
    outside_formulary_reason: str = ""
    dose_amount: Decimal | None = None
    dose_unit: str = ""
    frequency_code: str = ""
    every_hours: int | None = None
    duration_days: int | None = None
    warnings_overridden: str = ""
    override_reason: str = ""
    prescribed_by_id: uuid.UUID | None = None


def prescription_item_clean(details: PrescriptionItemDetails) -> PrescriptionItemDetails:
    errors: dict[str, str] = {}
    cleaned = replace(
        details,
        medicine=details.medicine.strip(),
        dose=details.dose.strip(),
        frequency=details.frequency.strip(),
        duration=details.duration.strip(),
        instructions=details.instructions.strip(),
    )
    if not cleaned.medicine:
        errors["medicine"] = _("Name the medicine.")
    if not cleaned.dose:
        errors["dose"] = _("Give the dose, e.g. 500 mg.")
    if not cleaned.frequency:
        errors["frequency"] = _("Say how often, e.g. three times a day.")
    if cleaned.route not in Route.values:
        errors["route"] = _("Choose a route.")
    if cleaned.quantity is not None and cleaned.quantity <= 0:
        errors["quantity"] = _("The quantity is a whole number above zero.")
    elif cleaned.quantity is not None and cleaned.quantity > MOST_UNITS:
        # Django's own message (translated with Django)
        errors["quantity"] = _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": MOST_UNITS
        }
    numbers = _numbers_in(cleaned.duration)
    if any(len(n) > 4 or int(n) > LONGEST_COURSE_DAYS for n in numbers):
        errors["duration"] = _("A course lasts at most %(days)s days.") % {
            "days": LONGEST_COURSE_DAYS
        }
    if errors:
        raise InvalidDetails(errors)
    return cleaned


@audited("prescription.item_added")
def prescription_item_add(
    *, hospital: Hospital, consultation: Consultation, details: PrescriptionItemDetails
) -> PrescriptionItem:
    """Add a medicine to the consultation's prescription (made, and numbered
    ``<CODE>-RX-<YEAR>-000001``, with its first item)."""
    cleaned = prescription_item_clean(details)
    with tenant_atomic():
        _claim_open(consultation)
        prescription = Prescription.objects.filter(consultation=consultation).first()
        if prescription is None:
            prescription = Prescription.objects.create(
                number=document_number_allocate(
                    hospital=hospital, kind="RX", year=timezone.localdate().year
                ),
                consultation=consultation,
                patient_id=consultation.patient_id,
                doctor_id=consultation.doctor_id,
            )
        item = PrescriptionItem.objects.create(
            prescription=prescription,
            **{f.name: getattr(cleaned, f.name) for f in fields(cleaned)},
        )
        _audit(
            "prescription.item_added",
            consultation,
            {
                f.name: getattr(cleaned, f.name)
                for f in fields(cleaned)
                if getattr(cleaned, f.name) not in (None, "")
            },
            entity="prescription_item",
            entity_id=item.pk,
            entity_label=prescription.number,
        )
        return item


@audited("prescription.item_removed")
def prescription_item_remove(*, item: PrescriptionItem) -> None:
    item_id = item.pk  # delete() clears it
    with tenant_atomic():
        _claim_open(item.prescription.consultation)
        item.delete()
        _audit(
            "prescription.item_removed",
            item.prescription.consultation,
            {"medicine": [f"{item.medicine} {item.dose} {item.frequency}", None]},
            entity="prescription_item",
            entity_id=item_id,
            entity_label=item.prescription.number,
        )


# -- follow-up --------------------------------------------------------------------------


def _book_first_free_slot(
    *, appointment: Appointment, day: date, reason: str, booked_by: User
) -> Appointment:
    """Book the follow-up through the appointments module, trying the doctor's free slots
    of ``day`` in order: each booking applies the doctor's unavailability, the hospital's
    conflict rule and the locks of any booking. A slot the patient is busy in (or that
    someone took since the grid was read) is skipped, never confirmed over."""
    grid = slot_grid(doctor=appointment.doctor, day=day)
    for slot in grid.slots:
        if not slot.choosable:
            continue
        try:
            return appointment_book(
                patient=appointment.patient,
                doctor=appointment.doctor,
                kind=AppointmentKind.FOLLOW_UP,
                starts_at=slot.starts_at,
                reason=reason,
                follow_up_of=appointment,
                booked_by_id=booked_by.pk,
            )
        except BookingClash:
            continue
        except ValidationError as refused:
            if refused.field != "starts_at":  # the doctor, not the slot, is the problem
                raise ValidationError(refused.message, field="day") from None
    if grid.hours is None:
        message = _("%(doctor)s does not work on %(day)s; choose another day.")
    elif grid.unavailabilities and not any(s.state == SlotState.TAKEN for s in grid.slots):
        message = _("%(doctor)s is unavailable on %(day)s; choose another day.")
    else:
        message = _("%(doctor)s has no free slot on %(day)s; choose another day.")
    raise ValidationError(
        # the day as the reader writes it ("12 dekabr 2026"), not 2026-12-12
        message % {"doctor": appointment.doctor.full_name, "day": date_format(day)},
        field="day",
    )


@audited("consultation.follow_up_booked")
def consultation_book_follow_up(
    *, consultation: Consultation, day: date, booked_by: User
) -> Appointment:
    """Book the follow-up visit with the same doctor on ``day``, in the first slot of
    the doctor's hours that day the booking rules allow."""
    if day <= timezone.localdate():
        raise ValidationError(_("A follow-up is booked for a later day."), field="day")
    if day > timezone.localdate() + timedelta(days=366):
        raise ValidationError(_("A follow-up is booked within a year."), field="day")
    with tenant_atomic():
        _claim_open(consultation)
        consultation.refresh_from_db(fields=["follow_up"])
        if consultation.follow_up_id is not None:
            raise Conflict(_("The follow-up is already booked."), field="day")
        follow_up = _book_first_free_slot(
            appointment=consultation.appointment,
            day=day,
            reason=_("Follow-up"),
            booked_by=booked_by,
        )
        try:
            Consultation.objects.filter(pk=consultation.pk).update(follow_up=follow_up)
        except IntegrityError:  # pragma: no cover - the claim above serialises writers
            raise Conflict(_("The follow-up is already booked."), field="day") from None
        _audit(
            "consultation.follow_up_booked",
            consultation,
            {"follow_up": follow_up.starts_at},
        )
    consultation.refresh_from_db()
    return follow_up
