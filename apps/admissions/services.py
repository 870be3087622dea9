"""Writing admissions: set up wards, rooms and beds; admit a patient to a vacant bed,
transfer, discharge (or cancel before any bed day); beds cleaned after use; nursing
notes and the outcome of each scheduled dose.

Taking a bed is a conditional UPDATE (``status = free``) inside ``tenant_atomic``. On
SQLite hospital databases every transaction begins IMMEDIATE (settings.SQLITE_OPTIONS),
so two admissions are serialised and the second finds the bed taken; on PostgreSQL the
UPDATE takes the row lock and the loser's filter no longer matches. Behind both, the
database refuses a second open occupancy of a bed and a second active admission of a
patient (partial unique constraints), so no code path can break either rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.admissions import doses
from apps.admissions.billing import KEY as BED_DAYS
from apps.admissions.models import (
    Admission,
    AdmissionRequest,
    AdmissionSettings,
    AdmissionStatus,
    Bed,
    BedStatus,
    DoseAdministration,
    DoseOutcome,
    NursingNote,
    Occupancy,
    RequestStatus,
    Room,
    Ward,
)
from apps.admissions.selectors import doses_due, medication_items
from apps.admissions.unbilled import unbilled_items
from apps.audit.auditing import audited
from apps.audit.services import changes_between, clinical_event_record
from apps.core.exceptions import Conflict, ValidationError
from apps.numbering.services import document_number_allocate
from apps.tenancy.db import tenant_atomic

if TYPE_CHECKING:
    from apps.accounts.models import User
    from apps.consultations.models import Consultation, PrescriptionItem
    from apps.doctors.models import Doctor
    from apps.patients.models import Patient
    from apps.tenancy.models import Hospital


# -- wards, rooms, beds -----------------------------------------------------------------


def _rate(value: Decimal | None, *, field: str = "daily_rate") -> None:
    if value is not None and value < 0:
        raise ValidationError(_("A daily rate cannot be negative."), field=field)


def _audit(action: str, record: Ward | Room | Bed, changes: Mapping[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity=record._meta.model_name or "",
        entity_id=record.pk,
        entity_label=str(record),
        changes=changes,
    )


def _audit_stay(action: str, admission: Admission, changes: Mapping[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity="admission",
        entity_id=admission.pk,
        entity_label=admission.number,
        patient=admission.patient,
        changes=changes,
    )


@audited("ward.created")
def ward_create(*, name: str, daily_rate: Decimal) -> Ward:
    name = name.strip()
    _rate(daily_rate)
    with tenant_atomic():
        if Ward.objects.filter(name__iexact=name).exists():
            raise ValidationError(_("There is already a ward with this name."), field="name")
        ward = Ward.objects.create(name=name, daily_rate=daily_rate)
        _audit("ward.created", ward, {"name": name, "daily_rate": daily_rate})
        return ward


@audited("ward.updated")
def ward_update(*, ward: Ward, name: str, daily_rate: Decimal, is_active: bool) -> Ward:
    """A new rate applies to beds taken from now on; occupancies keep the rate they
    started with."""
    name = name.strip()
    _rate(daily_rate)
    with tenant_atomic():
        if Ward.objects.filter(name__iexact=name).exclude(pk=ward.pk).exists():
            raise ValidationError(_("There is already a ward with this name."), field="name")
        if (
            not is_active
            and Bed.objects.filter(room__ward=ward, status=BedStatus.OCCUPIED).exists()
        ):
            raise Conflict(
                _("Patients are still in this ward; move them before closing it."),
                field="is_active",
            )
        before = Ward.objects.filter(pk=ward.pk).values("name", "daily_rate", "is_active").get()
        Ward.objects.filter(pk=ward.pk).update(
            name=name, daily_rate=daily_rate, is_active=is_active
        )
        after = {"name": name, "daily_rate": daily_rate, "is_active": is_active}
        _audit("ward.updated", ward, changes_between(before, after))
    ward.refresh_from_db()
    return ward


@audited("room.created")
def room_create(*, ward: Ward, name: str) -> Room:
    name = name.strip()
    with tenant_atomic():
        if Room.objects.filter(ward=ward, name__iexact=name).exists():
            raise ValidationError(_("This ward already has a room with this name."), field="name")
        room = Room.objects.create(ward=ward, name=name)
        _audit("room.created", room, {"ward": str(ward), "name": name})
        return room


@audited("bed.created")
def bed_create(*, room: Room, label: str, daily_rate: Decimal | None = None) -> Bed:
    label = label.strip()
    _rate(daily_rate)
    with tenant_atomic():
        if Bed.objects.filter(room=room, label__iexact=label).exists():
            raise ValidationError(_("This room already has a bed with this label."), field="label")
        bed = Bed.objects.create(room=room, label=label, daily_rate=daily_rate)
        _audit("bed.created", bed, {"room": str(room), "label": label, "daily_rate": daily_rate})
        return bed


@audited("bed.cleaned")
def bed_mark_clean(*, bed: Bed) -> Bed:
    """A nurse marks a bed clean after a discharge or transfer: it is free again."""
    with tenant_atomic():
        if not Bed.objects.filter(pk=bed.pk, status=BedStatus.CLEANING).update(
            status=BedStatus.FREE
        ):
            raise Conflict(_("This bed is not waiting to be cleaned."), field="bed")
        _audit("bed.cleaned", bed, {"status": [BedStatus.CLEANING, BedStatus.FREE]})
    bed.refresh_from_db()
    return bed


def admission_settings_get() -> AdmissionSettings:
    """The hospital's rules; the defaults until the administrator saves them (reading
    never writes)."""
    return AdmissionSettings.objects.filter(pk=1).first() or AdmissionSettings(pk=1)


@audited("settings.changed")
def admission_settings_update(*, allow_discharge_with_unbilled: bool) -> AdmissionSettings:
    with tenant_atomic():
        before = admission_settings_get().allow_discharge_with_unbilled
        settings, _created = AdmissionSettings.objects.update_or_create(
            pk=1, defaults={"allow_discharge_with_unbilled": allow_discharge_with_unbilled}
        )
        clinical_event_record(
            action="settings.changed",
            entity="admission_settings",
            entity_id=settings.pk,
            changes={"allow_discharge_with_unbilled": [before, allow_discharge_with_unbilled]},
        )
    return settings


# -- the "to admit" list ----------------------------------------------------------------


@audited("admission_request.created")
def admission_request_create(
    *,
    patient: Patient,
    reason: str,
    requested_by: User,
    consultation: Consultation | None = None,
    ward: Ward | None = None,
) -> AdmissionRequest:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the patient is admitted."), field="reason")
    if consultation is not None and consultation.patient_id != patient.pk:
        raise ValidationError(_("This consultation is another patient's."), field="consultation")
    waiting = _("This patient is already waiting for a bed.")
    try:
        with tenant_atomic():
            if Admission.objects.filter(patient=patient, status=AdmissionStatus.ADMITTED).exists():
                raise Conflict(_("This patient is already admitted."), field="patient")
            if AdmissionRequest.objects.filter(
                patient=patient, status=RequestStatus.PENDING
            ).exists():
                raise Conflict(waiting, field="patient")
            request = AdmissionRequest.objects.create(
                patient=patient,
                consultation=consultation,
                ward=ward,
                reason=reason[:300],
                requested_by_id=requested_by.pk,
            )
            clinical_event_record(
                action="admission_request.created",
                entity="admission_request",
                entity_id=request.pk,
                entity_label=patient.number,
                patient=patient,
                changes={"reason": request.reason, "ward": str(ward) if ward else None},
            )
            return request
    except IntegrityError:
        # One pending request per patient (a partial unique constraint): on PostgreSQL
        # two requests at once both pass the check above, and the second insert is the
        # one refused.
        raise Conflict(waiting, field="patient") from None


@audited("admission_request.cancelled")
def admission_request_cancel(*, request: AdmissionRequest) -> AdmissionRequest:
    with tenant_atomic():
        if not AdmissionRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
            status=RequestStatus.CANCELLED
        ):
            raise Conflict(_("This request is no longer waiting."))
        clinical_event_record(
            action="admission_request.cancelled",
            entity="admission_request",
            entity_id=request.pk,
            entity_label=request.patient.number,
            patient=request.patient,
            changes={"status": [RequestStatus.PENDING, RequestStatus.CANCELLED]},
        )
    request.refresh_from_db()
    return request


# -- admission, transfer, discharge -----------------------------------------------------


def _take_bed(bed: Bed) -> Decimal:
    """Claim a vacant bed for the caller's transaction; its current rate."""
    taken = Bed.objects.filter(
        pk=bed.pk, status=BedStatus.FREE, is_active=True, room__ward__is_active=True
    ).update(status=BedStatus.OCCUPIED)
    if not taken:
        raise Conflict(
            _("Bed %(bed)s is not vacant any more; choose another.") % {"bed": bed.label},
            field="bed",
        )
    return Bed.objects.select_related("room__ward").get(pk=bed.pk).rate


