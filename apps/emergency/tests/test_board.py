"""The board's moves: call, in treatment, undo of the last move only; audited; forward."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import ClinicalEvent
from apps.core.exceptions import Conflict, ValidationError
from apps.emergency.models import EmergencyVisit
from apps.emergency.services import visit_close, visit_move, visit_undo_move, visits_expire_waiting
from apps.tenancy.context import tenant_context

from .conftest import Department


def test_moves_go_forward_and_only_the_last_is_undone(department: Department) -> None:
    visit = department.arrival()
    with tenant_context(department.hospital):
        visit_move(visit=visit, move="call", moved_by=department.doctor)
        visit_move(visit=visit, move="treat", moved_by=department.doctor)
        assert visit.status == "in_treatment"
        with pytest.raises(Conflict):
            visit_move(visit=visit, move="call", moved_by=department.doctor)
        visit_undo_move(visit=visit, undone_by=department.doctor)
        assert visit.status == "called"
        with pytest.raises(Conflict):  # one step back, not two
            visit_undo_move(visit=visit, undone_by=department.doctor)
        actions = set(
            ClinicalEvent.objects.filter(entity_id=str(visit.pk)).values_list("action", flat=True)
        )
        assert {"er_visit.called", "er_visit.treatment_started", "er_visit.move_undone"} <= actions


def test_the_board_buttons_move_and_undo(department: Department) -> None:
    visit = department.arrival()
    client = department.client(department.doctor)
    urlconf = "hms.urls_hospital"
    call = reverse("emergency:move", args=[visit.pk, "call"], urlconf=urlconf)
    assert client.post(call).status_code == 302
    assert b"Undo" in client.get(reverse("emergency:board", urlconf=urlconf)).content
    client.post(reverse("emergency:undo", args=[visit.pk], urlconf=urlconf))
    bogus = reverse("emergency:move", args=[visit.pk, "fly"], urlconf=urlconf)
    assert client.post(bogus).status_code == 302  # refused in messages, not a 500
    with tenant_context(department.hospital):
        assert EmergencyVisit.objects.get(pk=visit.pk).status == "waiting"


def test_outcomes_end_the_visit_and_admitted_asks_the_ward_for_a_bed(
    department: Department,
) -> None:
    from apps.admissions.models import AdmissionRequest

    gone = department.arrival()
    admitted = department.unknown_arrival()
    with tenant_context(department.hospital):
        visit_close(visit=gone, outcome="left", closed_by=department.nurse)
        assert gone.status == "left"
        with pytest.raises(Conflict):
            visit_close(visit=gone, outcome="died", closed_by=department.nurse)
        with pytest.raises(ValidationError) as refused:
            visit_close(visit=admitted, outcome="admitted", closed_by=department.doctor)
        assert refused.value.field == "reason"
        assert EmergencyVisit.objects.get(pk=admitted.pk).status == "waiting"
        visit_close(
            visit=admitted,
            outcome="admitted",
            closed_by=department.doctor,
            admission_reason="Sepsis",
        )
        assert AdmissionRequest.objects.get(patient=admitted.patient).reason == "Sepsis"


def test_visits_waiting_too_long_expire(department: Department) -> None:
    old = department.arrival()
    fresh = department.arrival()
    with tenant_context(department.hospital):
        EmergencyVisit.objects.filter(pk=old.pk).update(
            arrived_at=timezone.now() - timedelta(hours=25)
        )
        assert visits_expire_waiting() == 1
        assert EmergencyVisit.objects.get(pk=old.pk).status == "expired"
        assert EmergencyVisit.objects.get(pk=fresh.pk).status == "waiting"
        assert ClinicalEvent.objects.filter(action="er_visit.expired").count() == 1
