"""A hospital made from the command line, used in a real browser on its own host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import first_sign_in, hospital_create, platform_sign_in
from hms.devstack import Stack


def test_a_hospital_admin_signs_in_changes_the_temporary_password_and_sees_the_dashboard(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(stack, name="Riverside General Hospital", subdomain="riverside")
    page.goto(site.url("/"))
    expect(page.get_by_role("heading", name="Riverside General Hospital")).to_be_visible()
    first_sign_in(page, site, site.admin_username, site.admin_password, "Riverside-Own-2026")
    page.screenshot(path=str(artifacts / "hospital-dashboard.png"), full_page=True)


@pytest.mark.browser_errors_expected(r"HTTP 404: GET http://no-such-hospital\.")
def test_platform_and_hospital_sessions_stay_separate_and_unknown_hosts_are_404(
    stack: Stack, page: Page
) -> None:
    site = hospital_create(stack, name="Hillside Clinic", subdomain="hillside")
    platform_sign_in(page, stack)

    page.goto(site.url("/"))
    expect(page).to_have_url(re.compile(r"/login/"))

    response = page.goto(stack.hospital_url("no-such-hospital") + "/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="No hospital at this address")).to_be_visible()
