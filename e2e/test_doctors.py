"""A hospital admin adds a doctor through the region → city → clinic cascade and gives
them a login; the doctor signs in with the temporary password and must change it."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import (
    CHOOSE_PASSWORD,
    choose_own_password,
    hospital_create,
    open_from_menu,
    pick,
    sign_in,
    sign_in_as_admin,
    sign_out,
)
from hms.devstack import Stack

ADMIN_PASSWORD = "Mountain-Admin-2026"


def test_an_admin_adds_a_doctor_through_the_cascade_and_the_doctor_signs_in(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack,
        name="Mountain View Hospital",
        subdomain="mountain-view",
        admin_password=ADMIN_PASSWORD,
    )
    sign_in_as_admin(page, site)
    open_from_menu(page, "Doctors")
    page.get_by_role("link", name="Add a doctor").click()
    expect(page.get_by_role("heading", name="Add a doctor")).to_be_visible()

    page.get_by_label("Full name").fill("Kamran Quliyev")
    # a canonical specialization reads in the interface language (Kardioloq in Azerbaijani)
    page.get_by_label("Specialization").select_option(label="Cardiologist")
    page.get_by_label("Consulting fee").fill("35")
    # the cascade refreshes the selects in place: a marker set on the page survives
    page.evaluate("window.noReload = true")
    city = page.get_by_label("City", exact=True)
    clinic = page.get_by_label("Clinic")
    pick(page.get_by_label("Region"), "Gəncə", refreshes="#id_city")
    expect(city.locator("option")).to_have_text(["Choose a city", "Gəncə"])
    expect(clinic.locator("option")).to_have_text(["Choose a city first"])
    pick(city, "Gəncə", refreshes="#id_clinic")
    expect(clinic.locator("option")).to_have_text(["Choose a clinic", "Gəncə Şəhər Klinikası"])
    pick(clinic, "Gəncə Şəhər Klinikası")
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
    sign_out(page)

    sign_in(page, site, username, temporary_password, lands_on=CHOOSE_PASSWORD)
    page.goto(site.url("/doctors/"))  # nothing else until the password is changed
    expect(page).to_have_url(re.compile(r"/password/$"))
    choose_own_password(page, "Kamran-Own-Secret-7")
    open_from_menu(page, "Doctors")
    expect(page.get_by_role("link", name="Kamran Quliyev")).to_be_visible()
    expect(page.get_by_role("link", name="Add a doctor")).to_have_count(0)
    page.get_by_label("Search").press_sequentially("nobody like this")
    expect(page.get_by_text("No doctors found.")).to_be_visible()
    page.get_by_label("Search").fill("")
    page.get_by_label("Search").press_sequentially("quli")
    expect(page.get_by_role("link", name="Kamran Quliyev")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?q=quli"))
    page.screenshot(path=str(artifacts / "doctor-signed-in.png"), full_page=True)