def _release_open_occupancy(admission: Admission, at: datetime) -> Occupancy:
    occupancy = Occupancy.objects.get(admission=admission, ended_at__isnull=True)
    if at < occupancy.started_at:
        raise ValidationError(
            _("This is before the patient moved into the current bed."), field="at"
        )
    Occupancy.objects.filter(pk=occupancy.pk).update(ended_at=at)
    # The bed needs cleaning before anyone else lies in it
    Bed.objects.filter(pk=occupancy.bed_id).update(status=BedStatus.CLEANING)
    occupancy.ended_at = at
    return occupancy


#: what every change to a stay that has ended (discharged or cancelled) is told
NO_LONGER_ACTIVE = gettext_lazy("This admission is no longer active.")


def _claim_active(admission: Admission) -> None:
    """Lock the admission for this transaction; refuse if it left the ward meanwhile."""
    if not Admission.objects.filter(pk=admission.pk, status=AdmissionStatus.ADMITTED).update(
        status=AdmissionStatus.ADMITTED
    ):
        raise Conflict(str(NO_LONGER_ACTIVE), field="status")


@audited("admission.admitted")
def admission_admit(
    *,
    hospital: Hospital,
    patient: Patient,
    bed: Bed,
    reason: str,
    admitted_by: User,
    doctor: Doctor | None = None,
    consultation: Consultation | None = None,
    request: AdmissionRequest | None = None,
    expected_discharge_on: date | None = None,
    at: datetime | None = None,
) -> Admission:
    """Admit the patient to a vacant bed (from a consultation, a request, or directly)."""
    reason = reason.strip() or (request.reason if request is not None else "")
    if not reason:
        raise ValidationError(_("Say why the patient is admitted."), field="reason")
    if consultation is None and request is not None:
        consultation = request.consultation
    if consultation is not None and consultation.patient_id != patient.pk:
        raise ValidationError(_("This consultation is another patient's."), field="consultation")
    if request is not None and request.patient_id != patient.pk:
        raise ValidationError(_("This request is another patient's."), field="request")
    if doctor is None and consultation is not None:
        doctor = consultation.doctor
    at = at or timezone.now()
    if expected_discharge_on is not None and expected_discharge_on < timezone.localdate(at):
        raise ValidationError(
            _("The expected discharge cannot be before the admission."),
            field="expected_discharge_on",
        )
    try:
        with tenant_atomic():
            if Admission.objects.filter(patient=patient, status=AdmissionStatus.ADMITTED).exists():
                raise Conflict(_("This patient is already admitted."), field="patient")
            if request is not None and not AdmissionRequest.objects.filter(
                pk=request.pk, status=RequestStatus.PENDING
            ).update(status=RequestStatus.ADMITTED):
                raise Conflict(_("This request is no longer waiting."), field="request")
            rate = _take_bed(bed)
            admission = Admission.objects.create(
                number=document_number_allocate(hospital=hospital, kind="ADM", year=at.year),
                patient=patient,
                consultation=consultation,
                request=request,
                doctor=doctor,
                reason=reason[:300],
                admitted_at=at,
                admitted_by_id=admitted_by.pk,
                expected_discharge_on=expected_discharge_on,
            )
            Occupancy.objects.create(admission=admission, bed=bed, started_at=at, daily_rate=rate)
            _audit_stay(
                "admission.admitted",
                admission,
                {
                    "bed": str(bed),
                    "doctor": str(doctor) if doctor else None,
                    "reason": admission.reason,
                    "admitted_at": at,
                },
            )
    except IntegrityError:
        # The constraints behind the checks above: a racing writer got there first
        raise Conflict(
            _("The patient or the bed was taken by another admission just now; reload."),
            field="bed",
        ) from None
    return admission


