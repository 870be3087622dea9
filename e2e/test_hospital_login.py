"""A hospital made from the command line, used in a real browser on its own host."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from hms.devstack import ADMIN_PASSWORD, ADMIN_USERNAME, Stack


def create_hospital(stack: Stack, name: str, subdomain: str) -> tuple[str, str]:
    output = stack.manage("create_hospital", "--name", name, "--subdomain", subdomain).stdout
    username = re.search(r"Administrator username: (\S+)", output)
    password = re.search(r"first login\): (\S+)", output)
    assert username and password, output
    return username.group(1), password.group(1)


def test_a_hospital_admin_signs_in_changes_the_temporary_password_and_sees_the_dashboard(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    username, password = create_hospital(stack, "Riverside General Hospital", "riverside")
    page.goto(stack.hospital_url("riverside") + "/")
    expect(page.get_by_role("heading", name="Riverside General Hospital")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Choose your own password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("Riverside-Own-2026")
    page.get_by_label("New password confirmation").fill("Riverside-Own-2026")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.screenshot(path=str(artifacts / "hospital-dashboard.png"), full_page=True)


def test_platform_and_hospital_sessions_stay_separate_and_unknown_hosts_are_404(
    stack: Stack, page: Page
) -> None:
    create_hospital(stack, "Hillside Clinic", "hillside")
    page.goto(stack.platform_url + "/admin/")
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Site administration")).to_be_visible()

    page.goto(stack.hospital_url("hillside") + "/")
    expect(page).to_have_url(re.compile(r"/login/"))

    response = page.goto(stack.hospital_url("no-such-hospital") + "/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="No hospital at this address")).to_be_visible()
