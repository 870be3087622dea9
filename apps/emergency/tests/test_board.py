"""The board's moves: call, in treatment, undo of the last move only; audited; forward."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.audit.models import ClinicalEvent
from apps.core.exceptions import Conflict
from apps.emergency.models import EmergencyVisit
from apps.emergency.services import visit_move, visit_undo_move
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
