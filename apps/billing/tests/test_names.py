"""Billing: services named in both languages, shown in the reader's (the price list, the
service picker, the invoice line drafted in the reader's language)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from apps.appointments.tests.factories import make_doctor
from apps.billing.models import Service
from apps.billing.services import ServiceLine, invoice_add_service, invoice_create, item_key
from apps.billing.tests.conftest import FakeSource
from apps.patients.models import Patient
from apps.regions.models import Specialization
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

NAMES = {"az": "Elektrokardioqramma", "en": "Electrocardiogram"}


def test_a_service_is_added_and_edited_with_its_azerbaijani_name(
    hospital_a: Hospital, accountant_a: Client
) -> None:
    accountant_a.post(
        "/billing/services/",
        {"code": "ECG", "name": "ECG", "name_az": " EKQ ", "price": "25", "is_active": "on"},
    )
    with tenant_context(hospital_a):
        service = Service.objects.get()
    assert (service.name, service.name_az) == ("ECG", "EKQ")
    edit_url = f"/billing/services/{service.pk}/edit/"
    assert 'value="EKQ"' in accountant_a.get(edit_url).text
    accountant_a.post(
        edit_url, {"code": "ECG", "name": NAMES["en"], "name_az": NAMES["az"], "price": "25"}
    )
    with tenant_context(hospital_a):
        service.refresh_from_db()
    assert (service.name, service.name_az) == (NAMES["en"], NAMES["az"])


@pytest.mark.parametrize("language", ["az", "en"])
def test_the_price_list_shows_services_and_specializations_in_the_readers_language(
    hospital_a: Hospital, accountant_a: Client, language: str
) -> None:
    make_doctor(hospital_a)
    with tenant_context(hospital_a):
        Service.objects.create(code="ECG", name=NAMES["en"], name_az=NAMES["az"], price=25)
        specialization = Specialization.objects.order_by("name")[0]
    accountant_a.cookies["hms_language"] = language
    page = accountant_a.get("/billing/services/").text
    other = "en" if language == "az" else "az"
    assert NAMES[language] in page and NAMES[other] not in page
    shown = specialization.name if language == "az" else specialization.name_en
    assert shown and f">{shown}<" in page


def test_an_invoice_line_is_written_in_the_drafters_language(
    hospital_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    with tenant_context(hospital_a):
        service = Service.objects.create(
            code="ECG", name=NAMES["en"], name_az=NAMES["az"], price=Decimal("25")
        )
        for language in ("az", "en"):
            with translation.override(language):
                invoice = invoice_create(patient=patient, item_keys=[item_key(work.add(patient))])
                invoice = invoice_add_service(invoice=invoice, line=ServiceLine(service))
            assert invoice.lines.get(service=service).description == NAMES[language]
