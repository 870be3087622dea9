"""Wards in a real browser: the doctor admits a patient from a consultation to a vacant
bed, a nurse records vitals and gives a dose from the medication record, transfers the
patient and marks the old bed clean, the doctor discharges and the discharge summary
prints on A4.

The wards, the staff and a consultation with a diagnosis and a prescription are made
through the services, as the administrator and the consultation would leave them."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import hospital_create, open_from_menu, sign_in, sign_out
from hms.devstack import Stack

ADMIN_PASSWORD = "Wardhill-Admin-2026"
STAFF_PASSWORD = "Wardhill-Staff-2026"

SETUP = """
import json
from decimal import Decimal
from apps.accounts.services import account_create
from apps.admissions.services import (
    admission_settings_update, bed_create, room_create, ward_create,
)
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.consultations.services import (
    PrescriptionItemDetails, consultation_open, diagnosis_add, prescription_item_add,
)
from apps.doctors.models import Doctor
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="wardhill")
doctor = make_doctor(hospital, name="Elnur Qasımov")
doctor_login = account_create(
    hospital=hospital, full_name="Elnur Qasımov", role="doctor", password=PASSWORD
).user
nurse_login = account_create(
    hospital=hospital, full_name="Sevinc Nurse", role="nurse", password=PASSWORD
).user
patient = register(hospital, first_name="Kamran", last_name="Hüseynov")
appointment = make_appointment(hospital, doctor=doctor, patient=patient)
with tenant_context(hospital):
    Doctor.objects.filter(pk=doctor.pk).update(user_id=doctor_login.pk)
    appointment_check_in(appointment=appointment)
    consultation = consultation_open(appointment=appointment, opened_by=doctor_login)
    diagnosis_add(consultation=consultation, code="J18.9", primary=True)
    prescription_item_add(
        hospital=hospital,
        consultation=consultation,
        details=PrescriptionItemDetails(
            medicine="Ceftriaxone", dose="1 g", frequency="every 4 hours", route="intravenous"
        ),
    )
    general = ward_create(name="General Medicine", daily_rate=Decimal("50"))
    room = room_create(ward=general, name="1")
    bed_create(room=room, label="A")
    bed_create(room=room, label="B")
    private = ward_create(name="Private", daily_rate=Decimal("120"))
    bed_create(room=room_create(ward=private, name="P1"), label="1")
    # this hospital lets patients go before the bill is made (the visit's fee is still
    # unbilled here; the discharge gate itself is covered by the admissions view tests)
    admission_settings_update(allow_discharge_with_unbilled=True)
print(json.dumps({
    "doctor": doctor_login.username, "nurse": nurse_login.username,
    "number": patient.number, "consultation": str(consultation.pk),
}))
"""


def test_admit_nurse_vitals_and_dose_transfer_discharge_and_print(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack, name="Wardhill Hospital", subdomain="wardhill", admin_password=ADMIN_PASSWORD
    )
    made = site.setup(SETUP, PASSWORD=STAFF_PASSWORD)

    # the doctor admits from the consultation to a vacant bed
    sign_in(page, site, made["doctor"], STAFF_PASSWORD)
    page.goto(site.url(f"/admissions/admit/?consultation={made['consultation']}"))
    expect(page.get_by_text(re.compile("Patient: Kamran Hüseynov"))).to_be_visible()
    page.locator("#id_bed").select_option(label="General Medicine · room 1 · bed A · 50.00 a day")
    page.get_by_label("Reason for admission").fill("Community-acquired pneumonia")
    page.get_by_role("button", name="Admit", exact=True).click()
    expect(page.get_by_text(re.compile(r"Admitted as \w+-ADM-\d{4}-000001"))).to_be_visible()
    admission_url = page.url
    sign_out(page)

    # the nurse: the ward, the patient's chart, vitals and a dose
    sign_in(page, site, made["nurse"], STAFF_PASSWORD)
    open_from_menu(page, "Wards and admissions")
    row = page.locator("tr", has_text="Kamran Hüseynov")
    expect(row).to_contain_text("Room 1, bed A")
    row.get_by_role("link", name="Nursing chart").click()
    page.get_by_label("Pulse (/min)").fill("96")
    page.get_by_label("Temperature (°C)").fill("38.6")
    page.get_by_role("button", name="Record vitals").first.click()
    expect(page.locator("#vitals svg").first).to_be_visible()
    expect(page.locator("#vitals")).to_contain_text("38.6")
    mar = page.locator("#mar")
    expect(mar).to_contain_text("Ceftriaxone")
    if (
        mar.get_by_role("button", name="Record").count() == 0
    ):  # admitted after the last dose of today
        mar.get_by_role("link", name=re.compile("Next day")).click()
    form = page.locator("#mar form.dose-form").first
    form.get_by_label("Outcome").select_option("given")
    form.get_by_role("button", name="Record").click()
    expect(page.locator("#mar .badge.outcome-given")).to_have_count(1)
    expect(page.locator("#mar")).to_contain_text("Given")
    page.screenshot(path=str(artifacts / "admissions-nursing.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "admissions-nursing-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 720})

    # the nurse transfers the patient to the private ward; the old bed goes to cleaning
    page.goto(admission_url)
    page.locator("#id_bed").select_option(label="Private · room P1 · bed 1 · 120.00 a day")
    page.get_by_role("button", name="Transfer").click()
    expect(page.locator("tr.occupancy")).to_have_count(2)
    page.get_by_role("link", name="Bed map").click()
    page.get_by_role("link", name="General Medicine").click()
    expect(page.locator("#bed-map")).to_contain_text("1 free · 0 occupied · 1 being cleaned")
    page.get_by_role("button", name="Mark clean").click()
    expect(page.locator("#bed-map")).to_contain_text("2 free · 0 occupied · 0 being cleaned")
    page.get_by_role("link", name="Private").click()
    expect(page.locator("#bed-map")).to_contain_text("Kamran Hüseynov")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "admissions-bed-map-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 720})
    sign_out(page)

    # the doctor discharges; the summary prints on A4
    sign_in(page, site, made["doctor"], STAFF_PASSWORD)
    page.goto(admission_url)
    page.get_by_role("link", name="Discharge", exact=True).click()
    expect(page.get_by_label("Diagnoses")).to_have_value(re.compile("J18.9"))
    expect(page.get_by_label("Medicines on discharge")).to_have_value(re.compile("Ceftriaxone"))
    page.get_by_label("Treatment given").fill("IV ceftriaxone for 5 days, oxygen")
    page.get_by_label("Follow-up").fill("Chest X-ray in 6 weeks")
    page.get_by_role("button", name="Discharge and print the summary").click()
    summary = page.locator("#discharge-summary")
    expect(summary).to_contain_text("Chest X-ray in 6 weeks")
    expect(summary).to_contain_text(made["number"])
    expect(summary).to_contain_text("Private, room P1, bed 1")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".print-header")).to_contain_text("Wardhill Hospital")
    page.screenshot(path=str(artifacts / "admissions-discharge-summary.png"), full_page=True)
    pdf = page.pdf(
        path=str(artifacts / "admissions-discharge-summary.pdf"), prefer_css_page_size=True
    )
    # A4 is 210 × 297 mm = 595.3 × 841.9 pt
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert box is not None
    assert round(float(box.group(1))) == 595 and round(float(box.group(2))) == 842