@audited("admission.transferred")
def admission_transfer(
    *, admission: Admission, bed: Bed, transferred_by: User, at: datetime | None = None
) -> Occupancy:
    """Move the patient to another vacant bed; the old occupancy is kept (ended) and
    its bed goes to cleaning."""
    at = at or timezone.now()
    try:
        with tenant_atomic():
            _claim_active(admission)
            current = Occupancy.objects.get(admission=admission, ended_at__isnull=True)
            if current.bed_id == bed.pk:
                raise ValidationError(_("The patient is already in this bed."), field="bed")
            _release_open_occupancy(admission, at)
            rate = _take_bed(bed)
            occupancy = Occupancy.objects.create(
                admission=admission, bed=bed, started_at=at, daily_rate=rate
            )
            _audit_stay(
                "admission.transferred", admission, {"bed": [str(current.bed), str(bed)], "at": at}
            )
            return occupancy
    except IntegrityError:
        raise Conflict(_("The bed was taken just now; choose another."), field="bed") from None


@dataclass(frozen=True)
class DischargeSummary:
    diagnoses: str
    treatment: str
    medicines: str = ""
    follow_up: str = ""


def admission_discharge_blockers(*, admission: Admission) -> list[str]:
    """Why the patient may not leave yet: the descriptions of unbilled items (empty when
    everything is invoiced or the hospital allows discharge with unbilled services).
    This admission's own bed days are not counted: the discharge closes the last of
    them, and they go on the discharge invoice."""
    if admission_settings_get().allow_discharge_with_unbilled:
        return []
    own = [
        (BED_DAYS, str(pk))
        for pk in Occupancy.objects.filter(admission=admission).values_list("pk", flat=True)
    ]
    return [
        item.description for item in unbilled_items(patient_id=admission.patient_id, excluding=own)
    ]


