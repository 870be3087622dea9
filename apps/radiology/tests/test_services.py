"""Imaging studies through the services: ordering, forward-only states, the second
reader, amendments, and billing once performed."""

from __future__ import annotations

import pytest

from apps.accounts.models import User
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.billing.selectors import unbilled_items
from apps.core.exceptions import Conflict, ValidationError
from apps.core.testing import run_at_once
from apps.radiology.models import ReportAmendment, StudyStatus
from apps.radiology.services import (
    radiology_report_amend,
    radiology_report_save,
    radiology_report_verify,
    radiology_study_cancel,
    radiology_study_perform,
)
from apps.radiology.tests.conftest import (
    examination,
    linked_doctor,
    order,
    patient_of,
    performed,
    reload,
    reported,
    verified,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_an_order_is_numbered_priced_and_names_the_signed_in_doctor(
    hospital_a: Hospital, radiologist_a: User
) -> None:
    from conftest import make_user

    doctor_user = make_user(hospital_a, "doctor", "Dr Orxan")
    doctor = linked_doctor(hospital_a, doctor_user)
    study = order(hospital_a, ordered_by=doctor_user)
    assert "-RAD-" in study.number
    assert study.status == StudyStatus.ORDERED
    assert study.ordering_doctor_id == doctor.pk
    with tenant_context(hospital_a):
        assert study.price == examination().price
        assert study.modality_id == examination().modality_id


def test_an_examination_ordered_twice_in_one_visit_is_refused(hospital_a: Hospital) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    with tenant_context(hospital_a):
        patient = appointment.patient
    order(hospital_a, patient, appointment=appointment)
    with pytest.raises(ValidationError, match="already ordered in this visit"):
        order(hospital_a, patient, appointment=appointment)


def test_an_appointment_of_another_patient_is_refused(hospital_a: Hospital) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    with pytest.raises(ValidationError, match="another patient"):
        order(hospital_a, patient_of(hospital_a), appointment=appointment)


def test_states_move_forward_only(
    hospital_a: Hospital, radiologist_a: User, second_radiologist_a: User
) -> None:
    study = verified(hospital_a, order(hospital_a), radiologist_a, second_radiologist_a)
    assert study.status == StudyStatus.VERIFIED
    with tenant_context(hospital_a), pytest.raises(Conflict, match="Verified"):
        radiology_study_perform(study=study, user=radiologist_a)
    with tenant_context(hospital_a), pytest.raises(Conflict):
        radiology_study_cancel(study=study, user=radiologist_a, reason="no longer needed")


def test_a_performed_study_cannot_be_cancelled(
    hospital_a: Hospital, study_a, radiologist_a: User
) -> None:
    performed(hospital_a, study_a, radiologist_a)
    with tenant_context(hospital_a), pytest.raises(Conflict, match="cannot become Cancelled"):
        radiology_study_cancel(study=study_a, user=radiologist_a, reason="duplicate")


def test_a_cancel_needs_a_reason(hospital_a: Hospital, study_a, radiologist_a: User) -> None:
    with tenant_context(hospital_a), pytest.raises(ValidationError) as refused:
        radiology_study_cancel(study=study_a, user=radiologist_a, reason="  ")
    assert refused.value.field == "reason"
    with tenant_context(hospital_a):
        cancelled = radiology_study_cancel(study=study_a, user=radiologist_a, reason="duplicate")
    assert (cancelled.status, cancelled.cancel_reason) == (StudyStatus.CANCELLED, "duplicate")


def test_a_report_is_submitted_with_findings_and_impression(
    hospital_a: Hospital, study_a, radiologist_a: User
) -> None:
    performed(hospital_a, study_a, radiologist_a)
    with tenant_context(hospital_a), pytest.raises(ValidationError) as refused:
        radiology_report_save(
            study=study_a, findings="Clear.", impression="", user=radiologist_a, submit=True
        )
    assert refused.value.field == "impression"
    with tenant_context(hospital_a):
        draft = radiology_report_save(
            study=study_a, findings="Draft", impression="", user=radiologist_a
        )
    assert (draft.status, draft.findings) == (StudyStatus.PERFORMED, "Draft")


def test_the_reporter_cannot_verify_their_own_report(
    hospital_a: Hospital, study_a, radiologist_a: User, second_radiologist_a: User
) -> None:
    reported(hospital_a, study_a, radiologist_a)
    with tenant_context(hospital_a), pytest.raises(ValidationError, match="second reader"):
        radiology_report_verify(study=study_a, user=radiologist_a)
    with tenant_context(hospital_a):
        done = radiology_report_verify(study=study_a, user=second_radiologist_a)
    assert (done.status, done.verified_by_id) == (StudyStatus.VERIFIED, second_radiologist_a.pk)


def test_two_verifications_at_once_one_wins_the_other_gets_a_sentence(
    hospital_a: Hospital, study_a, radiologist_a: User, second_radiologist_a: User
) -> None:
    from conftest import make_user

    third = make_user(hospital_a, "radiologist", "Səbinə Radiology")
    reported(hospital_a, study_a, radiologist_a)
    with tenant_context(hospital_a):
        outcomes = run_at_once(
            lambda: radiology_report_verify(
                study=reload(hospital_a, study_a), user=second_radiologist_a
            ),
            lambda: radiology_report_verify(study=reload(hospital_a, study_a), user=third),
        )
    losers = [outcome for outcome in outcomes if outcome.refused(Conflict)]
    assert len(losers) == 1
    assert "is Verified and cannot become Verified" in str(losers[0].error)
    assert reload(hospital_a, study_a).status == StudyStatus.VERIFIED


def test_an_amendment_keeps_the_verified_report_and_needs_a_second_reader_again(
    hospital_a: Hospital, study_a, radiologist_a: User, second_radiologist_a: User
) -> None:
    verified(hospital_a, study_a, radiologist_a, second_radiologist_a)
    with tenant_context(hospital_a):
        amendment = radiology_report_amend(
            study=reload(hospital_a, study_a),
            findings="Small left effusion.",
            impression="Left pleural effusion.",
            reason="Missed effusion on review",
            user=second_radiologist_a,
        )
        assert ReportAmendment.objects.filter(study=study_a).count() == 1
    assert amendment.previous_impression == "Normal chest."
    assert amendment.previous_verified_by_id == second_radiologist_a.pk
    study = reload(hospital_a, study_a)
    assert (study.status, study.impression) == (StudyStatus.REPORTED, "Left pleural effusion.")
    with tenant_context(hospital_a), pytest.raises(ValidationError, match="second reader"):
        radiology_report_verify(study=study, user=second_radiologist_a)
    with tenant_context(hospital_a):
        assert radiology_report_verify(study=study, user=radiologist_a).status == "verified"


def test_a_study_is_billable_once_performed_not_before(
    hospital_a: Hospital, radiologist_a: User
) -> None:
    patient = patient_of(hospital_a)
    study = order(hospital_a, patient)
    with tenant_context(hospital_a):
        assert not [
            i for i in unbilled_items(patient_id=patient.pk) if i.source == "radiology.examination"
        ]
    performed(hospital_a, study, radiologist_a)
    with tenant_context(hospital_a):
        items = [
            i for i in unbilled_items(patient_id=patient.pk) if i.source == "radiology.examination"
        ]
    assert len(items) == 1
    assert items[0].reference == str(study.pk)
    assert items[0].unit_price == study.price
