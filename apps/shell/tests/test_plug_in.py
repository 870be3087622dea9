"""Adding a module is adding an app to INSTALLED_APPS: a nuclear medicine module the project
does not have (``apps/shell/tests/nuclear_medicine``) is installed here with override_settings and
shows up in the menu, the role choices, the beat schedule and the hospital's URLs —
nothing else edited. And a module the hospital does not subscribe to answers 404."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from apps.accounts.models import Role, User
from apps.core import modules
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user
from worker.beat import beat_schedule

NUCLEAR_MEDICINE = "apps.shell.tests.nuclear_medicine"


def reload_hospital_urls() -> None:
    """The hospital's URLconf is built from the registry when it is imported (once per
    process); a test that installs a module builds it again, as a restart would."""
    clear_url_caches()
    module = sys.modules.get(settings.HMS_HOSPITAL_URLCONF)
    if module is not None:
        importlib.reload(module)


@pytest.fixture
def nuclear_medicine(hospital_a: Hospital) -> Iterator[Hospital]:
    """Nuclear medicine installed, and hospital A subscribed to it."""
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, NUCLEAR_MEDICINE]):
        reload_hospital_urls()
        hospital_a.enabled_modules = [*hospital_a.enabled_modules, "nuclear_medicine"]
        hospital_a.save()
        try:
            yield hospital_a
        finally:
            hospital_a.enabled_modules.remove("nuclear_medicine")
            hospital_a.save()
    reload_hospital_urls()


def test_a_new_module_is_in_the_registry_and_passes_the_start_up_checks(
    nuclear_medicine: Hospital,
) -> None:
    assert "nuclear_medicine" in [module.key for module in modules.all_modules()]
    assert modules.check_modules() == []


def test_a_new_modules_role_is_among_the_role_choices(nuclear_medicine: Hospital) -> None:
    choices = dict(User._meta.get_field("role").choices)  # type: ignore[arg-type]
    assert choices["radiographer"] == "Radiographer"
    assert Role.RADIOGRAPHER == "radiographer" and Role.RADIOGRAPHER.label == "Radiographer"
    assert "radiographer" in Role.values


def test_a_new_modules_periodic_task_is_on_the_beat_schedule(nuclear_medicine: Hospital) -> None:
    entry = beat_schedule()["nuclear-medicine-remind-unreported"]
    assert entry == {
        "task": "nuclear_medicine.remind_unreported",
        "schedule": 3600.0,
        "options": {"expires": 3600.0},
    }
    assert "mark-appointment-no-shows" in beat_schedule()  # the others stay


def test_a_new_modules_urls_are_mounted_and_it_is_in_the_menu(nuclear_medicine: Hospital) -> None:
    radiographer = make_user(nuclear_medicine, "radiographer")
    client = hospital_client(nuclear_medicine, radiographer)
    page = client.get("/nuclear_medicine/")
    assert page.status_code == 200 and page.text == "Nuclear medicine worklist"
    assert (
        reverse("nuclear_medicine:worklist", urlconf=settings.HMS_HOSPITAL_URLCONF)
        == "/nuclear_medicine/"
    )
    home = client.get("/").text
    assert (
        '<a href="/nuclear_medicine/">Nuclear medicine</a>' in home
    )  # a group of one: the link itself
    assert "Patients" not in home  # a radiographer sees nuclear medicine only
    # beside the laboratory for an administrator, in the diagnostics group
    admin = User.objects.get(hospital=nuclear_medicine, role=Role.HOSPITAL_ADMIN)
    admin_home = hospital_client(nuclear_medicine, admin).get("/").text
    assert "<summary>Diagnostics</summary>" in admin_home
    assert admin_home.index(">Laboratory</a>") < admin_home.index(">Nuclear medicine</a>")


def test_a_new_module_keeps_the_access_rules(nuclear_medicine: Hospital) -> None:
    pharmacist = make_user(nuclear_medicine, Role.PHARMACIST)
    assert (
        hospital_client(nuclear_medicine, pharmacist).get("/nuclear_medicine/").status_code == 403
    )
    nuclear_medicine.enabled_modules.remove("nuclear_medicine")
    nuclear_medicine.save()
    nuclear_medicine.enabled_modules.append("nuclear_medicine")  # for the fixture to take out again
    doctor = make_user(nuclear_medicine, Role.DOCTOR)
    assert hospital_client(nuclear_medicine, doctor).get("/nuclear_medicine/").status_code == 404


def test_without_the_app_the_module_and_its_role_are_gone(hospital_a: Hospital) -> None:
    assert "nuclear_medicine" not in [module.key for module in modules.all_modules()]
    with pytest.raises(AttributeError, match="radiographer"):
        Role.RADIOGRAPHER  # noqa: B018
    assert "nuclear-medicine-remind-unreported" not in beat_schedule()
    client = hospital_client(
        hospital_a, User.objects.get(hospital=hospital_a, role="hospital_admin")
    )
    assert client.get("/nuclear_medicine/").status_code == 404


def test_every_module_answers_404_to_a_hospital_that_does_not_subscribe_to_it(
    hospital_a: Hospital,
) -> None:
    admin = User.objects.get(hospital=hospital_a, role=Role.HOSPITAL_ADMIN)
    client = hospital_client(hospital_a, admin)
    subscribed = list(hospital_a.enabled_modules)
    for module in modules.all_modules():
        url = reverse(module.url_name, urlconf=settings.HMS_HOSPITAL_URLCONF)
        assert client.get(url).status_code in (200, 302), url  # the laboratory redirects
        hospital_a.enabled_modules = [key for key in subscribed if key != module.key]
        hospital_a.save()
        assert client.get(url).status_code == 404, url
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404, url
        hospital_a.enabled_modules = subscribed
        hospital_a.save()
