"""Issue 18's inpatient loop in a real browser: from the consultation, "Admit" puts the
patient on the list with the doctor's diagnosis (nothing typed); admitted to a bed,
the consultation's prescription is carried over as an order with one confirmation and
its first dose is due now; the doctor's amoxicillin order for this penicillin-allergic
patient is warned and saved only with a reason; the nurse gives the first dose (taken
from the pharmacy's stock, charged once), transfers the patient the same day, and the
doctor discharges: one bed day is charged, and the summary prints the discharge
prescription.

The allergy is recorded and the consultation prescribed through the services (the
browser steps of both are e2e/test_prescribing_safety.py's)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.pages import hospital_create, open_from_menu, sign_in, sign_out
from hms.devstack import Stack

SUBDOMAIN = "inpatient-loop"
PASSWORD = "Inpatient-Loop-Staff-2026"
PATIENT = "Rəşad Əliyev"

SETUP = """
import json
from decimal import Decimal
from apps.accounts.services import account_create
from apps.admissions.services import admission_settings_update, bed_create, room_create, ward_create
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_check_in
from apps.consultations.prescribing import PrescriptionLine, prescription_line_add
from apps.consultations.services import consultation_open, diagnosis_add
from apps.doctors.models import Doctor
from apps.patients.allergies import AllergyDetails, patient_allergy_record
from apps.patients.models import Allergen
from apps.patients.tests.factories import register
from apps.pharmacy.tests.factories import in_days, make_medicine, receive
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="<subdomain>")
doctor = make_doctor(hospital, name="Nigar Abbasova")
logins = {
    role: account_create(hospital=hospital, full_name=name, role=role, password="<password>").user
    for role, name in [("doctor", "Nigar Abbasova"), ("nurse", "Lalə Nurse")]
}
patient = register(hospital, first_name="Rəşad", last_name="Əliyev", allergies="")
appointment = make_appointment(hospital, doctor=doctor, patient=patient)
paracetamol = make_medicine(hospital, generic_name="Paracetamol", brand_name="Panadol",
                            form="tablet", strength="500 mg", unit="tablet",
                            sale_price=Decimal("0.40"))
amoxicillin = make_medicine(hospital, generic_name="Amoxicillin", brand_name="Amoxil",
                            form="capsule", strength="500 mg", unit="capsule")
receive(hospital, paracetamol, ("PCM-1", in_days(300), 20))
with tenant_context(hospital):
    Doctor.objects.filter(pk=doctor.pk).update(user_id=logins["doctor"].pk)
    patient_allergy_record(
        patient=patient,
        details=AllergyDetails(
            Allergen.objects.get(code="penicillins").pk, "Urticaria", "moderate"
        ),
        recorded_by=logins["nurse"],
    )
    appointment_check_in(appointment=appointment)
    consultation = consultation_open(appointment=appointment, opened_by=logins["doctor"])
    diagnosis_add(consultation=consultation, code="J18.9", primary=True)
    prescription_line_add(
        hospital=hospital,
        consultation=consultation,
        line=PrescriptionLine(
            medicine_id=paracetamol.pk, dose_amount=Decimal("2"), dose_unit="tablet",
            frequency="once_daily", duration_days=5, quantity=10,
        ),
        prescribed_by=logins["doctor"],
    )
    general = ward_create(name="General Medicine", daily_rate=Decimal("50"))
    bed_create(room=room_create(ward=general, name="1"), label="A")
    private = ward_create(name="Private", daily_rate=Decimal("120"))
    bed_create(room=room_create(ward=private, name="P1"), label="1")
    # the visit's fee is still unbilled here (billing is not this test's subject)
    admission_settings_update(allow_discharge_with_unbilled=True)
print(json.dumps({
    "users": {role: user.username for role, user in logins.items()},
    "consultation": str(consultation.pk),
    "patient": str(patient.pk),
}))
""".replace("<subdomain>", SUBDOMAIN).replace("<password>", PASSWORD)

CHARGES = """
import json
from apps.admissions.billing import source as bed_days, ward_doses
from apps.pharmacy.models import Batch
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="<subdomain>")
with tenant_context(hospital):
    beds = list(bed_days.items_for(patient_id=PATIENT_ID))
    doses = list(ward_doses.items_for(patient_id=PATIENT_ID))
    print(json.dumps({
        "bed_days": [str(item.quantity) for item in beds],
        "bed_rates": [str(item.unit_price) for item in beds],
        "doses": [str(item.amount) for item in doses],
        "paracetamol_left": sum(b.quantity_on_hand for b in Batch.objects.all()),
    }))
