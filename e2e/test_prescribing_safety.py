"""Issue 18, in a real browser: a nurse records a penicillin allergy on the patient's
page; the doctor picks amoxicillin from the formulary by typing part of its name, is
warned before it is saved (nothing is saved without a reason), and prescribes it with
one; the reason shows on the consultation and on the printed prescription."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.pages import hospital_create, open_from_menu, prescribe, sign_in, sign_out
from hms.devstack import Stack

SUBDOMAIN = "rx-safety"
CODE = "RXS001"
PASSWORD = "Rx-Safety-Staff-2026-x"
PATIENT = "Nərmin Quliyeva"

SETUP = """
import json
from apps.accounts.services import account_create
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.doctors.models import Doctor
from apps.patients.tests.factories import register
from apps.pharmacy.tests.factories import make_medicine
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="<subdomain>")
doctor = make_doctor(hospital, name="Elçin Rzayev")
logins = {
    role: account_create(hospital=hospital, full_name=name, role=role, password="<password>").user
    for role, name in [("doctor", "Elçin Rzayev"), ("nurse", "Günay Səfərova")]
}
patient = register(hospital, first_name="Nərmin", last_name="Quliyeva", allergies="")
appointment = make_appointment(hospital, doctor=doctor, patient=patient, kind="walk_in")
make_medicine(hospital, generic_name="Amoxicillin", brand_name="Amoxil", form="capsule",
              strength="500 mg", unit="capsule")
with tenant_context(hospital):
    Doctor.objects.filter(pk=doctor.pk).update(user_id=logins["doctor"].pk)
    if appointment.status == "scheduled":
        appointment_check_in(appointment=appointment)
print(json.dumps({
    "users": {role: user.username for role, user in logins.items()},
    "patient": str(patient.pk),
}))
""".replace("<subdomain>", SUBDOMAIN).replace("<password>", PASSWORD)


def test_a_penicillin_allergic_patients_amoxicillin_is_warned_and_overridden_with_a_reason(
    stack: Stack, page: Page
) -> None:
    site = hospital_create(stack, name="Rx Safety Hospital", subdomain=SUBDOMAIN, code=CODE)
    made = site.setup(SETUP)

    # The nurse records the allergy against the allergen list.
    sign_in(page, site, made["users"]["nurse"], PASSWORD)
    page.goto(site.url(f"/patients/{made['patient']}/"))
    allergies = page.locator("#allergies")
    expect(allergies).to_contain_text("Not asked")
    allergies.get_by_label("Allergen").select_option(label="Penicillins (drug class)")
    allergies.get_by_label("Reaction").fill("Anaphylaxis")
    allergies.get_by_label("Severity").select_option("severe")
    allergies.get_by_role("button", name="Record allergy").click()
    expect(page.locator("#allergies table")).to_contain_text("Anaphylaxis")
    sign_out(page)

    # The doctor prescribes amoxicillin: warned, refused without a reason, then saved.
    sign_in(page, site, made["users"]["doctor"], PASSWORD)
    open_from_menu(page, "Consultations")
    page.locator("tr", has_text=PATIENT).get_by_role("button", name="Open consultation").click()
    expect(page.get_by_role("heading", name=re.compile(PATIENT))).to_be_visible()
    prescribe(page, "Amoxicillin 500 mg", dose=("500", "mg"), quantity="15")
    warnings = page.locator("#prescribing-warnings")
    expect(warnings).to_contain_text("allergic to Penicillins")
    # nothing saved: the reason is asked for next to its field
    expect(page.locator("#id_override_reason_error")).to_be_visible()
    expect(page.locator("#prescription")).to_contain_text("Nothing prescribed yet.")
    page.get_by_label("Reason for overriding the warnings").fill("Tolerated amoxicillin in 2025")
    page.get_by_role("button", name="Add to prescription").click()
    table = page.locator("#prescription table")
    expect(table).to_contain_text("Amoxicillin 500 mg (Amoxil)")
    expect(table).to_contain_text("Overridden: Tolerated amoxicillin in 2025")

    page.goto(page.url.split("#")[0].rstrip("/") + "/prescription/")
    sheet = page.locator("#prescription-sheet")
    expect(sheet).to_contain_text("Penicillins")
    expect(sheet).to_contain_text("Overridden: Tolerated amoxicillin in 2025")
