"""Issue 10's chain as far as the merged modules go, in a real browser against the real
stack: the doctor prescribes and orders a blood count from the consultation → one lab
technician collects the sample and enters the results (haemoglobin flagged high) → a
second one approves and the report prints, and the doctor reads it → the pharmacist
sells the prescribed medicines to the patient's invoice, refused first with the one
short item listed → the accountant invoices it all.

The consultation's "order lab tests" link and dispensing a prescription by its number
come with the wiring branch, so the doctor opens the order page the link points to and
the pharmacist types the prescription's lines. Admitting, nursing and discharge are
proved in test_admissions."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import (
    hospital_create,
    open_from_menu,
    pick_suggestion,
    prescribe,
    sign_in,
    sign_out,
)
from hms.devstack import Stack

SUBDOMAIN = "clinical-chain"
CODE = "CCH001"
PASSWORD = "Chain-Staff-2026-x"
PATIENT = "Səbinə Əliyeva"

# The people and the morning as the earlier steps (tested in test_outpatient_day) leave
# them: a checked-in patient, a doctor with a linked login, two lab technicians, a
# pharmacist, and stock received (amoxicillin running low).
SETUP = """
import json
from datetime import date, timedelta
from apps.accounts.services import account_create
from apps.appointments.models import Appointment
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.doctors.models import Doctor
from apps.patients.tests.factories import register
from apps.pharmacy.tests.factories import make_medicine, receive
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="<subdomain>")
doctor = make_doctor(hospital, name="Orxan Məlikov")
logins = {
    role: account_create(hospital=hospital, full_name=name, role=role.split("#")[0],
                         password="<password>").user
    for role, name in [
        ("doctor", "Orxan Məlikov"),
        ("lab_technician#1", "Aynur Hüseynova"),
        ("lab_technician#2", "Kamran Əliyev"),
        ("pharmacist", "Rəna Qasımova"),
        ("accountant", "Fuad Abbaszadə"),
    ]
}
patient = register(hospital, first_name="Səbinə", last_name="Əliyeva")
appointment = make_appointment(hospital, doctor=doctor, patient=patient, kind="walk_in")
with tenant_context(hospital):  # the fee a booking records (the factory skips it)
    Appointment.objects.filter(pk=appointment.pk).update(consultation_fee=doctor.consulting_fee)
expiry = date.today() + timedelta(days=365)
paracetamol = make_medicine(hospital)
amoxicillin = make_medicine(hospital, generic_name="Amoxicillin", brand_name="Amoxil",
                            form="capsule", strength="250 mg", unit="capsule")
receive(hospital, paracetamol, ("PCM-1", expiry, 100))
receive(hospital, amoxicillin, ("AMX-1", expiry, 5))
with tenant_context(hospital):
    Doctor.objects.filter(pk=doctor.pk).update(user_id=logins["doctor"].pk)
    if appointment.status == "scheduled":
        appointment_check_in(appointment=appointment)
