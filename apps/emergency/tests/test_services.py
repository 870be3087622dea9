"""Arrivals, unknown patients and their merge, triage: the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from apps.audit.models import ClinicalEvent
from apps.core.exceptions import Conflict, ValidationError
from apps.core.testing import run_at_once
from apps.emergency.models import EmergencyVisit, PlaceholderPatient, Triage
from apps.emergency.services import (
    IncompleteVitals,
    placeholder_merge,
    visit_triage,
)
from apps.emergency.tews import AgeBand, Colour, Discriminator, Vitals
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context

from .conftest import NORMAL_ADULT, Department, triage_details


def test_an_arrival_is_on_the_board_untriaged_and_audited(department: Department) -> None:
    visit = department.arrival()
    with tenant_context(department.hospital):
        assert visit.status == "waiting" and visit.colour == ""
        assert ClinicalEvent.objects.filter(
            action="er_visit.registered", entity_id=str(visit.pk)
        ).exists()


def test_an_unknown_patient_gets_a_flagged_placeholder_with_a_number(
    department: Department,
) -> None:
    visit = department.unknown_arrival(sex="female", age=30)
    with tenant_context(department.hospital):
        patient = visit.patient
        serial = patient.number.rsplit("-", 1)[-1]
        assert patient.full_name == f"Unknown Female {serial}"
        assert patient.number.startswith(department.hospital.code)
        assert PlaceholderPatient.objects.get(patient=patient).estimated_age_years == 30
        assert abs(patient.birth_date.year - (visit.arrived_at.year - 30)) <= 1


def test_two_unknown_patients_are_told_apart_by_name(department: Department) -> None:
    first = department.unknown_arrival()
    second = department.unknown_arrival()
    assert first.patient.full_name != second.patient.full_name


def test_a_bad_estimated_age_is_refused_next_to_its_field(department: Department) -> None:
    with pytest.raises(ValidationError) as refused:
        department.unknown_arrival(age=300)
    assert refused.value.field == "estimated_age_years"
    with tenant_context(department.hospital):
        assert not PlaceholderPatient.objects.exists()


def test_a_merge_moves_the_visit_and_its_triages_and_retires_the_placeholder(
    department: Department,
) -> None:
    visit = department.unknown_arrival()
    placeholder = visit.patient
    with tenant_context(department.hospital):
        visit_triage(visit=visit, details=triage_details(), triaged_by=department.nurse)
        moved = placeholder_merge(
            placeholder=placeholder, into=department.patient, merged_by=department.doctor
        )
        assert moved >= 1
        visit.refresh_from_db()
        assert visit.patient_id == department.patient.pk
        assert visit.triages.count() == 1
        flag = PlaceholderPatient.objects.get(patient=placeholder)
        assert flag.merged_into_id == department.patient.pk and flag.is_retired
        assert Patient.objects.filter(pk=placeholder.pk).exists()  # retired, not deleted
        assert ClinicalEvent.objects.filter(
            action="er_visit.merged", entity_id=str(placeholder.pk)
        ).exists()
        assert ClinicalEvent.objects.filter(action="patient.merged").exists()


def test_a_placeholder_is_merged_once_and_only_into_a_real_record(department: Department) -> None:
    visit = department.unknown_arrival()
    other = department.unknown_arrival()
    with tenant_context(department.hospital):
        with pytest.raises(ValidationError):
            placeholder_merge(
                placeholder=visit.patient, into=other.patient, merged_by=department.doctor
            )
        real = register(department.hospital, first_name="Leyla")
        with pytest.raises(Conflict):
            placeholder_merge(
                placeholder=department.patient, into=real, merged_by=department.doctor
            )
        placeholder_merge(
            placeholder=visit.patient, into=department.patient, merged_by=department.doctor
        )
        with pytest.raises(Conflict):
            placeholder_merge(
                placeholder=visit.patient, into=department.patient, merged_by=department.doctor
            )


def test_a_triage_scores_the_vitals_and_sets_the_target_time(department: Department) -> None:
    visit = department.arrival()
    vitals = Vitals(**{**NORMAL_ADULT.__dict__, "heart_rate": 125, "respiratory_rate": 25})
    with tenant_context(department.hospital):
        triage = visit_triage(
            visit=visit, details=triage_details(vitals=vitals), triaged_by=department.nurse
        )
        assert (triage.tews, triage.colour) == (4, Colour.YELLOW)
        visit.refresh_from_db()
        assert visit.colour == Colour.YELLOW
        assert visit.attend_by == triage.recorded_at + timedelta(minutes=60)


def test_a_discriminator_forces_the_colour(department: Department) -> None:
    visit = department.arrival()
    with tenant_context(department.hospital):
        triage = visit_triage(
            visit=visit,
            details=triage_details(discriminators=(Discriminator.AIRWAY_COMPROMISE,)),
            triaged_by=department.nurse,
        )
        assert (triage.tews, triage.colour) == (0, Colour.RED)
        visit.refresh_from_db()
        assert visit.attend_by == triage.recorded_at


def test_incomplete_vitals_ask_for_confirmation(department: Department) -> None:
    visit = department.arrival()
    vitals = Vitals(**{**NORMAL_ADULT.__dict__, "systolic_bp": None})
    with tenant_context(department.hospital):
        with pytest.raises(IncompleteVitals) as asked:
            visit_triage(
                visit=visit, details=triage_details(vitals=vitals), triaged_by=department.nurse
            )
        assert asked.value.field == "systolic_bp"
        assert not Triage.objects.exists()
        triage = visit_triage(
            visit=visit,
            details=triage_details(vitals=vitals, confirm_incomplete=True),
            triaged_by=department.nurse,
        )
        assert triage.missing_vitals == ["systolic_bp"]


def test_a_child_needs_no_blood_pressure(department: Department) -> None:
    visit = department.arrival()
    vitals = Vitals(
        **{**NORMAL_ADULT.__dict__, "systolic_bp": None, "respiratory_rate": 20, "heart_rate": 90}
    )
    with tenant_context(department.hospital):
        triage = visit_triage(
            visit=visit,
            details=triage_details(age_band=AgeBand.CHILD, vitals=vitals),
            triaged_by=department.nurse,
        )
        assert triage.missing_vitals == []


def test_an_override_needs_a_reason(department: Department) -> None:
    visit = department.arrival()
    with tenant_context(department.hospital):
        with pytest.raises(ValidationError) as refused:
            visit_triage(
                visit=visit,
                details=triage_details(override_colour=Colour.ORANGE),
                triaged_by=department.nurse,
            )
        assert refused.value.field == "override_reason"
        triage = visit_triage(
            visit=visit,
            details=triage_details(
                override_colour=Colour.ORANGE, override_reason="Looks grey, sweating"
            ),
            triaged_by=department.nurse,
        )
        assert (triage.computed_colour, triage.colour) == (Colour.GREEN, Colour.ORANGE)
        assert triage.override_reason == "Looks grey, sweating"


def test_a_retriage_keeps_the_history(department: Department) -> None:
    visit = department.arrival()
    with tenant_context(department.hospital):
        visit_triage(visit=visit, details=triage_details(), triaged_by=department.nurse)
        worse = Vitals(
            **{**NORMAL_ADULT.__dict__, "temperature": Decimal("39.5"), "heart_rate": 135}
        )
        visit_triage(
            visit=visit,
            details=triage_details(vitals=worse, seen_triages=1),
            triaged_by=department.nurse,
        )
        assert list(visit.triages.order_by("sequence").values_list("colour", flat=True)) == [
            Colour.GREEN,
            Colour.ORANGE,
        ]
        visit.refresh_from_db()
        assert (visit.colour, visit.triage_count) == (Colour.ORANGE, 2)


def test_a_triage_based_on_an_old_view_is_refused(department: Department) -> None:
    visit = department.arrival()
    with tenant_context(department.hospital):
        visit_triage(visit=visit, details=triage_details(), triaged_by=department.nurse)
        with pytest.raises(Conflict):
            visit_triage(visit=visit, details=triage_details(), triaged_by=department.doctor)


def test_two_triages_at_once_one_wins_the_other_gets_a_sentence(department: Department) -> None:
    visit = department.arrival()
    with tenant_context(department.hospital):
        outcomes = run_at_once(
            lambda: visit_triage(
                visit=visit, details=triage_details(), triaged_by=department.nurse
            ),
            lambda: visit_triage(
                visit=visit, details=triage_details(), triaged_by=department.doctor
            ),
        )
        refused = [outcome for outcome in outcomes if outcome.refused(Conflict)]
        assert len(refused) == 1
        assert "triaged this patient a moment ago" in str(refused[0].error)
        assert Triage.objects.filter(visit=visit).count() == 1
        assert EmergencyVisit.objects.get(pk=visit.pk).triage_count == 1
