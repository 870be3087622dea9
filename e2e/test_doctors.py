"""A hospital admin adds a doctor through the region → city → clinic cascade and gives
them a login; the doctor signs in with the temporary password and must change it."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.menu import menu_link
from hms.devstack import Stack

ADMIN_PASSWORD = "Mountain-Admin-2026"


def test_an_admin_adds_a_doctor_through_the_cascade_and_the_doctor_signs_in(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    output = stack.manage(
        "create_hospital",
        "--name",
        "Mountain View Hospital",
        "--subdomain",
        "mountain-view",
        "--admin-password",
        ADMIN_PASSWORD,
    ).stdout
    found = re.search(r"Administrator username: (\S+)", output)
    assert found, output
    hospital_url = stack.hospital_url("mountain-view")

    page.goto(hospital_url + "/")
    page.get_by_label("Username").fill(found.group(1))
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    menu_link(page, "Doctors").click()
    page.get_by_role("link", name="Add a doctor").click()
    expect(page.get_by_role("heading", name="Add a doctor")).to_be_visible()

    page.get_by_label("Full name").fill("Kamran Quliyev")
    # a canonical specialization reads in the interface language (Kardioloq in Azerbaijani)
    page.get_by_label("Specialization").select_option(label="Cardiologist")
    page.get_by_label("Consulting fee").fill("35")
    # the cascade refreshes the selects in place: a marker set on the page survives
    page.evaluate("window.noReload = true")
    page.get_by_label("Region").select_option(label="Gəncə")
    city = page.get_by_label("City", exact=True)
    clinic = page.get_by_label("Clinic")
    expect(city.locator("option")).to_have_text(["Choose a city", "Gəncə"])
    expect(clinic.locator("option")).to_have_text(["Choose a city first"])
    city.select_option(label="Gəncə")
    expect(clinic.locator("option")).to_have_text(["Choose a clinic", "Gəncə Şəhər Klinikası"])
    clinic.select_option(label="Gəncə Şəhər Klinikası")
    assert page.evaluate("window.noReload") is True

    page.get_by_label("Create a login for this doctor").check()
    page.screenshot(path=str(artifacts / "doctor-form.png"), full_page=True)
    page.get_by_role("button", name="Add doctor").click()
    expect(page.get_by_role("heading", name="Doctor Kamran Quliyev saved")).to_be_visible()
    username = page.locator("#new-username").inner_text()
    temporary_password = page.locator("#new-password").inner_text()
    page.screenshot(path=str(artifacts / "doctor-login-created.png"), full_page=True)

    page.get_by_role("link", name="Open Kamran Quliyev's page").click()
    expect(page.get_by_text("Gəncə Şəhər Klinikası, Gəncə, Gəncə")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(temporary_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Choose your own password")).to_be_visible()
    page.goto(hospital_url + "/doctors/")  # nothing else until the password is changed
    expect(page).to_have_url(re.compile(r"/password/$"))
    page.get_by_label("New password", exact=True).fill("Kamran-Own-Secret-7")
    page.get_by_label("New password confirmation").fill("Kamran-Own-Secret-7")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    menu_link(page, "Doctors").click()
    expect(page.get_by_role("link", name="Kamran Quliyev")).to_be_visible()
    expect(page.get_by_role("link", name="Add a doctor")).to_have_count(0)
    page.get_by_label("Search").press_sequentially("nobody like this")
    expect(page.get_by_text("No doctors found.")).to_be_visible()
    page.get_by_label("Search").fill("")
    page.get_by_label("Search").press_sequentially("quli")
    expect(page.get_by_role("link", name="Kamran Quliyev")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q=quli"))
    page.screenshot(path=str(artifacts / "doctor-signed-in.png"), full_page=True)
