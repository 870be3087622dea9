"""Appointments views: the booking rules (settings)."""

from __future__ import annotations

import re

from django.test import Client

from apps.appointments.tests.conftest import HTMX
from apps.tenancy.models import Hospital


def test_an_administrator_switches_clashes_to_warnings(
    hospital_a: Hospital, client_a: Client
) -> None:
    response = client_a.post("/appointments/settings/", {"conflict_policy": "warn"})
    assert response.status_code == 302
    page = client_a.get("/appointments/settings/")
    assert re.search(r'value="warn"[^>]*checked', page.text)


def test_an_unknown_rule_is_refused_next_to_the_field(client_a: Client) -> None:
    response = client_a.post("/appointments/settings/", {"conflict_policy": "maybe"}, **HTMX)
    assert response.status_code == 400
    assert response.text.lstrip().startswith('<div id="settings-form"')
    assert 'id="id_conflict_policy_error"' in response.text
