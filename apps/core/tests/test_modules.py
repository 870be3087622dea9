"""The plug-in contract (apps/core/modules.py): what a module may declare, and what the
registry reads from the installed apps."""

from __future__ import annotations

import copy
import pickle
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from apps.accounts.models import Role
from apps.core import modules
from apps.core.modules import (
    ADMINISTRATION,
    CLINICAL,
    FRONT_DESK,
    MENU_GROUPS,
    InstalledModule,
    MenuEntry,
    Module,
    PeriodicTask,
    RoleSpec,
)
from apps.core.user_links import linked_record_models


def fake(module: Module, name: str = "apps.fake") -> InstalledModule:
    app = SimpleNamespace(name=name, label=name.rpartition(".")[2], path="/nowhere")
    return InstalledModule(app, module)  # type: ignore[arg-type]


# -- roles ----------------------------------------------------------------------------------


def test_a_role_is_its_value_with_a_label() -> None:
    nurse = RoleSpec("nurse", _("Nurse"))
    assert nurse == "nurse" and nurse.value == "nurse" and type(nurse.value) is str
    assert "nurse" in (nurse,) and nurse in frozenset({"nurse"})
    with override("az"):
        assert str(nurse.label) == "Tibb bacısı"
    with pytest.raises(AttributeError):
        nurse.label = "Sister"


def test_a_role_survives_copies_and_pickles_with_its_label() -> None:
    nurse = RoleSpec("nurse", _("Nurse"))
    for copied in (copy.deepcopy(nurse), pickle.loads(pickle.dumps(nurse))):
        assert copied == "nurse" and str(copied.label) == "Nurse"


def test_a_role_value_is_a_plain_name() -> None:
    with pytest.raises(ImproperlyConfigured):
        RoleSpec("Head Nurse", "Head nurse")


def test_the_roles_are_accounts_own_around_the_modules_each_once() -> None:
    assert Role.values == [
        "platform_admin",
        "hospital_admin",
        "receptionist",
        "doctor",
        "nurse",
        "accountant",
        "lab_technician",
        "radiologist",
        "pharmacist",
        "patient",
    ]
    assert Role.DOCTOR == "doctor" and str(Role.DOCTOR.label) == "Doctor"
    assert [role.value for role in Role] == Role.values and len(Role) == 10
    assert ("lab_technician", "Lab technician") in [(v, str(label)) for v, label in Role.choices]


def test_a_role_no_installed_module_declares_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="radiographer"):
        Role.RADIOGRAPHER  # noqa: B018
    with pytest.raises(AttributeError):
        Role.doctor  # noqa: B018 (values in capitals only)


# -- a module's declaration -------------------------------------------------------------------


def test_a_modules_urls_live_in_its_own_namespace() -> None:
    with pytest.raises(ImproperlyConfigured, match="must start with 'wards:'"):
        Module(key="wards", label="Wards", url_name="admissions:index", group=CLINICAL)
    with pytest.raises(ImproperlyConfigured, match="must start with 'wards:'"):
        Module(
            key="wards",
            label="Wards",
            url_name="wards:index",
            group=CLINICAL,
            more_entries=(MenuEntry("Rota", "staff:rota", ADMINISTRATION),),
        )


def test_a_modules_own_entry_comes_first() -> None:
    module = Module(
        key="staff",
        label="Staff",
        url_name="staff:accounts",
        group=FRONT_DESK,
        order=5,
        more_entries=(MenuEntry("Audit log", "staff:audit", ADMINISTRATION, order=20),),
    )
    assert module.entries == (
        MenuEntry("Staff", "staff:accounts", FRONT_DESK, 5),
        MenuEntry("Audit log", "staff:audit", ADMINISTRATION, 20),
    )
    assert fake(module, "apps.staff").urlconf == "apps.staff.urls"


