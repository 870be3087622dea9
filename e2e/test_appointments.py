"""Two receptionists at two desks: one books a slot and checks the patient in; the other,
pressing the same slot at the same moment, is refused with the reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.pages import HospitalSite, hospital_create, sign_in
from hms.devstack import Stack

PASSWORD = "Front-Desk-Secret-26"

# Run by ``manage.py shell`` in the real stack's environment: a doctor working all day
# (so a free slot is left today whatever the hour), two patients, two receptionists.
SETUP = """
import json
from datetime import time
from decimal import Decimal
from apps.accounts.models import Role
from apps.accounts.services import account_create
from apps.doctors.models import Doctor, DoctorSchedule
from apps.patients.services import patient_register
from apps.patients.tests.factories import details
from apps.regions.models import Clinic, Specialization
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="bayside")
with tenant_context(hospital):
    clinic = Clinic.objects.select_related("city__region").first()
    doctor = Doctor.objects.create(
        full_name="Dr Leyla Məmmədova", specialization=Specialization.objects.first(),
        region=clinic.city.region, city=clinic.city, clinic=clinic,
        consulting_fee=Decimal("40.00"),
    )
    for weekday in range(7):
        DoctorSchedule.objects.create(
            doctor=doctor, weekday=weekday, starts_at=time(0), ends_at=time(23, 45),
            slot_minutes=15,
        )
    patients = [
        patient_register(
            hospital=hospital, details=details(first_name=name, phone=phone),
            confirm_duplicates=True,
        ).patient
        for name, phone in (("Aysel", "+994501110011"), ("Tural", "+994501110022"))
    ]
desks = [
    account_create(hospital=hospital, full_name=name, role=Role.RECEPTIONIST,
                   password="<password>").user.username
    for name in ("Nigar Desk", "Samir Desk")
]
print(json.dumps({"doctor": doctor.pk, "patients": [str(p.pk) for p in patients],
                  "desks": desks}))
""".replace("<password>", PASSWORD)


def desk(browser: Browser, site: HospitalSite, username: str) -> Page:
    """A receptionist's own browser, on a phone's width, signed in."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, site, username, PASSWORD)
    return page


# the second desk's booking of the taken slot is refused: the form again, HTTP 400
@pytest.mark.browser_errors_expected(
    r"HTTP 400: POST http://[a-z-]+\.localhost:\d+/appointments/book/slot/"
)
def test_a_receptionist_books_and_checks_in_while_a_second_desk_is_refused_the_slot(
    stack: Stack, browser: Browser, artifacts: Path
) -> None:
    site = hospital_create(stack, name="Bayside Hospital", subdomain="bayside")
    setup = site.setup(SETUP)
    first, second = (desk(browser, site, username) for username in setup["desks"])

    # Both desks open the same doctor's day for their own patient; the grid shows free slots.
    for page, patient in zip((first, second), setup["patients"], strict=True):
        page.goto(site.url(f"/appointments/book/?patient={patient}&doctor={setup['doctor']}"))
        expect(page.get_by_role("heading", name="Book appointment")).to_be_visible()
    slot = first.locator("button.slot.free").first
    time_text = slot.get_attribute("value")
    assert time_text and re.fullmatch(r"\d\d:\d\d", time_text)
    second_slot = second.locator(f'button.slot.free[value="{time_text}"]')
    expect(second_slot).to_be_enabled()
    first.screenshot(path=str(artifacts / "appointments-slot-grid.png"), full_page=True)
    assert first.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Both press the same slot at the same moment.
    slot.click(no_wait_after=True)
    second_slot.click(no_wait_after=True)
    first.wait_for_load_state()
    second.wait_for_load_state()
    pages: dict[str, Page | None] = {"booked": None, "refused": None}
    for page in (first, second):
        page.wait_for_function("document.readyState === 'complete'")
        if re.search(r"/appointments/[0-9a-f-]{36}/$", page.url):
            pages["booked"] = page
        else:
            pages["refused"] = page
    booked, refused = pages["booked"], pages["refused"]
    assert booked is not None and refused is not None, (first.url, second.url)

    expect(refused.locator("#id_time_error")).to_contain_text("already sees")
    expect(refused.locator(f'button.slot[value="{time_text}"]')).to_be_disabled()
    refused.screenshot(path=str(artifacts / "appointments-slot-refused.png"), full_page=True)

    # The desk that won checks the patient in: first in the doctor's queue.
    expect(booked.locator(".badge.status-scheduled")).to_have_text("Scheduled")
    booked.get_by_role("button", name="Check in").click()
    expect(booked.get_by_text("is checked in.")).to_be_visible()
    expect(booked.locator(".badge.status-checked_in")).to_have_text("Checked in")
    expect(booked.locator("dt:has-text('Queue number') + dd")).to_have_text("1")
    booked.screenshot(path=str(artifacts / "appointments-checked-in.png"), full_page=True)

    # The flow board shows the patient waiting, and fits a phone's width.
    booked.goto(site.url("/appointments/"))
    row = booked.locator("tr", has=booked.locator(".badge.status-checked_in"))
    expect(row).to_contain_text("0 min")
    assert booked.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    booked.screenshot(path=str(artifacts / "appointments-flow-board.png"), full_page=True)
    booked.get_by_label("Patient").fill("nobody like this")
    expect(booked.get_by_text("No appointments match.")).to_be_visible()
    expect(booked).to_have_url(re.compile(r"q=nobody"))
