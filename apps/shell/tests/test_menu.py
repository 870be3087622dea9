"""The staff menu: the user's modules grouped by area of work, each group a dropdown
(a group of one shows its link directly), the current place marked."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.core import modules
from apps.core.modules import CLINICAL, FRONT_DESK, PEOPLE, MenuEntry, Module, RoleSpec
from apps.shell.selectors import MenuLink, menu_for
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user


def top_level(page: str) -> list[str]:
    """The menu's top-level items as shown: a group's name or a link's label."""
    menu = page[page.index('<ul class="menu">') : page.index("</nav>")]
    items = re.split(r'<li class="menu-item">', menu)[1:]
    shown = []
    for item in items:
        found = re.search(r"<summary[^>]*>(.*?)</summary>", item) or re.search(
            r"<a [^>]*>([^<]*)</a>", item
        )
        assert found, item
        shown.append(found[1])
    return shown


def group_links(page: str, group: str) -> list[str]:
    found = re.search(rf"<summary[^>]*>{group}</summary>\s*<ul>(.*?)</ul>", page, re.S)
    assert found, f"no group {group!r}"
    return re.findall(r">([^<]+)</a>", found[1])


def test_an_administrator_sees_every_area_of_work_in_order(client_a: Client) -> None:
    page = client_a.get("/").text
    assert top_level(page) == [
        "Front desk",
        "Clinical",
        "Diagnostics",
        "Pharmacy",  # a group of one module shows the module itself
        "Billing",
        "People",
        "Administration",
    ]
    assert group_links(page, "Front desk") == ["Patients", "Appointments"]
    assert group_links(page, "Clinical") == [
        "Emergency department",
        "Consultations",
        "Wards and admissions",
    ]
    assert group_links(page, "Diagnostics") == ["Laboratory", "Radiology"]
    assert group_links(page, "People") == ["Doctors", "Staff"]
    assert group_links(page, "Administration") == ["Reference data", "Audit log"]
    # every group is a <details> dropdown: it works without script and under the CSP
    assert page.count('<details class="menu-group" data-menu-group>') == 5
    assert "<script>" not in page and "style=" not in page


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("receptionist", ["Front desk", "Clinical", "Billing", "Doctors"]),
        ("doctor", ["Front desk", "Clinical", "Diagnostics", "Doctors"]),
        ("lab_technician", ["Laboratory"]),
        ("radiologist", ["Radiology"]),
        ("pharmacist", ["Pharmacy"]),
        ("accountant", ["Patients", "Billing"]),
    ],
)
def test_each_role_sees_only_its_groups(
    hospital_a: Hospital, role: str, expected: list[str]
) -> None:
    page = hospital_client(hospital_a, make_user(hospital_a, role)).get("/").text
    assert top_level(page) == expected
    assert "Administration" not in page and "Audit log" not in page


def test_a_module_the_hospital_does_not_subscribe_to_is_not_in_the_menu(
    hospital_a: Hospital, client_a: Client
) -> None:
    hospital_a.enabled_modules = [m for m in hospital_a.enabled_modules if m != "appointments"]
    hospital_a.save()
    page = client_a.get("/").text
    assert "Appointments" not in top_level(page)
    assert top_level(page)[0] == "Patients"  # the front desk has one module left


def test_the_current_module_and_its_group_are_marked(client_a: Client) -> None:
    page = client_a.get("/doctors/").text
    assert '<a href="/doctors/" aria-current="page">' in page
    assert '<summary aria-current="true">People</summary>' in page
    assert page.count('aria-current="page"') == 1 and page.count('aria-current="true"') == 1


def test_a_modules_further_entry_is_marked_on_its_own_page(client_a: Client) -> None:
    audit = client_a.get("/staff/audit/").text
    assert '<a href="/staff/audit/" aria-current="page">' in audit
    assert '<summary aria-current="true">Administration</summary>' in audit
    assert '<a href="/staff/" aria-current="page">' not in audit
    # the module's other pages belong to its own entry
    records = client_a.get("/staff/records/").text
    assert '<a href="/staff/" aria-current="page">' in records
    assert '<summary aria-current="true">People</summary>' in records


def test_the_dashboard_marks_no_module(client_a: Client) -> None:
    page = client_a.get("/").text
    assert 'aria-current="page"' not in page and 'aria-current="true"' not in page


def test_the_menu_is_translated(hospital_a: Hospital, admin_a: User) -> None:
    admin_a.language = "az"
    admin_a.save()
    page = hospital_client(hospital_a, admin_a).get("/").text
    assert top_level(page)[:3] == ["Qeydiyyat", "Klinik iş", "Diaqnostika"]
    assert group_links(page, "Qeydiyyat") == ["Pasiyentlər", "Qəbullar"]


def test_twenty_modules_fit_seven_groups(
    hospital_a: Hospital, admin_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shape the menu keeps with ten more modules: still one item per area of work."""
    groups = [FRONT_DESK, CLINICAL, PEOPLE]
    many = [
        Module(
            key=f"m{n}",
            label=f"Module {n:02d}",
            url_name=f"m{n}:index",
            group=groups[n % 3],
            order=n,
            roles=(RoleSpec("doctor", "Doctor"),),
        )
        for n in range(20)
    ]
    monkeypatch.setattr(modules, "all_modules", lambda: many)
    hospital_a.enabled_modules = [m.key for m in many]
    menu = menu_for(hospital=hospital_a, user=admin_a, view_name="m4:detail")
    assert [section.group for section in menu] == groups
    assert sum(len(section.links) for section in menu) == 20
    assert menu[1].current and MenuLink("Module 04", "m4:index", current=True) in menu[1].links
    doctor = make_user(hospital_a, Role.DOCTOR)
    assert len(menu_for(hospital=hospital_a, user=doctor)) == 3


def test_further_entries_follow_their_modules_roles(
    hospital_a: Hospital, monkeypatch: pytest.MonkeyPatch
) -> None:
    nurse_only = Module(
        key="wards",
        label="Wards",
        url_name="wards:index",
        group=CLINICAL,
        roles=(RoleSpec("nurse", "Nurse"),),
        more_entries=(MenuEntry("Ward rota", "wards:rota", PEOPLE),),
    )
    monkeypatch.setattr(modules, "all_modules", lambda: [nurse_only])
    hospital_a.enabled_modules = ["wards"]
    nurse = make_user(hospital_a, Role.NURSE)
    menu = menu_for(hospital=hospital_a, user=nurse, view_name="wards:rota")
    assert [(s.group, s.links) for s in menu] == [
        (CLINICAL, [MenuLink("Wards", "wards:index")]),
        (PEOPLE, [MenuLink("Ward rota", "wards:rota", current=True)]),
    ]
    assert menu_for(hospital=hospital_a, user=make_user(hospital_a, Role.PHARMACIST)) == []
