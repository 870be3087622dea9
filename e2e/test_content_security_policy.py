"""The CSP forbids inline scripts, inline styles and eval: the real pages, htmx and the
Django admin must work under it without a single violation (issue 11, point 6)."""

from __future__ import annotations

import re

from playwright.sync_api import ConsoleMessage, Page, expect

from e2e.menu import menu_link
from hms.devstack import ADMIN_PASSWORD, ADMIN_USERNAME, Stack

HOSPITAL_ADMIN_PASSWORD = "Policy-Check-2026"


def test_staff_pages_htmx_and_the_admin_run_without_a_csp_violation(
    stack: Stack, page: Page
) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    output = stack.manage(
        "create_hospital",
        "--name",
        "Policy Check Infirmary",
        "--subdomain",
        "policy-check",
        "--code",
        "PCI901",
        "--admin-password",
        HOSPITAL_ADMIN_PASSWORD,
    ).stdout
    admin = re.search(r"Administrator username: (\S+)", output)
    assert admin, output
    base = stack.hospital_url("policy-check")

    page.goto(base + "/login/")
    page.get_by_label("Username").fill(admin.group(1))
    page.get_by_label("Password").fill(HOSPITAL_ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    menu_link(page, "Patients").click()
    page.get_by_role("searchbox").fill("nobody")  # htmx search as you type
    page.wait_for_load_state("networkidle")
    menu_link(page, "Staff").click()
    page.wait_for_load_state("networkidle")

    page.goto(stack.platform_url + "/admin/")
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Site administration")).to_be_visible()
    for path in ("/admin/tenancy/hospital/", "/admin/tenancy/hospital/add/"):
        page.goto(stack.platform_url + path)
        page.wait_for_load_state("networkidle")
    assert violations == []
