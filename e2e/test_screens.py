"""Every staff page on a phone (390 px) and a desktop (1280 px): no page-wide sideways
scrolling and the navigation within reach; the registration slip on paper; one flow in
Azerbaijani. Screenshots go to test-artifacts/screens/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.menu import menu_link
from e2e.pages import HospitalSite, hospital_create, sign_in_as_admin, through_second_factor
from hms.devstack import Stack

ADMIN_PASSWORD = "Screens-Admin-2026"
SUBDOMAIN = "screens"
WIDTHS = {"phone": 390, "desktop": 1280}

#: makes one record of each kind in the hospital's database and prints their ids
SEED = """
import json
from datetime import date, time
from decimal import Decimal
from apps.accounts.services import account_create
from apps.doctors.services import DoctorDetails, WorkingHours, doctor_create
from apps.patients.services import PatientDetails, patient_register
from apps.regions.models import Region, Specialization
from apps.staff.services import StaffDetails, staff_member_create
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

hospital = Hospital.objects.get(subdomain="screens")
with tenant_context(hospital):
    region = Region.objects.get(code="BAK")
    city = region.cities.order_by("name").first()
    clinic = city.clinics.order_by("name").first()
    doctor = doctor_create(
        hospital=hospital,
        details=DoctorDetails(
            full_name="Nigar Əliyeva-Məmmədbəyli",
            specialization=Specialization.objects.get(code="ANES"),
            region=region, city=city, clinic=clinic, consulting_fee=Decimal("1250.00"),
            phone="+994 50 123 45 67", email="nigar.aliyeva.mammadbayli@example.com",
        ),
        schedule=[WorkingHours(weekday=0, starts_at=time(9), ends_at=time(17), slot_minutes=20)],
    ).doctor
    patient = patient_register(
        hospital=hospital,
        details=PatientDetails(
            first_name="Zəhra", last_name="Hüseynova-Abdullayeva", sex="female",
            birth_date=date(1990, 5, 4), phone="055 987 65 43",
            email="zahra.huseynova.abdullayeva@example.com",
            address="Həsən bəy Zərdabi prospekti 78, mənzil 112, Bakı AZ1012",
            allergies="Penicillin, latex", blood_group="A+",
        ),
    ).patient
    record = staff_member_create(
        details=StaffDetails(
            first_name="Səbinə", last_name="Qasımova", job_title="Baş tibb bacısı",
            department="Kardiologiya", phone="070 111 22 33",
        )
    )
nurse = account_create(hospital=hospital, full_name="Aygün Məmmədova", role="nurse").user
hospital.address = "Nizami küçəsi 1, Bakı AZ1000"
hospital.save(update_fields=["address"])
print(json.dumps({
    "doctor": doctor.pk, "patient": str(patient.pk), "record": str(record.pk),
    "login": str(nurse.pk),
}))
"""


@pytest.fixture(scope="module")
def site(stack: Stack) -> HospitalSite:
    return hospital_create(
        stack,
        name="Screens Memorial Hospital",
        subdomain=SUBDOMAIN,
        code="SMH001",
        admin_password=ADMIN_PASSWORD,
    )


@pytest.fixture(scope="module")
def hospital(site: HospitalSite) -> dict[str, str]:
    """The ids of the records SEED made, the administrator's username and the base URL."""
    return {"admin": site.admin_username, "base": site.base, **site.setup(SEED)}


def staff_pages(ids: dict[str, str]) -> list[str]:
    doctor, patient, record, login = ids["doctor"], ids["patient"], ids["record"], ids["login"]
    return [
        "/",
        "/patients/",
        "/patients/register/",
        f"/patients/{patient}/",
        f"/patients/{patient}/edit/",
        "/doctors/",
        "/doctors/add/",
        f"/doctors/{doctor}/",
        f"/doctors/{doctor}/edit/",
        "/staff/",
        "/staff/accounts/new/",
        f"/staff/accounts/{login}/",
        "/staff/records/",
        "/staff/records/new/",
        f"/staff/records/{record}/",
        f"/staff/records/{record}/edit/",
        "/reference/",
        "/reference/regions/",
        "/reference/cities/",
        "/reference/clinics/",
        "/reference/specializations/",
        "/password/",
        "/staff/audit/",
        # the clinical modules' lists and forms
        "/appointments/",
        "/appointments/book/",
        "/appointments/unavailability/",
        "/appointments/unavailability/add/",
        "/appointments/settings/",
        "/consultations/",
        "/billing/",
        "/billing/services/",
        "/billing/collections/",
        "/pharmacy/",
        "/pharmacy/medicines/new/",
        "/pharmacy/suppliers/",
        "/pharmacy/receipts/new/",
        "/pharmacy/stock/low/",
        "/pharmacy/sales/new/",
        "/pharmacy/dispense/",
        "/laboratory/",
        "/laboratory/orders/new/",
        "/laboratory/catalogue/",
        "/admissions/",
        "/admissions/beds/",
        "/admissions/admit/",
        "/admissions/setup/",
    ]


def overflow(page: Page) -> tuple[int, int]:
    widths: list[int] = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return widths[0], widths[1]