@audited("admission.discharged")
def admission_discharge(
    *,
    admission: Admission,
    summary: DischargeSummary,
    discharged_by: User,
    at: datetime | None = None,
) -> Admission:
    at = at or timezone.now()
    errors = {}
    if not summary.diagnoses.strip():
        errors["diagnoses"] = _("Write the diagnoses at discharge.")
    if not summary.treatment.strip():
        errors["treatment"] = _("Write the treatment given.")
    if errors:
        raise InvalidSummary(errors)
    with tenant_atomic():
        _claim_active(admission)
        unbilled = admission_discharge_blockers(admission=admission)
        if unbilled:
            raise Conflict(
                _(
                    "The patient has services not yet invoiced: %(items)s. Invoice them "
                    "first, or the hospital administrator allows discharge with unbilled "
                    "services."
                )
                % {"items": "; ".join(unbilled)}
            )
        _release_open_occupancy(admission, at)
        Admission.objects.filter(pk=admission.pk).update(
            status=AdmissionStatus.DISCHARGED,
            discharged_at=at,
            discharged_by_id=discharged_by.pk,
            discharge_diagnoses=summary.diagnoses.strip(),
            discharge_treatment=summary.treatment.strip(),
            discharge_medicines=summary.medicines.strip(),
            discharge_follow_up=summary.follow_up.strip(),
        )
        _audit_stay(
            "admission.discharged",
            admission,
            {
                "status": [AdmissionStatus.ADMITTED, AdmissionStatus.DISCHARGED],
                "discharged_at": at,
                "diagnoses": summary.diagnoses.strip(),
                "treatment": summary.treatment.strip(),
                "medicines": summary.medicines.strip(),
                "follow_up": summary.follow_up.strip(),
            },
        )
    admission.refresh_from_db()
    return admission


