"""A hospital admin manages a person's login on the staff pages in a real browser:
staff record, login made from it, password reset, deactivation."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.menu import menu_link
from hms.devstack import Stack

ADMIN_PASSWORD = "Maple-Admin-2026"


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_admin_makes_resets_and_deactivates_a_nurses_login(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    output = stack.manage(
        "create_hospital",
        "--name",
        "Maple Hospital",
        "--subdomain",
        "maple",
        "--admin-password",
        ADMIN_PASSWORD,
    ).stdout
    admin = re.search(r"Administrator username: (\S+)", output)
    assert admin, output
    base = stack.hospital_url("maple")
    sign_in(page, base, admin.group(1), ADMIN_PASSWORD)

    menu_link(page, "Staff").click()
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

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "gunel.rzayeva", second_password)
    expect(page.get_by_role("alert")).to_contain_text("enter a correct username and password")
