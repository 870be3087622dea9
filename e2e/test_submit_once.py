"""A double click on "Complete sale" makes one sale and a double click on "Place order"
one lab order — in a real browser against the real stack (issue 18, point 5)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import hospital_create, sign_in, sign_out
from hms.devstack import Stack

ADMIN_PASSWORD = "Harbour-Admin-2026"
STAFF_PASSWORD = "Harbour-Staff-2026-x"

# A pharmacist with stock on the shelf, a lab technician and a registered patient, made
# the way an administrator's tools would; the pages under test are the sale and the order.
SETUP = f"""
from datetime import date, timedelta
from decimal import Decimal
from apps.accounts.services import account_create
from apps.patients.services import PatientDetails, patient_register
from apps.pharmacy.services.catalogue import (
    MedicineDetails, SupplierDetails, medicine_create, supplier_create)
from apps.pharmacy.services.stock import ReceiptLine, stock_receive
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
hospital = Hospital.objects.get(subdomain="submit-once")
for name, role in (("Kamran Abbasov", "pharmacist"), ("Aynur Hüseynova", "lab_technician")):
    account = account_create(hospital=hospital, full_name=name, role=role,
                             password="{STAFF_PASSWORD}")
    print("USER", account.user.username)
with tenant_context(hospital):
    medicine = medicine_create(details=MedicineDetails(
        generic_name="Paracetamol", brand_name="Panadol", form="tablet", unit="tablet",
        strength="500 mg", sale_price=Decimal("0.50")))
    supplier = supplier_create(details=SupplierDetails(name="Azərpharm LLC"))
    stock_receive(hospital=hospital, supplier_id=supplier.pk, received_on=date.today(),
                  lines=[ReceiptLine(medicine.pk, "PCM-1", date.today() + timedelta(days=365),
                                     100, Decimal("0.20"))])
    patient_register(hospital=hospital, details=PatientDetails(
        first_name="Samir", last_name="Quliyev", sex="male", birth_date=date(1979, 11, 2),
        phone="+994 55 987 65 43"), confirm_duplicates=True)
"""

COUNT = """
from apps.laboratory.models import LabOrder
from apps.pharmacy.models import Sale
from apps.pharmacy.selectors import medicine_on_hand
from apps.pharmacy.models import Medicine
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
with tenant_context(Hospital.objects.get(subdomain="submit-once")):
    medicine = Medicine.objects.get()
    print("COUNTS", Sale.objects.count(), LabOrder.objects.count(),
          medicine_on_hand(medicine_id=medicine.pk))
"""


def counts(stack: Stack) -> tuple[int, int, int]:
    found = re.search(r"COUNTS (\d+) (\d+) (\d+)", stack.manage("shell", "-c", COUNT).stdout)
    assert found
    sales, orders, on_hand = found.groups()
    return int(sales), int(orders), int(on_hand)


def test_a_double_click_sells_once_and_orders_once(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    # (its own subdomain: test_patients has a Harbour Hospital at "harbour" on the same stack)
    site = hospital_create(
        stack,
        name="Harbour Hospital",
        subdomain="submit-once",
        code="HBR001",
        admin_password=ADMIN_PASSWORD,
    )
    pharmacist, technician = re.findall(r"USER (\S+)", stack.manage("shell", "-c", SETUP).stdout)
    year = date.today().year

    # The pharmacist double-clicks "Complete sale": one sale, ten tablets taken.
    sign_in(page, site, pharmacist, STAFF_PASSWORD)
    page.goto(site.url("/pharmacy/sales/new/"))
    page.get_by_label("Customer name").fill("Rauf Məmmədov")
    page.locator('[name="lines-0-medicine"]').select_option(
        label="Paracetamol 500 mg (Panadol) · 100 in stock"
    )
    page.locator('[name="lines-0-quantity"]').fill("10")
    page.get_by_role("button", name="Complete sale").dblclick()
    expect(page.get_by_role("heading", name=f"Sale HBR001-SAL-{year}-000001")).to_be_visible()
    page.screenshot(path=str(artifacts / "submit-once-sale.png"), full_page=True)
    assert counts(stack) == (1, 0, 90)
    sign_out(page)

    # The lab desk double-clicks "Place order": one order.
    sign_in(page, site, technician, STAFF_PASSWORD)
    page.goto(site.url("/laboratory/orders/new/"))
    page.get_by_label("Find the patient").fill("samir")
    page.get_by_label(re.compile("Samir Quliyev")).check()
    page.get_by_label(re.compile("Complete blood count")).check()
    page.get_by_role("button", name="Place order").dblclick()
    expect(
        page.get_by_role("heading", name=re.compile(f"HBR001-LAB-{year}-000001"))
    ).to_be_visible()
    page.screenshot(path=str(artifacts / "submit-once-order.png"), full_page=True)
    assert counts(stack)[:2] == (1, 1)
