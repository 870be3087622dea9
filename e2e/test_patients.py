"""A receptionist, given a login on the hospital admin's staff page, registers patients
and finds one by typing part of the name — in a real browser against the real stack."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import (
    first_sign_in,
    hospital_create,
    new_login,
    open_from_menu,
    register_patient,
    sign_in_as_admin,
    sign_out,
)
from hms.devstack import Stack

ADMIN_PASSWORD = "Sunrise-Admin-2026"


def test_a_receptionist_registers_a_patient_and_finds_them_by_typing_part_of_the_name(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack,
        name="Sunrise Family Hospital",
        subdomain="sunrise",
        code="SFH001",
        admin_password=ADMIN_PASSWORD,
    )

    # The hospital admin makes the receptionist's login on the staff page.
    sign_in_as_admin(page, site)
    username, password = new_login(page, full_name="Leyla Hasanova", role="receptionist")
    assert username == "leyla.hasanova" and len(password) >= 12
    page.screenshot(path=str(artifacts / "staff-login-created.png"), full_page=True)
    sign_out(page)

    # The receptionist signs in with it and must choose her own password first.
    first_sign_in(page, site, username, password, "Leyla-Front-Desk-7")
    staff = page.locator(".nav").get_by_role("link", name="Staff", include_hidden=True)
    expect(staff).to_have_count(0)

    register_patient(
        page, first="Samir", last="Quliyev", sex="male", born="1979-11-02", phone="055 987 65 43"
    )
    register_patient(
        page,
        first="Nizami",
        last="Aliyev",
        sex="male",
        born="1984-03-12",
        phone="+994 50 123 45 67",
    )
    expect(page.get_by_text("SFH001-PAT-000002", exact=True)).to_be_visible()
    expect(page.get_by_text("Nothing recorded yet")).to_be_visible()

    # Typing part of the name filters the list in place (no page load).
    open_from_menu(page, "Patients")
    results = page.locator("#patient-results")
    expect(results.get_by_role("row")).to_have_count(3)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("searchbox", name="Search patients").press_sequentially("niza", delay=60)
    expect(results.get_by_role("row")).to_have_count(2)
    expect(results.get_by_role("cell", name="Nizami Aliyev")).to_be_visible()
    expect(results.get_by_text("Samir Quliyev")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page).to_have_url(re.compile(r"\?q=niza"))
    page.screenshot(path=str(artifacts / "patients-search.png"), full_page=True)

    results.get_by_role("link", name="SFH001-PAT-000002").click()
    expect(page.get_by_role("heading", name=re.compile("Nizami Aliyev"))).to_be_visible()
    expect(page.get_by_text("Penicillin").first).to_be_visible()


def test_registering_the_same_person_again_warns_and_continue_registers_anyway(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack,
        name="Harbour Hospital",
        subdomain="harbour",
        code="HH001",
        admin_password=ADMIN_PASSWORD,
    )
    sign_in_as_admin(page, site)
    details = {"first": "Aysel", "last": "Mammadova", "sex": "female", "born": "1990-05-04"}
    register_patient(page, **details, phone="+994 51 222 33 44")

    open_from_menu(page, "Patients")
    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("First name").fill("AYSEL")
    page.get_by_label("Last name").fill("mammadova")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Date of birth").fill("1990-05-04")
    page.get_by_label(re.compile(r"^Phone")).fill("070 555 66 77")
    page.get_by_label("Email").fill("aysel@example")  # the browser accepts it, the server does not
    page.get_by_role("button", name="Register patient").click()
    expect(page.locator("#id_email_error")).to_have_text("Enter a valid email address.")
    page.get_by_label("Email").fill("aysel@example.com")
    page.get_by_role("button", name="Register patient").click()
    warning = page.get_by_role("alert")
    expect(warning).to_contain_text("This patient may already be registered")
    expect(warning.get_by_role("link", name="HH001-PAT-000001")).to_be_visible()
    page.screenshot(path=str(artifacts / "patients-duplicate-warning.png"), full_page=True)
    page.get_by_role("button", name="Continue: register as a new patient").click()
    # the number under the name (the record's log beside it names it too)
    expect(page.get_by_role("heading").get_by_text("HH001-PAT-000002", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "patients-detail.png"), full_page=True)
