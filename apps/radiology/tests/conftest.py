"""Fixtures for radiology tests: a hospital's seeded catalogue, studies ordered and
moved on through the services, radiologists and a linked doctor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.appointments.tests.factories import make_doctor
from apps.doctors.models import Doctor
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.radiology.models import Examination, Study
from apps.radiology.services import (
    radiology_report_save,
    radiology_report_verify,
    radiology_study_order,
    radiology_study_perform,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

CHEST = "XR-CHEST-PA"


def patient_of(hospital: Hospital) -> Patient:
    return register(hospital, first_name="Leyla")


def examination(code: str = CHEST) -> Examination:
    return Examination.objects.get(code=code)


def order(
    hospital: Hospital, patient: Patient | None = None, *, code: str = CHEST, **kwargs: Any
) -> Study:
    patient = patient or patient_of(hospital)
    with tenant_context(hospital):
        return radiology_study_order(
            hospital=hospital, patient=patient, examination=examination(code), **kwargs
        )


def performed(hospital: Hospital, study: Study, user: User) -> Study:
    with tenant_context(hospital):
        return radiology_study_perform(study=study, user=user)


def reported(hospital: Hospital, study: Study, user: User) -> Study:
    performed(hospital, study, user)
    with tenant_context(hospital):
        return radiology_report_save(
            study=study,
            findings="The lungs are clear.",
            impression="Normal chest.",
            user=user,
            submit=True,
        )


def verified(hospital: Hospital, study: Study, reporter: User, verifier: User) -> Study:
    reported(hospital, study, reporter)
    with tenant_context(hospital):
        return radiology_report_verify(study=study, user=verifier)


def reload(hospital: Hospital, study: Study) -> Study:
    with tenant_context(hospital):
        return Study.objects.get(pk=study.pk)


def is_fragment(response: Any) -> bool:
    return "<html" not in response.text


def linked_doctor(hospital: Hospital, user: User, name: str = "Dr Rəşad Quliyev") -> Doctor:
    doctor = make_doctor(hospital, name=name)
    with tenant_context(hospital):
        doctor.user_id = user.pk
        doctor.save(update_fields=["user_id"])
    return doctor


@pytest.fixture
def in_a(hospital_a: Hospital) -> Iterator[Hospital]:
    with tenant_context(hospital_a):
        yield hospital_a


@pytest.fixture
def radiologist_a(hospital_a: Hospital) -> User:
    return make_user(hospital_a, Role.RADIOLOGIST, "Aynur Radiology")


@pytest.fixture
def second_radiologist_a(hospital_a: Hospital) -> User:
    return make_user(hospital_a, Role.RADIOLOGIST, "Kamran Radiology")


@pytest.fixture
def radiologist(hospital_a: Hospital, radiologist_a: User) -> Client:
    return hospital_client(hospital_a, radiologist_a)


@pytest.fixture
def study_a(hospital_a: Hospital) -> Study:
    return order(hospital_a)