""".replace("<subdomain>", SUBDOMAIN)


def test_consultation_admit_carry_over_first_dose_now_transfer_and_discharge(
    stack: Stack, page: Page
) -> None:
    site = hospital_create(stack, name="Inpatient Loop Hospital", subdomain=SUBDOMAIN)
    made = site.setup(SETUP)

    # The doctor admits from the consultation: patient, doctor and diagnosis come along.
    sign_in(page, site, made["users"]["doctor"], PASSWORD)
    page.goto(site.url(f"/consultations/{made['consultation']}/"))
    page.locator("#admission").get_by_role("link", name="Admit").click()
    expect(page.get_by_text(f"From the consultation of {PATIENT}.")).to_be_visible()
    expect(page.get_by_label("Patient number")).to_have_count(0)
    expect(page.get_by_label("Working diagnosis")).to_have_value(re.compile("J18.9"))
    page.get_by_role("button", name="Put on the list to admit").click()
    row = page.locator("tr", has_text=PATIENT)
    row.get_by_role("link", name="Admit").click()
    page.locator("#id_bed").select_option(label="General Medicine · room 1 · bed A · 50.00 a day")
    page.get_by_role("button", name="Admit", exact=True).click()
    expect(page.get_by_text(re.compile(r"Admitted as \w+-ADM-\d{4}-000001"))).to_be_visible()
    admission_url = page.url

    # The consultation's prescription is carried over with one confirmation.
    page.get_by_role("link", name="Medication orders").click()
    page.get_by_role("link", name="Carry them over").click()
    expect(page.locator(".carry-over")).to_contain_text("Paracetamol 500 mg")
    page.get_by_role("button", name="Confirm and order").click()
    orders = page.locator("table.orders")
    expect(orders).to_contain_text("Paracetamol 500 mg (Panadol)")
    expect(orders).to_contain_text("Carried over from the consultation")

    # Amoxicillin for a penicillin-allergic patient: warned, saved only with a reason.
    form = page.locator("#order-form")
    form.get_by_label("Medicine", exact=True).fill("amox")
    form.locator("#medicine-results").get_by_label(re.compile("Amoxicillin 500 mg")).check()
    form.get_by_label("Dose", exact=True).fill("1")
    form.get_by_label("Unit", exact=True).select_option("capsule")
    form.get_by_label("Frequency", exact=True).select_option("three_times_daily")
    form.get_by_label("Duration (days)").fill("5")
    form.get_by_role("button", name="Order").click()
    expect(page.locator("#prescribing-warnings")).to_contain_text("allergic to Penicillins")
    expect(page.locator("#id_override_reason_error")).to_be_visible()
    expect(orders).not_to_contain_text("Amoxicillin")
    page.get_by_label("Reason for overriding the warnings").fill("Skin test negative in 2026")
    page.locator("#order-form").get_by_role("button", name="Order").click()
    expect(orders).to_contain_text("Amoxicillin 500 mg (Amoxil)")
    expect(orders).to_contain_text("Overridden: Skin test negative in 2026")
    sign_out(page)

    # The nurse gives the carried-over medicine's first dose, due now.
    sign_in(page, site, made["users"]["nurse"], PASSWORD)
    open_from_menu(page, "Wards and admissions")
    page.locator("tr", has_text=PATIENT).get_by_role("link", name="Nursing chart").click()
    line = page.locator(".order-line", has_text="Paracetamol")
    expect(line.locator(".dose")).to_have_count(1)
    dose = line.locator("form.dose-form")
    dose.get_by_label("Outcome").select_option("given")
    dose.get_by_role("button", name="Record").click()
    expect(line.locator(".badge.outcome-given")).to_have_count(1)
    expect(line).to_contain_text("Lalə Nurse")

    # Transferred the same day to the private ward.
    page.goto(admission_url)
    page.locator("#id_bed").select_option(label="Private · room P1 · bed 1 · 120.00 a day")
    page.get_by_role("button", name="Transfer").click()
    expect(page.locator("tr.occupancy")).to_have_count(2)
    sign_out(page)

    # The doctor discharges: the summary holds the diagnosis and the discharge prescription.
    sign_in(page, site, made["users"]["doctor"], PASSWORD)
    page.goto(admission_url)
    page.get_by_role("link", name="Discharge", exact=True).click()
    expect(page.get_by_label("Diagnoses")).to_have_value(re.compile("J18.9"))
    expect(page.get_by_label("Medicines on discharge")).to_have_value(re.compile("Paracetamol"))
    page.get_by_label("Treatment given").fill("Oral antibiotics, antipyretics")
    page.get_by_role("button", name="Discharge and print the summary").click()
    prescription = page.locator("#discharge-prescription")
    expect(prescription).to_contain_text("Paracetamol 500 mg (Panadol)")
    expect(prescription).to_contain_text("Amoxicillin 500 mg (Amoxil)")

    # One bed day (a stay that crossed no midnight, at the bed it began in); the dose
    # given is charged once and took two tablets from stock.
    charges = site.setup(CHARGES, PATIENT_ID=made["patient"])
    assert charges["bed_days"] == ["1"] and charges["bed_rates"] == ["50.00"]
    assert charges["doses"] == ["0.80"]
    assert charges["paracetamol_left"] == 18
