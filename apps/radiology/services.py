"""Imaging studies from the order to the verified report, and corrections after it.

One function per transition, each a conditional update (``WHERE status IN (allowed)``)
inside the hospital's transaction, so two people acting on one study at once cannot
both move it; the loser gets ``Conflict`` with a sentence saying where it stands:

    radiology_study_schedule   Ordered → Scheduled
    radiology_study_perform    Ordered | Scheduled → Performed (billable from now on)
    radiology_report_submit    Performed → Reported (the report is handed in)
    radiology_report_verify    Reported → Verified, by a second reader: never the one
                               who reported (or last amended) it
    radiology_study_cancel     Ordered | Scheduled → Cancelled, with a reason
    radiology_report_amend     Verified → Reported: the verified text is kept in an
                               amendment and a second reader verifies the new one

The report is typed while the study is performed (``radiology_report_save``, as often as
needed), starting from the examination's template.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.appointments.models import Appointment, AppointmentStatus
from apps.audit.auditing import audited
from apps.audit.services import clinical_event_record
from apps.core.exceptions import Conflict, ValidationError
from apps.doctors.models import Doctor
from apps.numbering.services import document_number_allocate
from apps.patients.models import Patient
from apps.radiology.models import Examination, Priority, ReportAmendment, Study, StudyStatus
from apps.tenancy.db import tenant_atomic
from apps.tenancy.models import Hospital

logger = logging.getLogger(__name__)

#: the billable source key of performed examinations (see apps.radiology.billing)
RADIOLOGY_SOURCE = "radiology.examination"


def _audit(action: str, study: Study, changes: Mapping[str, object]) -> None:
    clinical_event_record(
        action=action,
        entity="radiology_study",
        entity_id=study.pk,
        entity_label=study.number,
        patient=study.patient,
        changes=changes,
    )


# -- catalogue ---------------------------------------------------------------------------


@audited("examination.updated")
def radiology_examination_update(
    *, examination: Examination, price: Decimal, is_active: bool
) -> Examination:
    """The hospital's price of an examination and whether it is offered; studies
    already ordered keep the price they were ordered at."""
    if price < 0:
        raise ValidationError(_("A price cannot be negative."), field="price")
    if price.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(_("A price has at most two decimal places."), field="price")
    changes = {"price": [examination.price, price], "is_active": [examination.is_active, is_active]}
    examination.price = price
    examination.is_active = is_active
    with tenant_atomic():
        examination.save(update_fields=["price", "is_active"])
        clinical_event_record(
            action="examination.updated",
            entity="examination",
            entity_id=examination.pk,
            entity_label=examination.code,
            changes=changes,
        )
    return examination


# -- ordering ----------------------------------------------------------------------------


def _doctor_of(user: User | None) -> Doctor | None:
    if user is None:
        return None
    return Doctor.objects.filter(user_id=user.pk).first()


@audited("radiology_study.ordered")
def radiology_study_order(
    *,
    hospital: Hospital,
    patient: Patient,
    examination: Examination,
    priority: str = Priority.ROUTINE,
    ordered_by: User | None = None,
    appointment: Appointment | None = None,
    clinical_notes: str = "",
) -> Study:
    """Order ``examination`` for ``patient``, numbered ``<CODE>-RAD-<year>-000001``. A
    doctor orders in their own name (the doctor record linked to ``ordered_by``); from
    a consultation the patient must be the appointment's, whose doctor orders when the
    person ordering is not a doctor."""
    if priority not in Priority.values:
        raise ValidationError(_("Choose routine or urgent."), field="priority")
    if not examination.is_active:
        raise ValidationError(
            _("%(examination)s is not offered.") % {"examination": examination.display_name},
            field="examination",
        )
    ordering_doctor = _doctor_of(ordered_by)
    if appointment is not None:
        if appointment.patient_id != patient.pk:
            raise ValidationError(_("This appointment is another patient's."), field="appointment")
        if appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW):
            raise ValidationError(
                _("This appointment is %(status)s; examinations cannot be ordered in it.")
                % {"status": appointment.get_status_display()},
                field="appointment",
            )
        ordering_doctor = ordering_doctor or appointment.doctor
    with tenant_atomic():
        number = document_number_allocate(
            hospital=hospital, kind="RAD", year=timezone.localdate().year
        )
        if appointment is not None:
            # the series' lock above orders two placements of one visit: the second
            # sees the first (Back and "Order" again is a copy, not a second study)
            already = (
                Study.objects.filter(appointment=appointment, examination=examination)
                .exclude(status=StudyStatus.CANCELLED)
                .first()
            )
            if already is not None:
                raise ValidationError(
                    _("%(examination)s is already ordered in this visit (%(number)s).")
                    % {"examination": examination.display_name, "number": already.number},
                    field="examination",
                )
        study = Study.objects.create(
            number=number,
            patient=patient,
            appointment=appointment,
            ordering_doctor=ordering_doctor,
            examination=examination,
            modality_id=examination.modality_id,
            description=examination.name,
            price=examination.price,
            priority=priority,
            clinical_notes=clinical_notes.strip(),
            ordered_by_id=ordered_by.pk if ordered_by else None,
        )
        _audit(
            "radiology_study.ordered",
            study,
            {
                "examination": examination.code,
                "priority": priority,
                "ordering_doctor": str(ordering_doctor) if ordering_doctor else None,
            },
        )
    logger.info("ordered imaging study %s", study.number)
    return study


# -- transitions ----------------------------------------------------------------------------


def _cannot_become(study: Study, to: StudyStatus) -> Conflict:
    return Conflict(
        _("This study is %(status)s and cannot become %(target)s.")
        % {"status": study.get_status_display(), "target": to.label},
        field="status",
    )


def _move(
    study: Study, *, allowed_from: tuple[StudyStatus, ...], to: StudyStatus, **fields: Any
) -> Study:
    moved = Study.objects.filter(pk=study.pk, status__in=allowed_from).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if not moved:
        study.refresh_from_db(fields=["status"])
        raise _cannot_become(study, to)
    study.refresh_from_db()
    return study


@audited("radiology_study.scheduled")
def radiology_study_schedule(*, study: Study, user: User, at: datetime) -> Study:
    """Ordered → Scheduled for ``at`` (not in the past)."""
    if at < timezone.now() - timedelta(minutes=5):
        raise ValidationError(_("Choose a time that is not in the past."), field="scheduled_for")
    with tenant_atomic():
        scheduled = _move(
            study,
            allowed_from=(StudyStatus.ORDERED,),
            to=StudyStatus.SCHEDULED,
            scheduled_for=at,
            scheduled_by_id=user.pk,
        )
        _audit(
            "radiology_study.scheduled",
            scheduled,
            {"status": [StudyStatus.ORDERED, scheduled.status], "scheduled_for": at},
        )
        return scheduled


@audited("radiology_study.performed")
def radiology_study_perform(*, study: Study, user: User) -> Study:
    """The examination is done: Ordered | Scheduled → Performed. From now on it is
    billable (once: billing marks each item invoiced once)."""
    before = study.status
    with tenant_atomic():
        performed = _move(
            study,
            allowed_from=(StudyStatus.ORDERED, StudyStatus.SCHEDULED),
            to=StudyStatus.PERFORMED,
            performed_at=timezone.now(),
            performed_by_id=user.pk,
        )
        _audit("radiology_study.performed", performed, {"status": [before, performed.status]})
        return performed


@audited("radiology_study.cancelled")
def radiology_study_cancel(*, study: Study, user: User, reason: str) -> Study:
    """Ordered | Scheduled → Cancelled; a performed study is reported, not cancelled."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the study is cancelled."), field="reason")
    before = study.status
    with tenant_atomic():
        cancelled = _move(
            study,
            allowed_from=(StudyStatus.ORDERED, StudyStatus.SCHEDULED),
            to=StudyStatus.CANCELLED,
            cancelled_at=timezone.now(),
            cancelled_by_id=user.pk,
            cancel_reason=reason,
        )
        _audit(
            "radiology_study.cancelled",
            cancelled,
            {"status": [before, cancelled.status], "reason": reason},
        )
        return cancelled


