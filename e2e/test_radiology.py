"""Radiology end to end, in a real browser against the real stack: the doctor orders a
chest X-ray from the consultation → a radiologist finds it on the X-ray worklist,
performs it and reports from the examination's template, and may not verify their own
report → a second radiologist verifies it → the report prints on A4 under the
hospital's header, and the patient's page shows it."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import hospital_create, open_from_menu, sign_in, sign_out
from hms.devstack import Stack

SUBDOMAIN = "imaging-east"
CODE = "IME001"
PASSWORD = "Imaging-Staff-2026-x"
PATIENT = "Səbinə Əliyeva"

# A checked-in patient, a doctor with a linked login and two radiologists, made the way
# the front desk and an administrator's tools would; the pages under test are radiology's.
SETUP = """
import json
from apps.accounts.services import account_create
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.doctors.models import Doctor
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="<subdomain>")
doctor = make_doctor(hospital, name="Orxan Məlikov")
logins = {
    role: account_create(hospital=hospital, full_name=name, role=role.split("#")[0],
                         password="<password>").user
    for role, name in [
        ("doctor", "Orxan Məlikov"),
        ("radiologist#1", "Aynur Hüseynova"),
        ("radiologist#2", "Kamran Əliyev"),
    ]
}
patient = register(hospital, first_name="Səbinə", last_name="Əliyeva")
appointment = make_appointment(hospital, doctor=doctor, patient=patient, kind="walk_in")
with tenant_context(hospital):
    Doctor.objects.filter(pk=doctor.pk).update(user_id=logins["doctor"].pk)
    if appointment.status == "scheduled":
        appointment_check_in(appointment=appointment)
print(json.dumps({
    "users": {role: user.username for role, user in logins.items()},
    "patient": str(patient.pk),
}))
""".replace("<subdomain>", SUBDOMAIN).replace("<password>", PASSWORD)


def test_a_chest_x_ray_goes_from_the_consultation_to_a_verified_printed_report(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(stack, name="Imaging East Hospital", subdomain=SUBDOMAIN, code=CODE)
    made = site.setup(SETUP)
    users = made["users"]

    # The doctor orders a chest X-ray from the consultation's Imaging section.
    sign_in(page, site, users["doctor"], PASSWORD)
    open_from_menu(page, "Consultations")
    page.locator("tr", has_text=PATIENT).get_by_role("button", name="Open consultation").click()
    expect(page.get_by_role("heading", name=re.compile(PATIENT))).to_be_visible()
    page.locator("#radiology-studies").get_by_role("link", name="Order imaging").click()
    expect(page.get_by_text("In the consultation with Orxan Məlikov")).to_be_visible()
    page.get_by_label("Examination").select_option(label="X-ray: Chest X-ray PA")
    page.get_by_label("Clinical question").fill("Cough and fever for a week")
    page.get_by_role("button", name="Place order").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(rf"^{CODE}-RAD-\d{{4}}-000001 Ordered"))
    number = heading.inner_text().split()[0]
    expect(page.locator("main")).to_contain_text("Orxan Məlikov")  # the ordering doctor
    sign_out(page)

    # The first radiologist: the X-ray worklist, performed, reported from the template.
    sign_in(page, site, users["radiologist#1"], PASSWORD)
    open_from_menu(page, "Radiology")
    expect(page.get_by_role("heading", name="Radiology worklist")).to_be_visible()
    page.get_by_test_id("modalities").get_by_role("link", name="X-ray").click()
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="Mark as performed").click()
    expect(page.get_by_text(f"{number} performed.")).to_be_visible()
    findings = page.get_by_label("Findings")
    expect(findings).to_have_value(re.compile("The lungs are clear"))  # the template
    findings.fill("Patchy consolidation in the right lower lobe. No effusion.")
    page.get_by_label("Impression").fill("Right lower lobe pneumonia.")
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.get_by_text("Report submitted.")).to_be_visible()
    page.get_by_role("button", name="Verify report").click()
    expect(page.get_by_role("alert")).to_contain_text("a second reader must verify it")
    sign_out(page)

    # The second radiologist verifies it and prints it.
    sign_in(page, site, users["radiologist#2"], PASSWORD)
    page.goto(site.url("/radiology/worklist/?status=reported"))
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="Verify report").click()
    expect(page.get_by_text(f"Report of {number} verified.")).to_be_visible()
    page.get_by_role("link", name="Print report").click()
    report = page.locator("#radiology-report")
    expect(report).to_contain_text("Right lower lobe pneumonia.")
    expect(report).to_contain_text("Kamran Əliyev")  # who verified
    expect(report).to_contain_text("Aynur Hüseynova")  # who reported
    page.emulate_media(media="print")
    expect(page.locator(".print-header")).to_contain_text("Imaging East Hospital")
    expect(page.locator(".topbar")).to_be_hidden()
    page.pdf(path=str(artifacts / "radiology-report.pdf"), format="A4", print_background=True)
    assert (artifacts / "radiology-report.pdf").stat().st_size > 1000
    page.emulate_media(media="screen")
    sign_out(page)

    # The doctor finds the verified report on the patient's page.
    sign_in(page, site, users["doctor"], PASSWORD)
    page.goto(site.url(f"/patients/{made['patient']}/"))
    expect(page.locator("main")).to_contain_text(number)
    expect(page.locator("main")).to_contain_text("Right lower lobe pneumonia.")