print(json.dumps({
    "users": {role: user.username for role, user in logins.items()},
    "appointment": str(appointment.pk),
    "number": patient.number,
}))
""".replace("<subdomain>", SUBDOMAIN).replace("<password>", PASSWORD)

CBC = {
    "Haemoglobin": "18.9",
    "Haematocrit": "49",
    "Red blood cells": "5.6",
    "White blood cells": "7.2",
    "Platelets": "260",
    "Mean corpuscular volume": "88",
}


def test_a_prescribed_and_ordered_visit_goes_through_the_lab_and_the_pharmacy(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(stack, name="Clinical Chain Hospital", subdomain=SUBDOMAIN, code=CODE)
    made = site.setup(SETUP)
    users = made["users"]
    base = site.base

    # The doctor: opens the visit, prescribes two medicines, orders a blood count.
    sign_in(page, site, users["doctor"], PASSWORD)
    open_from_menu(page, "Consultations")
    page.locator("tr", has_text=PATIENT).get_by_role("button", name="Open consultation").click()
    expect(page.get_by_role("heading", name=re.compile(PATIENT))).to_be_visible()
    for medicine, dose, quantity in (
        ("Paracetamol 500 mg", ("1", "tablet"), "20"),
        ("Amoxicillin 250 mg", ("2", "capsule"), "8"),
    ):
        prescribe(page, medicine, dose=dose, quantity=quantity)
        expect(page.locator("#prescription table")).to_contain_text(medicine)

    page.goto(f"{base}/laboratory/orders/new/?appointment={made['appointment']}")
    expect(page.get_by_text("In the consultation with Orxan Məlikov")).to_be_visible()
    expect(page.locator("#lab-order-form")).to_contain_text(PATIENT)
    page.get_by_label(re.compile("Complete blood count")).check()
    page.get_by_role("button", name="Place order").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(rf"^{CODE}-LAB-\d{{4}}-000001 Ordered"))
    lab_number = heading.inner_text().split()[0]
    expect(page.locator("main")).to_contain_text("Orxan Məlikov")  # the ordering doctor
    sign_out(page)

    # The first technician: the order on the worklist, sample, results.
    sign_in(page, site, users["lab_technician#1"], PASSWORD)
    open_from_menu(page, "Laboratory")
    page.get_by_role("link", name=lab_number).click()
    page.get_by_role("button", name="Sample collected").click()
    expect(page.get_by_text("Sample collected for")).to_be_visible()
    for test, value in CBC.items():
        page.get_by_label(test, exact=True).fill(value)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Awaiting approval").first).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Haemoglobin"))).to_contain_text("H · high")
    sign_out(page)

    # A second technician approves; the report prints with the flag and the approver.
    sign_in(page, site, users["lab_technician#2"], PASSWORD)
    page.goto(base + "/laboratory/")
    page.get_by_role("link", name=lab_number).click()
    page.get_by_role("button", name="Approve results").click()
    expect(page.get_by_text(f"Results of {lab_number} approved.")).to_be_visible()
    page.get_by_role("link", name="Print report").click()
    report = page.locator("#lab-report")
    expect(report).to_contain_text(made["number"])
    expect(report).to_contain_text("Kamran Əliyev")
    expect(report.get_by_role("row", name=re.compile("Haemoglobin"))).to_contain_text("H · high")
    page.emulate_media(media="print")
    page.pdf(path=str(artifacts / "clinical-chain-lab-report.pdf"), format="A4")
    assert (artifacts / "clinical-chain-lab-report.pdf").stat().st_size > 1000
    page.emulate_media(media="screen")
    sign_out(page)

    # The ordering doctor finds the approved results among their orders.
    sign_in(page, site, users["doctor"], PASSWORD)
    open_from_menu(page, "Laboratory")
    page.get_by_role("link", name="My orders").click()
    page.get_by_role("link", name=lab_number).click()
    expect(page.get_by_role("row", name=re.compile("Haemoglobin"))).to_contain_text("H · high")
    sign_out(page)

    # The pharmacist: the prescription's lines for the patient; amoxicillin is short.
    sign_in(page, site, users["pharmacist"], PASSWORD)
    page.goto(base + "/pharmacy/sales/new/")
    page.get_by_label("Registered patient's number").fill(made["number"])
    page.locator('[name="lines-0-medicine"]').select_option(
        label="Paracetamol 500 mg (Panadol) · 100 in stock"
    )
    page.locator('[name="lines-0-quantity"]').fill("20")
    page.locator('[name="lines-1-medicine"]').select_option(
        label="Amoxicillin 250 mg (Amoxil) · 5 in stock"
    )
    page.locator('[name="lines-1-quantity"]').fill("8")
    page.get_by_role("button", name="Complete sale").click()
    shortage = page.locator("#shortage")
    expect(shortage).to_contain_text("Not enough stock for 1 medicine; nothing was sold.")
    expect(shortage).to_contain_text("Amoxicillin 250 mg (Amoxil): 8 asked, 5 in sellable stock")
    page.screenshot(path=str(artifacts / "clinical-chain-short-sale.png"), full_page=True)

    # the rest goes on the patient's invoice instead of being paid at the counter
    page.locator('[name="lines-1-quantity"]').fill("5")
    page.get_by_label("Payment method").select_option("invoice")
    page.get_by_role("button", name="Complete sale").click()
    expect(
        page.get_by_role("heading", name=re.compile(rf"Sale {CODE}-SAL-\d{{4}}-000001"))
    ).to_be_visible()
    expect(page.get_by_test_id("net-amount")).to_have_text("12.50")
    expect(page.locator("main")).to_contain_text(PATIENT)
    sale_number = page.get_by_role("heading", name=re.compile("Sale ")).inner_text().split()[-1]
    sign_out(page)

    # The accountant: one invoice holds the visit, the blood count and the medicines.
    sign_in(page, site, users["accountant"], PASSWORD)
    page.goto(base + "/billing/new/")
    pick_suggestion(page.get_by_label("Patient"), "Əliyeva", page.get_by_role("link", name=PATIENT))
    for item in ("Consultation with Orxan Məlikov", f"({lab_number})", sale_number):
        expect(page.get_by_role("row", name=re.compile(re.escape(item)))).to_have_count(1)
    page.get_by_role("button", name="Make a draft invoice").click()
    lines = page.locator("table.lines tbody tr")
    expect(lines).to_have_count(3)
    expect(lines.filter(has_text="Consultation with Orxan Məlikov")).to_contain_text("40.00")
    expect(lines.filter(has_text=sale_number)).to_contain_text("12.50")
    expect(lines.filter(has_text=lab_number)).to_have_count(1)
    expect(page.locator("dl.totals")).to_contain_text("62.50 AZN")  # 40.00 + 10.00 + 12.50
    page.screenshot(path=str(artifacts / "clinical-chain-invoice.png"), full_page=True)
