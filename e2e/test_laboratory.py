"""The lab desk orders a blood count for a walk-in, collects the sample and enters the
results (haemoglobin flagged high); the technician who entered them cannot approve,
a second one does, and the A4 report prints — in a real browser against the real stack."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import hospital_create, open_from_menu, sign_in, sign_out
from hms.devstack import Stack

ADMIN_PASSWORD = "Bayview-Admin-2026"
LAB_PASSWORD = "Lab-Bench-2026-x"

# Staff and a registered patient, made the way an administrator's tools would; the
# pages under test are the lab's.
SETUP = f"""
from datetime import date
from apps.accounts.services import account_create
from apps.patients.services import PatientDetails, patient_register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
hospital = Hospital.objects.get(subdomain="bayview")
for name in ("Aynur Hüseynova", "Kamran Əliyev"):
    account = account_create(hospital=hospital, full_name=name, role="lab_technician",
                             password="{LAB_PASSWORD}")
    print("USER", account.user.username)
with tenant_context(hospital):
    patient_register(hospital=hospital, details=PatientDetails(
        first_name="Samir", last_name="Quliyev", sex="male", birth_date=date(1979, 11, 2),
        phone="+994 55 987 65 43"), confirm_duplicates=True)
"""

CBC = {
    "Haemoglobin": "18.9",
    "Haematocrit": "49",
    "Red blood cells": "5.6",
    "White blood cells": "7.2",
    "Platelets": "260",
    "Mean corpuscular volume": "88",
}


def test_a_blood_count_goes_from_order_to_a_printed_report_approved_by_a_second_person(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack,
        name="Bayview Medical Centre",
        subdomain="bayview",
        code="BMC001",
        admin_password=ADMIN_PASSWORD,
    )
    first, second = re.findall(r"USER (\S+)", stack.manage("shell", "-c", SETUP).stdout)

    # The first technician orders an urgent blood count at the lab desk.
    sign_in(page, site, first, LAB_PASSWORD)
    open_from_menu(page, "Laboratory")
    expect(page.get_by_role("heading", name="Lab worklist")).to_be_visible()
    page.get_by_role("link", name="New order").first.click()
    page.get_by_label("Find the patient").fill("samir")
    page.get_by_label(re.compile("Samir Quliyev")).check()
    page.get_by_label(re.compile("Complete blood count")).check()
    page.get_by_label("Urgent").check()
    page.get_by_role("button", name="Place order").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^BMC001-LAB-\d{4}-000001 Ordered Urgent"))
    number = heading.inner_text().split()[0]
    order_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    # Sample, then results: an implausible value is refused next to its field first.
    page.get_by_role("button", name="Sample collected").click()
    expect(page.get_by_text("Sample collected for")).to_be_visible()
    for test, value in CBC.items():
        page.get_by_label(test, exact=True).fill(value)
    page.get_by_label("Platelets", exact=True).fill("26000")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("above the highest plausible value")).to_be_visible()
    page.get_by_label("Platelets", exact=True).fill(CBC["Platelets"])
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Awaiting approval").first).to_be_visible()
    haemoglobin = page.get_by_role("row", name=re.compile("Haemoglobin"))
    expect(haemoglobin).to_contain_text("H · high")
    expect(haemoglobin).to_contain_text("13.5–17.5")
    page.screenshot(path=str(artifacts / "lab-results-entered.png"), full_page=True)

    # The same technician may not approve their own results: no button, the reason instead
    # (the service refuses a post all the same: apps/laboratory/tests).
    expect(page.get_by_text("a second person must approve")).to_be_visible()
    expect(page.get_by_role("button", name="Approve results")).to_have_count(0)
    sign_out(page)

    # A second technician finds the order at the top of the worklist and approves it.
    sign_in(page, site, second, LAB_PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})  # the worklist fits a phone
    page.goto(site.url("/laboratory/"))
    expect(page.get_by_role("link", name=number)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("link", name=number).click()
    page.get_by_role("button", name="Approve results").click()
    expect(page.get_by_text(f"Results of {number} approved.")).to_be_visible()

    # The report: the hospital, ranges, the high flag and who approved, on A4.
    page.get_by_role("link", name="Print report").click()
    report = page.locator("#lab-report")
    expect(report).to_contain_text("Bayview Medical Centre")
    expect(report).to_contain_text("Kamran Əliyev")
    expect(report.get_by_role("row", name=re.compile("Haemoglobin"))).to_contain_text("H · high")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    page.screenshot(path=str(artifacts / "lab-report-print.png"), full_page=True)
    page.pdf(path=str(artifacts / "lab-report.pdf"), format="A4", print_background=True)
    assert (artifacts / "lab-report.pdf").stat().st_size > 1000

    # On a phone the approved order fits the screen's width.
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site.url(f"/laboratory/orders/{order_id}/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts / "lab-order-390.png"), full_page=True)
