"""The laboratory's section on the consultation page."""

from __future__ import annotations

from apps.accounts.models import Role
from apps.consultations.tests.conftest import HTMX, Clinic, clinic_of
from apps.core import visit_sections
from apps.laboratory.selectors import lab_orders_of_visit
from apps.laboratory.tests.conftest import place
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user


def test_a_visits_orders_are_those_placed_in_it(hospital_a: Hospital) -> None:
    clinic = clinic_of(hospital_a)
    consultation = clinic.opened()
    other = clinic.opened()
    mine = place(hospital_a, consultation.patient, appointment=consultation.appointment)
    place(hospital_a, other.patient, appointment=other.appointment)
    place(hospital_a, consultation.patient)  # at the lab desk, no visit
    with tenant_context(hospital_a):
        orders = list(lab_orders_of_visit(appointment_id=consultation.appointment_id))
    assert orders == [mine]


def test_the_doctor_sees_the_visits_orders_and_an_order_link(hospital_a: Hospital) -> None:
    clinic = clinic_of(hospital_a)
    consultation = clinic.opened()
    order = place(hospital_a, consultation.patient, appointment=consultation.appointment)
    page = clinic.client().get(f"/consultations/{consultation.pk}/").text
    assert f'href="/laboratory/orders/new/?appointment={consultation.appointment_id}"' in page
    assert order.number in page and f'href="/laboratory/orders/{order.pk}/"' in page


def test_the_section_comes_with_the_pages_htmx_fragment(hospital_a: Hospital) -> None:
    clinic = clinic_of(hospital_a)
    consultation = clinic.opened()
    fragment = clinic.client().get(f"/consultations/{consultation.pk}/", **HTMX).text
    assert 'id="lab-orders"' in fragment and "<html" not in fragment


def test_a_nurse_sees_no_lab_section(hospital_a: Hospital) -> None:
    clinic = clinic_of(hospital_a)
    consultation = clinic.opened()
    page = clinic.client(clinic.nurse).get(f"/consultations/{consultation.pk}/")
    assert page.status_code == 200 and 'id="lab-orders"' not in page.text


def test_a_hospital_without_the_laboratory_shows_no_lab_section(hospital_a: Hospital) -> None:
    hospital_a.enabled_modules = [m for m in hospital_a.enabled_modules if m != "laboratory"]
    hospital_a.save()
    clinic = clinic_of(hospital_a)
    consultation = clinic.opened()
    page = clinic.client().get(f"/consultations/{consultation.pk}/").text
    assert 'id="lab-orders"' not in page and "/laboratory/" not in page


def test_the_provider_hides_itself_from_roles_outside_the_lab(hospital_a: Hospital) -> None:
    clinic: Clinic = clinic_of(hospital_a)
    consultation = clinic.opened()
    receptionist = make_user(hospital_a, Role.RECEPTIONIST)
    with tenant_context(hospital_a):
        shown = visit_sections.collect(
            hospital=hospital_a, user=clinic.doctor_user, appointment_id=consultation.appointment_id
        )
        hidden = visit_sections.collect(
            hospital=hospital_a, user=receptionist, appointment_id=consultation.appointment_id
        )
    # (other modules' sections — radiology, admissions — decide for themselves)
    assert "laboratory" in [s.key for s in shown]
    assert "laboratory" not in [s.key for s in hidden]


def test_another_hospitals_doctor_cannot_see_this_visits_orders(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    clinic = clinic_of(hospital_a)
    consultation = clinic.opened()
    place(hospital_a, consultation.patient, appointment=consultation.appointment)
    clinic_b = clinic_of(hospital_b)
    assert clinic_b.client().get(f"/consultations/{consultation.pk}/").status_code == 404
    with tenant_context(hospital_b):
        assert not lab_orders_of_visit(appointment_id=consultation.appointment_id).exists()