def _report_text(findings: str, impression: str) -> tuple[str, str]:
    findings, impression = findings.strip(), impression.strip()
    if not findings:
        raise ValidationError(_("Write the findings."), field="findings")
    if not impression:
        raise ValidationError(_("Write the impression."), field="impression")
    return findings, impression


@audited("radiology_study.report_saved", "radiology_study.reported")
def radiology_report_save(
    *, study: Study, findings: str, impression: str, user: User, submit: bool = False
) -> Study:
    """Save the report of a performed study; with ``submit`` hand it in for
    verification (Performed → Reported) by someone else."""
    if submit:
        findings, impression = _report_text(findings, impression)
    else:
        findings, impression = findings.strip(), impression.strip()
    now = timezone.now()
    with tenant_atomic():
        if submit:
            saved = _move(
                study,
                allowed_from=(StudyStatus.PERFORMED,),
                to=StudyStatus.REPORTED,
                findings=findings,
                impression=impression,
                reported_at=now,
                reported_by_id=user.pk,
            )
        else:
            # refused unless still performed: a submitted report is changed by amending it
            if not Study.objects.filter(pk=study.pk, status=StudyStatus.PERFORMED).update(
                findings=findings, impression=impression, updated_at=now
            ):
                study.refresh_from_db(fields=["status"])
                raise Conflict(
                    _("The report is written once the study is performed (it is %(status)s).")
                    % {"status": study.get_status_display()}
                )
            study.refresh_from_db()
            saved = study
        _audit(
            "radiology_study.reported" if submit else "radiology_study.report_saved",
            saved,
            {"status": saved.status} if submit else {},
        )
        return saved


