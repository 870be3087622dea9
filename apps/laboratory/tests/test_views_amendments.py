"""Laboratory views: amendments."""

from __future__ import annotations

from django.test import Client

from apps.accounts.models import User
from apps.laboratory.models import LabOrder
from apps.laboratory.tests.conftest import approved, is_fragment, patient_of, place
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


def test_an_approved_result_is_amended_with_a_reason_and_the_original_shown(
    hospital_a: Hospital,
    technician: Client,
    technician_a: User,
    second_technician_a: User,
    order_a: LabOrder,
) -> None:
    approved(hospital_a, order_a, technician_a, second_technician_a)
    with tenant_context(hospital_a):
        hgb = order_a.results.get(test__code="HGB")
    url = f"/laboratory/orders/{order_a.pk}/results/{hgb.pk}/amend/"
    page = technician.get(url)
    assert page.status_code == 200 and "18.4" in page.text
    fragment = technician.get(url, HTTP_HX_REQUEST="true")
    assert is_fragment(fragment) and 'id="lab-amend"' in fragment.text
    missing = technician.post(url, {"value": "16.2", "reason": ""})
    assert 'id="id_reason_error"' in missing.text
    implausible = technician.post(url, {"value": "99", "reason": "Re-run"})
    assert 'id="id_value_error"' in implausible.text
    assert (
        technician.post(url, {"value": "16.2", "reason": "Haemolysed, re-run"}).status_code == 302
    )
    detail = technician.get(f"/laboratory/orders/{order_a.pk}/")
    assert "16.2" in detail.text and "(was 18.4): Haemolysed, re-run" in detail.text


def test_a_result_of_another_order_is_not_found_through_this_one(
    hospital_a: Hospital, technician: Client, order_a: LabOrder
) -> None:
    other = place(hospital_a, patient_of(hospital_a))
    with tenant_context(hospital_a):
        result = other.results.first()
    assert result is not None
    url = f"/laboratory/orders/{order_a.pk}/results/{result.pk}/amend/"
    assert technician.get(url).status_code == 404
