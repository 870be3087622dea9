"""Laboratory views: the report."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import Role, User
from apps.laboratory.models import LabOrder, OrderStatus
from apps.laboratory.tests.conftest import approved, is_fragment, reload
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def test_the_report_shows_the_hospital_ranges_flags_and_who_approved(
    hospital_a: Hospital, technician_a: User, second_technician_a: User, order_a: LabOrder
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    client = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    response = client.get(f"/laboratory/orders/{order_a.pk}/report/")
    assert response.status_code == 200
    text = response.text
    assert hospital_a.name in text and order_a.number in text
    assert "13.5–17.5" in text and "H · high" in text and "g/dL" in text
    assert "Kamran Lab" in text and "Aynur Lab" in text
    # A4 and no navigation come from the shared print stylesheet; the report's own rules
    assert "laboratory/report.css" in text and 'class="print-header' in text
    fragment = client.get(f"/laboratory/orders/{order_a.pk}/report/", HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and 'id="lab-report"' in fragment.text


def test_there_is_no_report_before_approval(
    hospital_a: Hospital, technician: Client, order_a: LabOrder
) -> None:
    response = technician.get(f"/laboratory/orders/{order_a.pk}/report/")
    assert response.status_code == 409 and "once the results are approved" in response.text


def test_the_report_names_who_entered_amended_and_approved_each_value(
    hospital_a: Hospital, technician_a: User, second_technician_a: User, order_a: LabOrder
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    third = make_user(hospital_a, Role.LAB_TECHNICIAN, "Third Lab")
    with tenant_context(hospital_a):
        hgb = order_a.results.get(test__code="HGB")
    url = f"/laboratory/orders/{order_a.pk}/results/{hgb.pk}/amend/"
    amender = hospital_client(hospital_a, second_technician_a)
    assert amender.post(url, {"value": "16.2", "reason": "Re-run"}).status_code == 302
    doctor = hospital_client(hospital_a, make_user(hospital_a, Role.DOCTOR))
    # back to awaiting approval: no report until someone other than the amender approves
    assert doctor.get(f"/laboratory/orders/{order_a.pk}/report/").status_code == 409
    refused = amender.post(f"/laboratory/orders/{order_a.pk}/approve/")
    assert "You amended these results" in refused.text
    assert reload(hospital_a, order_a).status == OrderStatus.RESULTED
    approver = hospital_client(hospital_a, third)
    approver.post(f"/laboratory/orders/{order_a.pk}/approve/")
    assert reload(hospital_a, order_a).status == OrderStatus.APPROVED
    report = doctor.get(f"/laboratory/orders/{order_a.pk}/report/").text
    assert "Results entered by" in report and "Aynur Lab" in report
    assert "by Kamran Lab (was 18.4): Re-run" in report
    assert "Approved by: Third Lab" in " ".join(report.split())
