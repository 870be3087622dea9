"""At 390 px: filters and form grids without large empty gaps, sub-navigation that
scrolls instead of being cut, nothing wider than the screen; the dashboard's chart text
drawn at 11 px or more (issue 19, point 8). The clean console of every page here is
checked by e2e/conftest.py's browser_problems."""

from __future__ import annotations

from playwright.sync_api import Browser, ViewportSize

from e2e.pages import hospital_create, sign_in_as_admin
from hms.devstack import Stack

ADMIN_PASSWORD = "Phone-Admin-2026"
PHONE: ViewportSize = {"width": 390, "height": 844}

#: the largest empty vertical space between two consecutive fields of a filter bar or a
#: form grid, in px
LARGEST_GAP = """() => {
  let largest = 0;
  for (const box of document.querySelectorAll(".filters, .form .grid")) {
    const fields = [...box.children].filter((field) => field.offsetParent !== null);
    for (let n = 1; n < fields.length; n++) {
      const gap = fields[n].getBoundingClientRect().top
        - fields[n - 1].getBoundingClientRect().bottom;
      largest = Math.max(largest, gap);
    }
  }
  return largest;
}"""

#: each tab's text is whole (not cut by its box) and the tab row may scroll
CUT_TABS = """() => [...document.querySelectorAll(".tabs a")]
  .filter((tab) => tab.scrollWidth > tab.clientWidth + 1).map((tab) => tab.textContent)"""

#: the drawn size of each chart text: its font size in the chart's units times the scale
#: the chart is drawn at
CHART_TEXT_PX = """() => [...document.querySelectorAll(".chart svg text")].map(
  (text) => parseFloat(getComputedStyle(text).fontSize) * text.ownerSVGElement.getScreenCTM().a
)"""

PAGES = ("/appointments/", "/appointments/book/", "/billing/", "/billing/services/", "/patients/")


def test_at_390_px_forms_have_no_gaps_tabs_scroll_and_charts_are_legible(
    stack: Stack, browser: Browser
) -> None:
    site = hospital_create(
        stack,
        name="Phone Layout Hospital",
        subdomain="phone-layout",
        code="PLH001",
        admin_password=ADMIN_PASSWORD,
    )
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in_as_admin(page, site)
    for path in PAGES:
        page.goto(site.url(path))
        assert page.evaluate(LARGEST_GAP) < 40, path  # a field's margin, not a screen's gap
        assert page.evaluate(CUT_TABS) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page.goto(site.url("/"))
    sizes = page.evaluate(CHART_TEXT_PX)
    assert sizes and min(sizes) >= 11, sizes
