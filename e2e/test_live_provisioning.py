"""The headline: an administrator adds a hospital in the admin, watches its database
being built live, and its administrator signs in to the new site."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.pages import HospitalSite, first_sign_in, platform_sign_in
from e2e.platform_db import JobCatcher
from hms.devstack import Stack

RECORD_PROGRESS = """() => {
  window.hmsSeen = [];
  const record = () => {
    const bar = document.querySelector('[role=progressbar][aria-label="Job progress"]');
    const value = bar && bar.getAttribute('aria-valuenow');
    if (value !== null && window.hmsSeen[window.hmsSeen.length - 1] !== value) {
      window.hmsSeen.push(value);
    }
  };
  record();
  new MutationObserver(record).observe(
    document.body, {subtree: true, childList: true, attributes: true}
  );
}"""


@pytest.fixture
def worker_restarted(stack: Stack) -> Iterator[None]:
    """The test stops the worker for a while; whatever happens, it runs again after."""
    yield
    if "worker" not in stack.processes:
        stack.start_worker()


# the hospital's address answers 503 (being set up) until its database is ready
@pytest.mark.browser_errors_expected(r"HTTP 503: GET http://harbour-view\.")
def test_an_admin_adds_a_hospital_watches_it_built_live_and_its_administrator_signs_in(
    stack: Stack, page: Page, artifacts: Path, worker_restarted: None
) -> None:
    platform_sign_in(page, stack)
    page.goto(stack.platform_url + "/admin/tenancy/hospital/")
    page.get_by_role("link", name="Add hospital").click()

    # No worker for a moment: the job page must say so instead of spinning.
    stack.stop_process("worker")
    page.locator("#id_name").fill("Harbour View Hospital")
    page.locator("#id_subdomain").fill("harbour-view")
    page.locator("#id_admin_name").fill("Leyla Mammadova")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(r"/admin/tenancy/provisioningjob/[0-9a-f-]+/change/$"))
    expect(page.get_by_test_id("job-status")).to_have_text("Queued")
    page.evaluate(RECORD_PROGRESS)
    expect(page.get_by_text("Waiting for a worker — is `make run` running?")).to_be_visible(
        timeout=10_000
    )
    # Meanwhile the hospital's own address says it is being set up, and follows along.
    site = page.context.new_page()
    response = site.goto(stack.hospital_url("harbour-view") + "/")
    assert response is not None and response.status == 503
    being_set_up = site.get_by_role("heading", name="Harbour View Hospital is being set up")
    expect(being_set_up).to_be_visible()

    # The worker comes back; the job is held half way (see JobCatcher) for the photo.
    with JobCatcher(stack, "harbour-view") as catcher:
        stack.start_worker()
        assert catcher.caught.wait(60), "the worker never started the job"
        assert catcher.caught_percent is not None, "the job ended before it could be caught"
        bar = page.get_by_role("progressbar", name="Job progress")
        expect(bar).to_have_attribute("aria-valuenow", str(catcher.caught_percent))
        expect(page.get_by_test_id("job-status")).to_have_text("Running")
        page.screenshot(path=str(artifacts / "provisioning-job-mid-way.png"), full_page=True)

    expect(page.get_by_test_id("job-status")).to_have_text("Ready", timeout=30_000)
    expect(page.get_by_role("progressbar", name="Job progress")).to_have_attribute(
        "aria-valuenow", "100"
    )
    seen = page.evaluate("window.hmsSeen")
    assert seen[0] == "0" and seen[-1] == "100" and len(seen) >= 3, seen  # changed twice or more
    assert page.get_by_text("Create database").first.is_visible()
    page.screenshot(path=str(artifacts / "provisioning-job-ready.png"), full_page=True)
    # the waiting hospital page reloaded itself into the hospital's login page
    expect(site).to_have_url(re.compile(r"/login/"), timeout=10_000)
    expect(site.get_by_role("heading", name="Harbour View Hospital", exact=True)).to_be_visible()
    site.close()

    username = page.get_by_test_id("admin-username").inner_text()
    password = page.get_by_test_id("admin-password").inner_text()
    assert username == "leyla.mammadova"

    page.goto(stack.platform_url + "/admin/tenancy/hospital/")
    row = page.get_by_role("row", name=re.compile("Harbour View Hospital"))
    expect(row.get_by_text("Ready")).to_be_visible()

    page.go_back()
    expect(page.get_by_test_id("admin-password")).to_have_count(0)  # shown once only
    page.get_by_test_id("hospital-link").click()
    expect(page.get_by_role("heading", name="Harbour View Hospital")).to_be_visible()
    harbour_view = HospitalSite(stack, "harbour-view", username, password)
    first_sign_in(page, harbour_view, username, password, "Harbour-View-Own-2026")
