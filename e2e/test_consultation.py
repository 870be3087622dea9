"""The doctor's consultation in a real browser: a nurse records vitals of a checked-in
patient, the doctor opens the patient from the day list, writes notes, finds an ICD-10
diagnosis by typing, prescribes, books the follow-up, completes, and prints the
prescription on A5.

The booking and check-in pages belong to the appointments module; the checked-in
appointment is made here through the services, as the front desk would leave it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.pages import hospital_create, open_from_menu, pick_suggestion, sign_in, sign_out
from hms.devstack import Stack

ADMIN_PASSWORD = "Riverside-Admin-2026"
STAFF_PASSWORD = "Riverside-Staff-2026"

SETUP = """
import json
from datetime import time
from apps.accounts.services import account_create
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.doctors.models import Doctor
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="riverbank")
doctor = make_doctor(hospital, name="Samir Həsənov")
doctor_login = account_create(
    hospital=hospital, full_name="Samir Həsənov", role="doctor", password=PASSWORD
).user
nurse_login = account_create(
    hospital=hospital, full_name="Günay Əhmədova", role="nurse", password=PASSWORD
).user
patient = register(hospital, first_name="Rəşad", last_name="Babayev")
appointment = make_appointment(hospital, doctor=doctor, patient=patient, at=time(9))
with tenant_context(hospital):
    Doctor.objects.filter(pk=doctor.pk).update(user_id=doctor_login.pk)
    appointment_check_in(appointment=appointment)
print(json.dumps({
    "doctor": doctor_login.username, "nurse": nurse_login.username, "number": patient.number,
}))
"""


def test_a_nurse_records_vitals_and_the_doctor_completes_the_consultation_and_prints(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack, name="Riverbank Hospital", subdomain="riverbank", admin_password=ADMIN_PASSWORD
    )
    made = site.setup(SETUP, PASSWORD=STAFF_PASSWORD)

    # the nurse: today's patients of the (only) doctor, vitals of the checked-in patient
    sign_in(page, site, made["nurse"], STAFF_PASSWORD)
    open_from_menu(page, "Consultations")
    row = page.locator("tr", has_text="Rəşad Babayev")
    row.get_by_role("link", name="Vitals").click()
    for label, value in [
        ("Systolic (mmHg)", "150"),
        ("Diastolic (mmHg)", "95"),
        ("Pulse (/min)", "88"),
        ("Temperature (°C)", "37.2"),
        ("SpO₂ (%)", "97"),
        ("Respiratory rate (/min)", "16"),
        ("Weight (kg)", "82"),
        ("Height (cm)", "176"),
    ]:
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Record vitals").click()
    expect(page.get_by_text("Vitals recorded.")).to_be_visible()
    expect(page.get_by_text("Systolic pressure: High (150 mmHg)")).to_be_visible()
    expect(page.locator("table.vitals")).to_contain_text("26.5")  # BMI from the server
    page.screenshot(path=str(artifacts / "consultation-vitals.png"), full_page=True)
    sign_out(page)

    # the doctor: opens the patient from the day list
    sign_in(page, site, made["doctor"], STAFF_PASSWORD)
    open_from_menu(page, "Consultations")
    expect(page.get_by_role("heading", name="My patients today")).to_be_visible()
    page.locator("tr", has_text="Rəşad Babayev").get_by_role(
        "button", name="Open consultation"
    ).click()
    expect(page.get_by_role("heading", name=re.compile("Rəşad Babayev"))).to_be_visible()
    expect(page.locator("#vitals-summary")).to_contain_text("Systolic pressure: High")

    page.get_by_label("Presenting complaint").fill("Sore throat and fever for three days")
    page.get_by_label("Examination").fill("Red pharynx, no exudate")
    page.get_by_label("Assessment and plan").fill("Acute pharyngitis; symptomatic treatment")
    page.get_by_role("button", name="Save notes").click()
    expect(page.get_by_text(re.compile("Notes saved at"))).to_be_visible()

    pick_suggestion(
        page.get_by_label("Find a diagnosis by code or words"),
        "acute pharyn",
        page.get_by_role("button", name=re.compile(r"J02\.9 Acute pharyngitis, unspecified")),
    )
    expect(page.locator("#diagnoses ul.diagnoses")).to_contain_text("J02.9")
    expect(page.locator("#diagnoses")).to_contain_text("Primary")

    # the hospital's formulary is empty here: prescribed outside it, with the reason
    page.get_by_label("Medicine", exact=True).fill("Paracetamol 500 mg tablets")
    page.get_by_label("Outside the formulary", exact=True).check()
    page.get_by_label("Reason for prescribing outside the formulary").fill("Not stocked yet")
    page.get_by_label("Dose", exact=True).fill("1")
    page.get_by_label("Unit", exact=True).select_option("tablet")
    page.get_by_label("Frequency", exact=True).select_option("every_hours")
    page.get_by_label("Every (hours)").select_option("6")
    page.get_by_label("Duration (days)").fill("5")
    page.get_by_label("Quantity").fill("20")
    page.get_by_label("Instructions").fill("After food")
    page.get_by_role("button", name="Add to prescription").click()
    expect(page.locator("#prescription table")).to_contain_text("Paracetamol 500 mg tablets")

    follow_up = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Follow-up date").fill(follow_up.isoformat())
    page.get_by_role("button", name="Book follow-up").click()
    expect(page.get_by_text(re.compile("Booked with Samir Həsənov"))).to_be_visible()
    page.screenshot(path=str(artifacts / "consultation-open.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "consultation-open-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 720})

    page.get_by_role("button", name="Complete consultation").click()
    expect(page.get_by_text("Completed · locked")).to_be_visible()
    expect(page.get_by_role("button", name="Save notes")).to_have_count(0)
    page.screenshot(path=str(artifacts / "consultation-completed.png"), full_page=True)

    # the prescription prints on A5 without the navigation
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Print prescription").first.click()
    sheet = opened.value
    expect(sheet.locator("#prescription-sheet")).to_contain_text(made["number"])
    expect(sheet.locator("#prescription-sheet")).to_contain_text("Paracetamol 500 mg tablets")
    sheet.emulate_media(media="print")
    # the hospital's name comes from the shared print header, shown on paper only
    expect(sheet.locator(".print-header")).to_contain_text("Riverbank Hospital")
    expect(sheet.locator(".topbar")).to_be_hidden()
    sheet.screenshot(path=str(artifacts / "prescription-print.png"), full_page=True)
    pdf = sheet.pdf(path=str(artifacts / "prescription.pdf"), prefer_css_page_size=True)
    # A5 is 148 × 210 mm = 419.5 × 595.3 pt
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert box is not None
    assert round(float(box.group(1))) == 420 and round(float(box.group(2))) == 595