@audited("radiology_study.verified")
def radiology_report_verify(*, study: Study, user: User) -> Study:
    """Reported → Verified by a second reader: never the one who reported it (after an
    amendment: who amended it). A study already verified says so."""
    study.refresh_from_db(fields=["status", "reported_by_id"])
    if study.status != StudyStatus.REPORTED:
        raise _cannot_become(study, StudyStatus.VERIFIED)
    if study.reported_by_id == user.pk:
        raise ValidationError(
            _("You wrote this report; a second reader must verify it."), field="verify"
        )
    with tenant_atomic():
        verified = _move(
            study,
            allowed_from=(StudyStatus.REPORTED,),
            to=StudyStatus.VERIFIED,
            verified_at=timezone.now(),
            verified_by_id=user.pk,
        )
        _audit(
            "radiology_study.verified",
            verified,
            {"status": [StudyStatus.REPORTED, verified.status]},
        )
        return verified


@audited("radiology_study.amended")
def radiology_report_amend(
    *, study: Study, findings: str, impression: str, reason: str, user: User
) -> ReportAmendment:
    """Correct a verified report: the verified text and its verification are kept in an
    amendment, the study goes back to Reported with the amender as its reporter, so a
    second reader verifies the new text."""
    findings, impression = _report_text(findings, impression)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the report is amended."), field="reason")
    study.refresh_from_db()
    if study.status != StudyStatus.VERIFIED:
        raise Conflict(
            _("Only a verified report is amended (this study is %(status)s).")
            % {"status": study.get_status_display()}
        )
    if findings == study.findings and impression == study.impression:
        raise ValidationError(_("The report is unchanged."), field="findings")
    previous = (study.findings, study.impression, study.verified_by_id, study.verified_at)
    with tenant_atomic():
        _move(
            study,
            allowed_from=(StudyStatus.VERIFIED,),
            to=StudyStatus.REPORTED,
            findings=findings,
            impression=impression,
            reported_at=timezone.now(),
            reported_by_id=user.pk,
            verified_at=None,
            verified_by_id=None,
        )
        amendment = ReportAmendment.objects.create(
            study=study,
            previous_findings=previous[0],
            previous_impression=previous[1],
            new_findings=findings,
            new_impression=impression,
            reason=reason,
            amended_by_id=user.pk,
            previous_verified_by_id=previous[2],
            previous_verified_at=previous[3],
        )
        _audit(
            "radiology_study.amended",
            study,
            {
                "findings": [previous[0], findings],
                "impression": [previous[1], impression],
                "reason": reason,
            },
        )
    return amendment