def test_the_menu_groups_are_in_their_order() -> None:
    assert [group.order for group in MENU_GROUPS] == sorted(group.order for group in MENU_GROUPS)
    assert [str(group.label) for group in MENU_GROUPS] == [
        "Front desk",
        "Clinical",
        "Diagnostics",
        "Pharmacy and stores",
        "Finance",
        "People",
        "Administration",
    ]


# -- the registry -----------------------------------------------------------------------------


def test_the_installed_modules_are_read_from_the_app_registry() -> None:
    keys = [module.key for module in modules.all_modules()]
    assert keys == [
        "patients",
        "appointments",
        "emergency",
        "consultations",
        "admissions",
        "laboratory",
        "radiology",
        "pharmacy",
        "billing",
        "doctors",
        "staff",
        "reference",
    ]
    assert modules.module_for_namespace("reference").label == "Reference data"  # type: ignore[union-attr]
    assert modules.module_for_namespace("audit") is None


def test_what_the_modules_offer_is_found_by_declaration() -> None:
    assert sorted(modules.history_providers()) == [
        "admissions",
        "appointments",
        "billing",
        "consultations",
        "emergency",
        "laboratory",
        "pharmacy",
        "radiology",
    ]
    assert list(modules.visit_section_providers()) == ["laboratory", "radiology", "admissions"]
    assert [task.name for task in modules.periodic_tasks()] == [
        "mark-appointment-no-shows",
        "expire-emergency-waiting",
    ]
    assert len(modules.benchmark_providers()) == 6
    seeders = {seeder.label: seeder for seeder in modules.seeders()}
    # in seed order: the allergen list before pharmacy maps the catalogue's medicines to it
    assert list(seeders) == ["regions", "patients", "laboratory", "radiology", "pharmacy"]
    # the files they read (data/) key the template database; pharmacy's reads none
    assert all(seeders[label].files for label in ("regions", "patients", "laboratory", "radiology"))
    assert seeders["pharmacy"].files == []
    assert [answer.withdraw for answer in modules.invoicing()] == [
        "apps.billing.services.billable_withdraw"
    ]


def test_the_start_up_check_finds_clashing_declarations(monkeypatch: pytest.MonkeyPatch) -> None:
    task = PeriodicTask(name="nightly", task="a.nightly", schedule=60.0)
    first = Module(
        key="wards",
        label="Wards",
        url_name="wards:index",
        group=CLINICAL,
        roles=(RoleSpec("nurse", _("Nurse")),),
        periodic_tasks=(task,),
    )
    second = Module(
        key="wards",
        label="Wards",
        url_name="wards:index",
        group=CLINICAL,
        roles=(RoleSpec("nurse", "Ward sister"),),
        periodic_tasks=(task,),
    )
    monkeypatch.setattr(
        modules, "installed_modules", lambda: [fake(first, "apps.a"), fake(second, "apps.b")]
    )
    assert [error.id for error in modules.check_modules()] == [
        "modules.E001",
        "modules.E002",
        "modules.E003",
    ]
    assert "'Nurse' in apps.a but 'Ward sister' in apps.b" in modules.check_modules()[1].msg


def test_the_records_a_login_may_be_linked_to_are_declared() -> None:
    """Not found by looking for subclasses: the modules name them."""
    assert [model._meta.label for model in linked_record_models()] == [
        "staff.StaffMember",
        "patients.Patient",
        "doctors.Doctor",
    ]


def test_the_start_up_check_refuses_a_record_no_login_can_be_linked_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = Module(
        key="wards",
        label="Wards",
        url_name="wards:index",
        group=CLINICAL,
        linked_records=("regions.Region", "wards.Nowhere"),
    )
    monkeypatch.setattr(modules, "installed_modules", lambda: [fake(module)])
    assert [error.id for error in modules.check_modules()] == ["modules.E004", "modules.E004"]


def test_the_installed_modules_pass_the_start_up_check() -> None:
    assert modules.check_modules() == []
