"""Billing views: the hospital's billing settings (the front desk's discount limit)."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from apps.audit.models import ClinicalEvent
from apps.billing.models import BillingSettings
from apps.billing.services.invoices import billing_settings_get
from apps.billing.tests.conftest import HTMX, is_fragment
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client

URL = "/billing/settings/"


def test_an_administrator_sets_the_discount_limit_and_it_is_audited(
    hospital_a: Hospital, client_a: Client
) -> None:
    page = client_a.get(URL)
    assert page.status_code == 200 and 'value="10.00"' in page.text
    assert 'href="/billing/settings/"' in client_a.get("/billing/").text
    saved = client_a.post(URL, {"discount_limit_percent": "25.5"})
    assert saved.status_code == 302
    with tenant_context(hospital_a):
        assert billing_settings_get().discount_limit_percent == Decimal("25.50")
        event = ClinicalEvent.objects.get(action="settings.changed", entity="billing_settings")
    assert event.changes == {"discount_limit_percent": ["10.00", "25.50"]}
    # saving the same limit again changes nothing and records nothing
    client_a.post(URL, {"discount_limit_percent": "25.50"})
    with tenant_context(hospital_a):
        assert (
            ClinicalEvent.objects.filter(
                action="settings.changed", entity="billing_settings"
            ).count()
            == 1
        )


def test_a_limit_outside_0_to_100_is_refused_next_to_the_field(
    hospital_a: Hospital, client_a: Client
) -> None:
    for typed in ("101", "-1", "abc", "1e400"):
        response = client_a.post(URL, {"discount_limit_percent": typed}, **HTMX)
        assert response.status_code == 200 and is_fragment(response)
        assert 'id="id_discount_limit_percent_error"' in response.text
    with tenant_context(hospital_a):
        assert not BillingSettings.objects.exists()


def test_only_administrators_set_billing_rules(
    hospital_a: Hospital, accountant_a: Client, receptionist_a: Client
) -> None:
    for client in (accountant_a, receptionist_a):
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"discount_limit_percent": "100"}).status_code == 403
        assert 'href="/billing/settings/"' not in client.get("/billing/").text
    with tenant_context(hospital_a):
        assert not BillingSettings.objects.exists()


def test_another_hospitals_administrator_is_refused(
    hospital_a: Hospital, hospital_b: Hospital, admin_b: object
) -> None:
    intruder = Client(HTTP_HOST=hospital_a.host)
    intruder.force_login(admin_b)  # type: ignore[arg-type]
    assert intruder.post(URL, {"discount_limit_percent": "100"}).status_code == 403
    assert hospital_client(hospital_a).get(URL).status_code == 302  # signed out: to login
    with tenant_context(hospital_a):
        assert not BillingSettings.objects.exists()
