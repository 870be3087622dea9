"""A pharmacist receives stock and sells it: a sale with one medicine short is refused
with the list of short medicines, then sold once the quantity is put right — in a real
browser against the real stack."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.pages import (
    HospitalSite,
    first_sign_in,
    hospital_create,
    new_login,
    open_from_menu,
    sign_in_as_admin,
    sign_out,
)
from hms.devstack import Stack

ADMIN_PASSWORD = "Dawn-Admin-2026"
PHARMACIST_PASSWORD = "Dawn-Pharmacy-77"


def add_medicine(
    page: Page, site: HospitalSite, *, name: str, brand: str, form: str, strength: str
) -> None:
    page.goto(site.url("/pharmacy/medicines/new/"))
    page.get_by_label("Generic name").fill(name)
    page.get_by_label("Brand").fill(brand)
    page.locator('[name="form"]').select_option(form)
    page.get_by_label("Strength").fill(strength)
    page.locator('[name="unit"]').fill(form)
    page.get_by_label("Sale price").fill("0.50")
    page.get_by_label("Reorder level").fill("10")
    page.get_by_role("button", name="Save medicine").click()
    expect(page.get_by_role("heading", name=re.compile(name))).to_be_visible()


def test_a_pharmacist_receives_stock_is_refused_a_short_sale_then_sells(
    stack: Stack, page: Page, artifacts: Path
) -> None:
    site = hospital_create(
        stack, name="Dawn Hospital", subdomain="dawn", code="DWN001", admin_password=ADMIN_PASSWORD
    )

    # The administrator makes the pharmacist's login.
    sign_in_as_admin(page, site)
    pharmacist = new_login(page, full_name="Kamran Abbasov", role="pharmacist")
    sign_out(page)

    first_sign_in(page, site, *pharmacist, PHARMACIST_PASSWORD)

    # Catalogue and supplier.
    open_from_menu(page, "Pharmacy")
    page.get_by_role("link", name="Suppliers").click()
    page.get_by_role("link", name="Add a supplier").click()
    page.get_by_label("Name").fill("Azərpharm LLC")
    page.get_by_role("button", name="Save supplier").click()
    expect(page.get_by_text("Added supplier Azərpharm LLC.")).to_be_visible()
    add_medicine(page, site, name="Paracetamol", brand="Panadol", form="tablet", strength="500 mg")
    add_medicine(page, site, name="Amoxicillin", brand="Amoxil", form="capsule", strength="250 mg")

    # One delivery, two batches; "Add a line" grows the form in place.
    page.goto(site.url("/pharmacy/receipts/new/"))
    page.locator('[name="supplier"]').select_option(label="Azərpharm LLC")
    expiry = (date.today() + timedelta(days=365)).isoformat()
    for index, (medicine, batch, quantity) in enumerate(
        [
            ("Paracetamol 500 mg (Panadol)", "PCM-24A", "100"),
            ("Amoxicillin 250 mg (Amoxil)", "AMX-7", "5"),
        ]
    ):
        page.locator(f'[name="lines-{index}-medicine"]').select_option(label=medicine)
        page.locator(f'[name="lines-{index}-batch_number"]').fill(batch)
        page.locator(f'[name="lines-{index}-expiry_date"]').fill(expiry)
        page.locator(f'[name="lines-{index}-quantity"]').fill(quantity)
        page.locator(f'[name="lines-{index}-unit_cost"]').fill("0.20")
    page.get_by_role("button", name="Add a line").click()
    expect(page.locator('[name="lines-3-medicine"]')).to_be_visible()
    expect(page.locator("#id_lines-TOTAL_FORMS")).to_have_value("4")
    page.get_by_role("button", name="Receive stock").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"Stock receipt DWN001-GRN-"))
    ).to_be_visible()

    # A sale asking for more amoxicillin than there is: refused, with the list.
    page.goto(site.url("/pharmacy/sales/new/"))
    page.get_by_label("Customer name").fill("Rauf Məmmədov")
    page.locator('[name="lines-0-medicine"]').select_option(
        label="Paracetamol 500 mg (Panadol) · 100 in stock"
    )
    page.locator('[name="lines-0-quantity"]').fill("10")
    page.locator('[name="lines-1-medicine"]').select_option(
        label="Amoxicillin 250 mg (Amoxil) · 5 in stock"
    )
    page.locator('[name="lines-1-quantity"]').fill("8")
    page.get_by_role("button", name="Complete sale").click()
    shortage = page.locator("#shortage")
    expect(shortage).to_contain_text("Not enough stock for 1 medicine; nothing was sold.")
    expect(shortage).to_contain_text("Amoxicillin 250 mg (Amoxil): 8 asked, 5 in sellable stock")
    expect(page.locator("#id_lines-1-quantity_error")).to_have_text("Not enough sellable stock.")
    page.screenshot(path=str(artifacts / "pharmacy-short-sale.png"), full_page=True)

    # Put the quantity right and sell.
    page.locator('[name="lines-1-quantity"]').fill("5")
    page.get_by_role("button", name="Complete sale").click()
    year = date.today().year
    expect(page.get_by_role("heading", name=f"Sale DWN001-SAL-{year}-000001")).to_be_visible()
    expect(page.get_by_test_id("net-amount")).to_have_text("7.50")
    expect(page.get_by_role("cell", name=re.compile("AMX-7"))).to_be_visible()
    page.screenshot(path=str(artifacts / "pharmacy-sale-receipt.png"), full_page=True)

    # The stock that is left shows on the medicine's page, ledger and all.
    page.goto(site.url("/pharmacy/"))
    page.get_by_role("link", name="Amoxicillin 250 mg (Amoxil)").click()
    expect(page.get_by_test_id("on-hand")).to_have_text("0")
    expect(page.locator("#ledger")).to_contain_text(f"DWN001-SAL-{year}-000001")
