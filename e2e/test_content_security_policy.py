"""The CSP forbids inline scripts, inline styles and eval: the real pages, htmx and the
Django admin must work under it without a single violation (issue 11, point 6)."""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page

from e2e.pages import (
    hospital_create,
    htmx_swap,
    open_from_menu,
    platform_sign_in,
    sign_in_as_admin,
)
from hms.devstack import Stack

HOSPITAL_ADMIN_PASSWORD = "Policy-Check-2026"


def test_staff_pages_htmx_and_the_admin_run_without_a_csp_violation(
    stack: Stack, page: Page
) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    site = hospital_create(
        stack,
        name="Policy Check Infirmary",
        subdomain="policy-check",
        code="PCI901",
        admin_password=HOSPITAL_ADMIN_PASSWORD,
    )

    sign_in_as_admin(page, site)
    open_from_menu(page, "Patients")
    with htmx_swap(page, "#patient-results"):  # htmx search as you type
        page.get_by_role("searchbox").fill("nobody")
    open_from_menu(page, "Staff")
    page.wait_for_load_state("networkidle")

    platform_sign_in(page, stack)
    for path in ("/admin/tenancy/hospital/", "/admin/tenancy/hospital/add/"):
        page.goto(stack.platform_url + path)
        page.wait_for_load_state("networkidle")
    assert violations == []
