"""A pharmacist dispenses a consultation's prescription on a phone-sized screen: finds
it by the number printed on it, is refused more than was prescribed, then dispenses the
rest as one sale to the patient — in a real browser against the real stack.

The completed consultation and the pharmacy's stock are made through the services, as
the doctor and the stock room would leave them."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import hospital_create, sign_in_as
from hms.devstack import Stack

ADMIN_PASSWORD = "Harbour-Admin-2026"

SETUP = """
import json
from apps.pharmacy.tests.factories import in_days, make_medicine, prescribe, receive
from apps.patients.tests.factories import register
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="dispensary")
paracetamol = make_medicine(hospital)
receive(hospital, paracetamol, ("PCM-1", in_days(300), 50))
patient = register(hospital, first_name="Leyla", last_name="Qasımova")
prescription = prescribe(
    hospital, ("Paracetamol 500 mg tablets", 20), ("Vitamin D drops", None), patient=patient
)
print(json.dumps({"number": prescription.number}))
"""


def test_a_pharmacist_dispenses_a_prescription_by_its_number_on_a_phone(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack, name="Dispensary Hospital", subdomain="dispensary", admin_password=ADMIN_PASSWORD
    )
    made = site.setup(SETUP)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_as(page, site, "pharmacist", "Kamran Abbasov")

    page.goto(site.url("/pharmacy/dispense/"))
    expect(page.locator("#to-dispense")).to_contain_text(made["number"])
    page.get_by_label("Prescription number").fill(made["number"].lower())
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name=f"Dispense {made['number']}")).to_be_visible()
    expect(page.get_by_text("For Leyla Qasımova")).to_be_visible()
    # the catalogue medicine is suggested and the units still due filled in
    expect(page.locator('[name="lines-0-medicine"] option:checked')).to_contain_text(
        "Paracetamol 500 mg"
    )
    expect(page.locator('[name="lines-0-quantity"]')).to_have_value("20")

    page.locator('[name="lines-0-quantity"]').fill("25")
    page.get_by_role("button", name="Dispense and complete the sale").click()
    expect(page.locator("#id_lines-0-quantity_error")).to_contain_text("more than prescribed")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "dispensing-refused-390.png"), full_page=True)

    page.locator('[name="lines-0-quantity"]').fill("20")
    page.get_by_role("button", name="Dispense and complete the sale").click()
    expect(page.get_by_role("heading", name=re.compile(r"Sale .*-SAL-"))).to_be_visible()
    expect(page.get_by_text(f"Prescription {made['number']}: Paracetamol 500 mg")).to_be_visible()
    page.screenshot(path=str(artifacts / "dispensing-sale-390.png"), full_page=True)

    # fully dispensed items leave the list only once every item is given
    page.goto(site.url("/pharmacy/dispense/"))
    expect(page.locator("#to-dispense")).to_contain_text(made["number"])