#: the prompts ("Choose a region first, or a city") of visible selects that do not fit
CUT_SELECTS = """
[...document.querySelectorAll("select")]
  .filter((s) => s.offsetParent !== null && s.value === "")
  .map((s) => {
  const style = getComputedStyle(s);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : "";
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return context.measureText(text).width <= room ? null : `${s.name}: ${text}`;
}).filter(Boolean)
"""


def slug(path: str) -> str:
    """``/patients/<uuid>/edit/`` → ``patients-id-edit`` (stable file names)."""
    path = re.sub(r"/[0-9a-f-]{36}/|/[0-9]+/", "/id/", path)
    return re.sub(r"[^a-z0-9]+", "-", path.strip("/").lower()) or "dashboard"


@pytest.mark.parametrize("device", WIDTHS)
def test_every_staff_page_fits_the_screen_and_its_navigation_is_reachable(
    browser: Browser, site: HospitalSite, hospital: dict[str, str], artifacts: Path, device: str
) -> None:
    width = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    screens = artifacts / "screens"
    screens.mkdir(exist_ok=True)
    base = hospital["base"]
    sign_in_as_admin(page, site)
    wide_pages = []
    for path in staff_pages(hospital):
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        page.screenshot(path=str(screens / f"{device}-{slug(path)}.png"), full_page=True)
        scroll_width, inner_width = overflow(page)
        if scroll_width > inner_width:
            wide_pages.append(f"{path}: {scroll_width} > {inner_width}")
        cut = page.evaluate(CUT_SELECTS)
        if cut:
            wide_pages.append(f"{path}: select prompt cut off: {cut}")
        navigation = page.locator("nav.nav")
        if device == "phone":
            expect(navigation).to_be_hidden()
            page.get_by_test_id("menu-button").click()
            if path == "/":
                page.screenshot(path=str(screens / "phone-menu-open.png"))
        # on a desktop the link sits in its group's dropdown (opened by menu_link)
        expect(menu_link(page, "Patients")).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        expect(page.get_by_role("link", name="Change password")).to_be_visible()
    assert not wide_pages, "pages wider than the screen or cut:\n" + "\n".join(wide_pages)
    context.close()


def test_the_registration_slip_prints_with_the_hospital_header_and_without_the_screen_chrome(
    browser: Browser, site: HospitalSite, hospital: dict[str, str], artifacts: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in_as_admin(page, site)
    page.goto(f"{hospital['base']}/patients/{hospital['patient']}/")
    expect(page.get_by_role("button", name="Print registration slip")).to_be_visible()
    expect(page.locator(".print-header")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".print-header")).to_be_visible()
    expect(page.locator(".print-header")).to_contain_text("Screens Memorial Hospital")
    expect(page.locator(".print-header")).to_contain_text("Nizami küçəsi 1, Bakı AZ1000")
    for hidden in (".topbar", "#history", ".print-button"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.get_by_text("Hüseynova-Abdullayeva").first).to_be_visible()
    page.screenshot(path=str(artifacts / "registration-slip-print.png"), full_page=True)
    # Chromium's own print of the page, on the A5 sheet the slip asks for
    page.pdf(path=str(artifacts / "registration-slip.pdf"), prefer_css_page_size=True)
    context.close()


def test_a_receptionist_registers_a_patient_in_azerbaijani(
    browser: Browser, hospital: dict[str, str], artifacts: Path, stack: Stack
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    base = hospital["base"]
    page.goto(base + "/login/")
    page.get_by_test_id("menu-button").click()  # on a phone the switcher is in the menu
    page.get_by_role("button", name="AZ Azərbaycanca").click()
    expect(page.get_by_text("Xəstəxananın iş sahəsinə daxil olun.")).to_be_visible()
    page.get_by_label("İstifadəçi adı").fill(hospital["admin"])
    page.get_by_label("Parol").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Daxil ol").click()
    through_second_factor(page, hospital["admin"], page.get_by_role("heading", name="İdarə paneli"))

    page.get_by_test_id("menu-button").click()
    page.locator("nav.nav").get_by_role("link", name="Pasiyentlər").click()
    page.get_by_role("link", name="Pasiyenti qeydiyyata al").click()
    page.get_by_label(re.compile(r"^Ad\b")).fill("Elvin")
    page.get_by_label("Soyad").fill("Quliyev")
    page.get_by_label("Cins").select_option("male")
    page.get_by_label("Doğum tarixi").fill("1988-11-02")
    page.get_by_label(re.compile(r"^Telefon")).fill("050 765 43 21")
    page.get_by_role("button", name="Pasiyenti qeydiyyata al").click()
    expect(page.get_by_role("heading", name=re.compile("Elvin Quliyev"))).to_be_visible()
    expect(page.get_by_text("Elvin Quliyev (SMH001-PAT-000002) qeydiyyata alındı.")).to_be_visible()
    expect(page.get_by_text("+994 50 765 43 21")).to_be_visible()
    expect(page.get_by_role("button", name="Qeydiyyat vərəqəsini çap et")).to_be_visible()
    page.screenshot(path=str(artifacts / "az-patient-registered-390.png"), full_page=True)
    scroll_width, inner_width = overflow(page)
    assert scroll_width <= inner_width
    context.close()