class InvalidSummary(ValidationError):
    """Several fields wrong at once: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()), field=next(iter(errors)))
        self.errors = errors


@audited("admission.cancelled")
def admission_cancel(
    *, admission: Admission, reason: str, cancelled_by: User, at: datetime | None = None
) -> Admission:
    """Undo an admission made in error, on the day it was made (before any bed day is
    owed): nothing is charged; the bed goes to cleaning."""
    at = at or timezone.now()
    if not reason.strip():
        raise ValidationError(_("Say why the admission is cancelled."), field="reason")
    with tenant_atomic():
        _claim_active(admission)
        if timezone.localdate(at) != timezone.localdate(admission.admitted_at):
            raise Conflict(
                _("An admission can be cancelled only on the day it was made; discharge instead."),
                field="reason",
            )
        _release_open_occupancy(admission, at)
        Admission.objects.filter(pk=admission.pk).update(
            status=AdmissionStatus.CANCELLED, cancel_reason=reason.strip()[:300]
        )
        _audit_stay(
            "admission.cancelled",
            admission,
            {
                "status": [AdmissionStatus.ADMITTED, AdmissionStatus.CANCELLED],
                "reason": reason.strip()[:300],
            },
        )
    admission.refresh_from_db()
    return admission


@audited("admission.discharge_planned")
def admission_plan_discharge(*, admission: Admission, on: date | None) -> Admission:
    """The day the doctor expects the patient to go home: the "to discharge" list."""
    if on is not None and on < timezone.localdate(admission.admitted_at):
        raise ValidationError(
            _("The expected discharge cannot be before the admission."),
            field="expected_discharge_on",
        )
    with tenant_atomic():
        _claim_active(admission)
        before = (
            Admission.objects.filter(pk=admission.pk)
            .values_list("expected_discharge_on", flat=True)
            .get()
        )
        Admission.objects.filter(pk=admission.pk).update(expected_discharge_on=on)
        _audit_stay(
            "admission.discharge_planned", admission, {"expected_discharge_on": [before, on]}
        )
    admission.refresh_from_db()
    return admission


# -- nursing ----------------------------------------------------------------------------


@audited("admission.nursing_note_added")
def nursing_note_add(*, admission: Admission, text: str, author: User) -> NursingNote:
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the note."), field="text")
    with tenant_atomic():
        _claim_active(admission)
        note = NursingNote.objects.create(
            admission=admission, text=text, written_at=timezone.now(), author_id=author.pk
        )
        _audit_stay("admission.nursing_note_added", admission, {"text": text})
        return note


@audited("admission.dose_recorded")
def dose_record(
    *,
    admission: Admission,
    item: PrescriptionItem,
    scheduled_at: datetime,
    outcome: str,
    recorded_by: User,
    reason: str = "",
    at: datetime | None = None,
) -> DoseAdministration:
    """The nurse's record of one scheduled dose: given, held or refused (held and
    refused need a reason). A dose is recorded once."""
    at = at or timezone.now()
    reason = reason.strip()
    if outcome not in DoseOutcome.values:
        raise ValidationError(_("Choose given, held or refused."), field="outcome")
    if outcome != DoseOutcome.GIVEN and not reason:
        raise ValidationError(_("Say why the dose was not given."), field="reason")
    if at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(_("The time cannot be in the future."), field="at")
    if item.pk not in {i.pk for i in medication_items(admission=admission)}:
        raise ValidationError(_("This medicine is not on the patient's chart."), field="item")
    schedule = doses.schedule_of(item.frequency)
    local = timezone.localtime(scheduled_at)
    if local not in doses_due(admission=admission, item=item, schedule=schedule, day=local.date()):
        raise ValidationError(_("No dose of this medicine is due at that time."), field="item")
    try:
        with tenant_atomic():
            _claim_active(admission)
            dose = DoseAdministration.objects.create(
                admission=admission,
                item=item,
                scheduled_at=scheduled_at,
                outcome=outcome,
                at=at,
                reason=reason[:300],
                recorded_by_id=recorded_by.pk,
            )
            _audit_stay(
                "admission.dose_recorded",
                admission,
                {
                    "medicine": f"{item.medicine} {item.dose}",
                    "scheduled_at": scheduled_at,
                    "outcome": outcome,
                    "at": at,
                    "reason": dose.reason,
                },
            )
            return dose
    except IntegrityError:
        raise Conflict(_("This dose is already recorded.")) from None
