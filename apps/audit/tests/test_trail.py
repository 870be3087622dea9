"""The trail across modules: money and clinical writes carry their patient, openings of
a patient's record and of their printable documents are recorded, an administrator
reads them on the patient's page, and the log is searched by patient and user."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.audit.models import ClinicalEvent
from apps.billing.services import ServiceLine, invoice_create, invoice_issue, service_create
from apps.billing.services.payments import payment_record
from apps.patients.tests.factories import register
from apps.platform_audit.models import AppendOnlyError
from apps.platform_audit.origin import RequestOrigin, request_origin
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

URL = "/staff/audit/"


def events(hospital: Hospital, **filters: object) -> list[ClinicalEvent]:
    with tenant_context(hospital):
        return list(ClinicalEvent.objects.filter(**filters).order_by("id"))


def test_an_invoice_s_life_is_recorded_with_its_patient_amounts_and_states(
    hospital_a: Hospital, admin_a: User
) -> None:
    patient = register(hospital_a)

    class FakeRequest:
        user = admin_a

    with (
        tenant_context(hospital_a),
        request_origin(
            RequestOrigin(address="192.0.2.9", request=FakeRequest())  # type: ignore[arg-type]
        ),
    ):
        service = service_create(code="XR", name="X-ray", price=Decimal("40.00"))
        invoice = invoice_create(patient=patient, service_lines=[ServiceLine(service)])
        invoice_issue(hospital=hospital_a, invoice=invoice)
        payment_record(hospital=hospital_a, invoice=invoice, method="cash", amount=Decimal("15"))
    created, issued, paid = events(hospital_a, entity="invoice")
    assert [e.action for e in (created, issued, paid)] == [
        "invoice.created",
        "invoice.issued",
        "invoice.payment_recorded",
    ]
    assert {e.patient_id for e in (created, issued, paid)} == {str(patient.pk)}
    assert issued.changes["status"] == ["draft", "issued"]
    assert paid.changes["amount"] == "15" and paid.changes["status"] == ["issued", "partly_paid"]
    assert (paid.actor_username, paid.address) == (admin_a.username, "192.0.2.9")


def test_opening_a_patient_s_record_is_recorded_and_shown_to_administrators_only(
    hospital_a: Hospital, client_a: Client, admin_a: User
) -> None:
    patient = register(hospital_a)
    nurse = make_user(hospital_a, Role.NURSE)
    nurse_page = hospital_client(hospital_a, nurse).get(
        f"/patients/{patient.pk}/", REMOTE_ADDR="192.0.2.7"
    )
    assert nurse_page.status_code == 200 and 'id="record-access"' not in nurse_page.text
    admin_page = client_a.get(f"/patients/{patient.pk}/")
    assert 'id="record-access"' in admin_page.text
    assert nurse.username in admin_page.text and "Patient record opened" in admin_page.text
    viewed = events(hospital_a, action="patient.viewed")
    assert [(e.actor_username, e.patient_label) for e in viewed] == [
        (nurse.username, patient.number),
        (admin_a.username, patient.number),
    ]
    assert viewed[0].address == "192.0.2.7"


def test_the_log_is_searched_by_patient_and_by_user(
    hospital_a: Hospital, client_a: Client, admin_a: User
) -> None:
    first = register(hospital_a, first_name="Aysel", phone="+994 50 000 00 01")
    second = register(hospital_a, first_name="Rauf", phone="+994 50 000 00 02")
    nurse = make_user(hospital_a, Role.NURSE)
    hospital_client(hospital_a, nurse).get(f"/patients/{first.pk}/")
    by_patient = client_a.get(URL, {"patient": second.number}).text
    assert second.number in by_patient and first.number not in by_patient
    # the fragment: the page's action picker lists every action
    by_user = client_a.get(URL, {"user": nurse.username}, HTTP_HX_REQUEST="true").text
    assert "patient.viewed" in by_user and "patient.registered" not in by_user


def test_bulk_changes_of_the_log_are_refused_too(hospital_a: Hospital) -> None:
    register(hospital_a)
    with tenant_context(hospital_a):
        event = ClinicalEvent.objects.get()
        event.action = "x"
        with pytest.raises(AppendOnlyError):
            ClinicalEvent.objects.bulk_update([event], ["action"])
        with pytest.raises(AppendOnlyError):
            ClinicalEvent.objects.all()._raw_delete("default")
        assert ClinicalEvent.objects.get().action == "patient.registered"
