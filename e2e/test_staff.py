"""A hospital admin manages a person's login on the staff pages in a real browser:
staff record, login made from it, password reset, deactivation."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import hospital_create, open_from_menu, sign_in, sign_in_as_admin, sign_out
from hms.devstack import Stack

ADMIN_PASSWORD = "Maple-Admin-2026"


def test_an_admin_makes_resets_and_deactivates_a_nurses_login(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack, name="Maple Hospital", subdomain="maple", admin_password=ADMIN_PASSWORD
    )
    sign_in_as_admin(page, site)

    open_from_menu(page, "Staff")
    page.get_by_role("link", name="Staff records").click()
    page.get_by_role("link", name="New staff record").click()
    page.get_by_label("First name").fill("Gunel")
    page.get_by_label("Last name").fill("Rzayeva")
    page.get_by_label("Job title").fill("Head nurse")
    page.get_by_label("Department").fill("Cardiology")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Gunel Rzayeva")).to_be_visible()

    page.get_by_label("Role").select_option("nurse")
    page.get_by_role("button", name="Create a login").click()
    first_password = page.get_by_test_id("temporary-password").inner_text()
    expect(page.get_by_test_id("username")).to_have_text("gunel.rzayeva")
    page.screenshot(path=str(artifacts / "staff-record-login.png"), full_page=True)

    page.get_by_role("link", name="gunel.rzayeva").click()
    page.get_by_role("button", name="Reset password").click()
    expect(page.get_by_text("New temporary password")).to_be_visible()
    second_password = page.get_by_test_id("temporary-password").inner_text()
    assert second_password != first_password

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_text("is deactivated and can no longer sign in")).to_be_visible()
    expect(page.locator("#account .badge.inactive")).to_have_text("Deactivated")
    page.screenshot(path=str(artifacts / "staff-account-deactivated.png"), full_page=True)

    # The logins list filters as you type, and by role.
    page.get_by_role("link", name="Logins").click()
    results = page.locator("#account-results")
    expect(results.get_by_role("row")).to_have_count(3)  # header, admin, nurse
    page.get_by_role("searchbox", name="Search logins").press_sequentially("rzay", delay=60)
    expect(results.get_by_role("row")).to_have_count(2)
    expect(results.get_by_role("row").nth(1)).to_contain_text("Deactivated")
    page.get_by_role("searchbox", name="Search logins").fill("")
    page.get_by_label("Role").select_option("hospital_admin")
    expect(results.get_by_role("row")).to_have_count(2)
    expect(results).not_to_contain_text("gunel.rzayeva")

    sign_out(page)
    sign_in(page, site, "gunel.rzayeva", second_password, lands_on=None)
    expect(page.get_by_role("alert")).to_contain_text("enter a correct username and password")
