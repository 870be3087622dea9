"""Reading consultations, for this module's pages and for the modules built on it
(pharmacy reads prescription items, laboratory and admissions read diagnoses)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch, QuerySet
from django.utils.translation import gettext as _

from apps.appointments.models import Appointment, AppointmentStatus
from apps.consultations.models import (
    Amendment,
    Consultation,
    Diagnosis,
    Prescription,
    PrescriptionItem,
    Vitals,
)
from apps.consultations.vitals import Flag, flags_of
from apps.core.exceptions import NotFound
from apps.doctors.models import Doctor

if TYPE_CHECKING:
    from apps.accounts.models import User

#: the appointments a doctor's day list shows (cancelled and no-shows are not patients)
DAY_LIST_STATUSES = (
    AppointmentStatus.SCHEDULED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.IN_CONSULTATION,
    AppointmentStatus.COMPLETED,
)


def doctor_of_user(*, user: User) -> Doctor | None:
    """The doctor record the login is linked to (``Doctor.user_id``), if any."""
    return Doctor.objects.filter(user_id=user.pk).first()


def doctor_get(*, doctor_id: int | str) -> Doctor:
    doctor = Doctor.objects.filter(pk=doctor_id).first() if str(doctor_id).isdigit() else None
    if doctor is None:
        raise NotFound(_("There is no such doctor in this hospital."))
    return doctor


def doctor_day_list(*, doctor: Doctor, day: date) -> list[Appointment]:
    """The doctor's patients of ``day`` in queue order: checked-in patients by queue
    number, then those not yet arrived by their slot."""
    return list(
        Appointment.objects.filter(doctor=doctor, date=day, status__in=DAY_LIST_STATUSES)
        .select_related("patient", "consultation")
        .order_by(
            F("queue_number").asc(nulls_last=True),
            F("starts_at").asc(nulls_last=True),
            "created_at",
        )
    )


def appointment_get(*, appointment_id: uuid.UUID | str) -> Appointment:
    appointment = (
        Appointment.objects.select_related("patient", "doctor").filter(pk=appointment_id).first()
    )
    if appointment is None:
        raise NotFound(_("There is no such appointment in this hospital."))
    return appointment


def consultation_get(*, consultation_id: uuid.UUID | str) -> Consultation:
    consultation = (
        Consultation.objects.select_related("patient", "doctor", "appointment", "follow_up")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None:
        raise NotFound(_("There is no such consultation in this hospital."))
    return consultation


def diagnosis_get(*, consultation: Consultation, diagnosis_id: int) -> Diagnosis:
    diagnosis = consultation.diagnoses.filter(pk=diagnosis_id).first()
    if diagnosis is None:
        raise NotFound(_("There is no such diagnosis in this consultation."))
    return diagnosis


def prescription_item_get(*, consultation: Consultation, item_id: int) -> PrescriptionItem:
    item = PrescriptionItem.objects.filter(
        pk=item_id, prescription__consultation=consultation
    ).first()
    if item is None:
        raise NotFound(_("There is no such item in this prescription."))
    return item


def consultation_of_appointment(*, appointment: Appointment) -> Consultation | None:
    return Consultation.objects.filter(appointment=appointment).first()


def consultations_of_patient(*, patient_id: uuid.UUID) -> QuerySet[Consultation]:
    """The patient's consultations, newest first, with diagnoses and prescription items."""
    return (
        Consultation.objects.filter(patient_id=patient_id)
        .select_related("doctor", "prescription")
        .prefetch_related(
            "diagnoses",
            Prefetch("prescription__items", queryset=PrescriptionItem.objects.all()),
        )
        .order_by("-started_at")
    )


def diagnoses_of_consultation(*, consultation_id: uuid.UUID) -> QuerySet[Diagnosis]:
    """Primary first."""
    return Diagnosis.objects.filter(consultation_id=consultation_id)


def prescription_items_of_consultation(*, consultation_id: uuid.UUID) -> QuerySet[PrescriptionItem]:
    """What the doctor prescribed in one consultation, in the order written: what the
    pharmacy dispenses from."""
    return PrescriptionItem.objects.filter(
        prescription__consultation_id=consultation_id
    ).select_related("prescription")


def prescription_get(*, number: str) -> Prescription:
    """A prescription by the number printed on it (what a patient brings to the
    pharmacy), with its consultation, patient and doctor."""
    prescription = (
        Prescription.objects.select_related("consultation", "patient", "doctor")
        .filter(number=number.strip().upper())
        .first()
    )
    if prescription is None:
        raise NotFound(_("There is no prescription with this number in this hospital."))
    return prescription


def prescription_items_of_patient(*, patient_id: uuid.UUID) -> QuerySet[PrescriptionItem]:
    """Every item prescribed to the patient, newest prescription first."""
    return (
        PrescriptionItem.objects.filter(prescription__patient_id=patient_id)
        .select_related("prescription", "prescription__doctor")
        .order_by("-prescription__created_at", "added_at", "id")
    )


def vitals_of_visit(*, appointment: Appointment) -> list[Vitals]:
    return list(Vitals.objects.filter(appointment=appointment).order_by("-recorded_at"))


def vitals_of_patient(*, patient_id: uuid.UUID) -> QuerySet[Vitals]:
    """The patient's measurements as a series, oldest first (for charts)."""
    return Vitals.objects.filter(patient_id=patient_id).order_by("recorded_at")


def vitals_flags(*, vitals: Vitals) -> list[Flag]:
    return flags_of(
        {
            name: getattr(vitals, name)
            for name in (
                "systolic",
                "diastolic",
                "pulse",
                "temperature",
                "spo2",
                "respiratory_rate",
                "bmi",
            )
        }
    )


def amendments_of(*, consultation: Consultation) -> QuerySet[Amendment]:
    return consultation.amendments.all()
