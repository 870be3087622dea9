"""The staff menu for twenty modules: one row at 1280 px for a hospital administrator,
each area of work a dropdown; behind the Menu button at 390 px; no console errors."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from e2e.menu import menu_link
from e2e.pages import HospitalSite, hospital_create, sign_in_as_admin
from hms.devstack import Stack

ADMIN_PASSWORD = "Menu-Admin-2026"

TOP_LEVEL = """
[...document.querySelectorAll("nav.nav .menu > li")].map((item) => ({
  text: item.querySelector("summary, a").textContent.trim(),
  offsetTop: item.offsetTop,
  top: Math.round(item.getBoundingClientRect().top),
}))
"""


@pytest.fixture(scope="module")
def hospital(stack: Stack) -> HospitalSite:
    return hospital_create(
        stack,
        name="Menu General Hospital",
        subdomain="menu-general",
        code="MGH001",
        admin_password=ADMIN_PASSWORD,
    )


@pytest.fixture
def console() -> Iterator[list[str]]:
    problems: list[str] = []
    yield problems
    assert problems == []


def signed_in(browser: Browser, hospital: HospitalSite, width: int, console: list[str]) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()

    def watch(message: ConsoleMessage) -> None:
        # the browser asks for /favicon.ico on its own; there is none
        if message.type in ("error", "warning") and "favicon" not in message.location["url"]:
            console.append(f"{message.type}: {message.text} ({message.location['url']})")

    page.on("console", watch)
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    sign_in_as_admin(page, hospital)
    return page


def test_at_1280_px_the_administrators_menu_is_one_row_of_dropdowns(
    browser: Browser, hospital: HospitalSite, console: list[str]
) -> None:
    page = signed_in(browser, hospital, 1280, console)
    items = page.evaluate(TOP_LEVEL)
    assert [item["text"] for item in items] == [
        "Front desk", "Clinical", "Diagnostics", "Pharmacy", "Billing", "People", "Administration",
    ]  # fmt: skip
    assert len({item["offsetTop"] for item in items}) == 1, items
    assert len({item["top"] for item in items}) == 1, items
    expect(page.get_by_test_id("menu-button")).to_be_hidden()

    # a group opens as a dropdown; opening another closes it; Escape closes the last
    navigation = page.locator("nav.nav")
    appointments = navigation.get_by_role("link", name="Appointments", exact=True)
    staff = navigation.get_by_role("link", name="Staff", exact=True)
    expect(appointments).to_be_hidden()
    navigation.get_by_text("Front desk").click()
    expect(appointments).to_be_visible()
    navigation.get_by_text("People").click()
    expect(staff).to_be_visible()
    expect(appointments).to_be_hidden()
    page.keyboard.press("Escape")
    expect(staff).to_be_hidden()
    # a click elsewhere closes an open group too
    navigation.get_by_text("Front desk").click()
    expect(appointments).to_be_visible()
    page.get_by_role("heading", name="Dashboard").click()
    expect(appointments).to_be_hidden()

    # the place is marked: the entry and its group
    menu_link(page, "Audit log").click()
    expect(page).to_have_url(re.compile(r"/staff/audit/$"))
    expect(page.locator('nav.nav a[aria-current="page"]')).to_have_text("Audit log")
    expect(page.locator('nav.nav summary[aria-current="true"]')).to_have_text("Administration")
    assert len({item["offsetTop"] for item in page.evaluate(TOP_LEVEL)}) == 1
    page.context.close()


def test_at_390_px_the_menu_sits_behind_the_menu_button(
    browser: Browser, hospital: HospitalSite, console: list[str]
) -> None:
    page = signed_in(browser, hospital, 390, console)
    navigation = page.locator("nav.nav")
    expect(navigation).to_be_hidden()
    page.get_by_test_id("menu-button").click()
    expect(navigation).to_be_visible()
    # on a phone every group is open: a list under headings
    for name in ("Patients", "Appointments", "Consultations", "Laboratory", "Staff", "Audit log"):
        expect(navigation.get_by_role("link", name=name)).to_be_visible()
    navigation.get_by_role("link", name="Patients").click()
    expect(page).to_have_url(re.compile(r"/patients/$"))
    overflow = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert overflow
    page.context.close()
