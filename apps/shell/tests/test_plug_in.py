"""Adding a module is adding an app to INSTALLED_APPS: a radiology module the project does
not have (``apps/shell/tests/radiology``) is installed here with override_settings and
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

RADIOLOGY = "apps.shell.tests.radiology"


def reload_hospital_urls() -> None:
    """The hospital's URLconf is built from the registry when it is imported (once per
    process); a test that installs a module builds it again, as a restart would."""
    clear_url_caches()
    module = sys.modules.get(settings.HMS_HOSPITAL_URLCONF)
    if module is not None:
        importlib.reload(module)


@pytest.fixture
def radiology(hospital_a: Hospital) -> Iterator[Hospital]:
    """Radiology installed, and hospital A subscribed to it."""
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, RADIOLOGY]):
        reload_hospital_urls()
        hospital_a.enabled_modules = [*hospital_a.enabled_modules, "radiology"]
        hospital_a.save()
        try:
            yield hospital_a
        finally:
            hospital_a.enabled_modules.remove("radiology")
            hospital_a.save()
    reload_hospital_urls()


def test_a_new_module_is_in_the_registry_and_passes_the_start_up_checks(
    radiology: Hospital,
) -> None:
    assert "radiology" in [module.key for module in modules.all_modules()]
    assert modules.check_modules() == []


def test_a_new_modules_role_is_among_the_role_choices(radiology: Hospital) -> None:
    choices = dict(User._meta.get_field("role").choices)  # type: ignore[arg-type]
    assert choices["radiographer"] == "Radiographer"
    assert Role.RADIOGRAPHER == "radiographer" and Role.RADIOGRAPHER.label == "Radiographer"
    assert "radiographer" in Role.values


def test_a_new_modules_periodic_task_is_on_the_beat_schedule(radiology: Hospital) -> None:
    entry = beat_schedule()["radiology-remind-unreported"]
    assert entry == {
        "task": "radiology.remind_unreported",
        "schedule": 3600.0,
        "options": {"expires": 3600.0},
    }
    assert "mark-appointment-no-shows" in beat_schedule()  # the others stay


def test_a_new_modules_urls_are_mounted_and_it_is_in_the_menu(radiology: Hospital) -> None:
    radiographer = make_user(radiology, "radiographer")
    client = hospital_client(radiology, radiographer)
    page = client.get("/radiology/")
    assert page.status_code == 200 and page.text == "Radiology worklist"
    assert reverse("radiology:worklist", urlconf=settings.HMS_HOSPITAL_URLCONF) == "/radiology/"
    home = client.get("/").text
    assert '<a href="/radiology/">Radiology</a>' in home  # a group of one: the link itself
    assert "Patients" not in home  # a radiographer sees radiology only
    # beside the laboratory for an administrator, in the diagnostics group
    admin = User.objects.get(hospital=radiology, role=Role.HOSPITAL_ADMIN)
    admin_home = hospital_client(radiology, admin).get("/").text
    assert "<summary>Diagnostics</summary>" in admin_home
    assert admin_home.index(">Laboratory</a>") < admin_home.index(">Radiology</a>")


def test_a_new_module_keeps_the_access_rules(radiology: Hospital) -> None:
    pharmacist = make_user(radiology, Role.PHARMACIST)
    assert hospital_client(radiology, pharmacist).get("/radiology/").status_code == 403
    radiology.enabled_modules.remove("radiology")
    radiology.save()
    radiology.enabled_modules.append("radiology")  # for the fixture to take out again
    doctor = make_user(radiology, Role.DOCTOR)
    assert hospital_client(radiology, doctor).get("/radiology/").status_code == 404


def test_without_the_app_the_module_and_its_role_are_gone(hospital_a: Hospital) -> None:
    assert "radiology" not in [module.key for module in modules.all_modules()]
    with pytest.raises(AttributeError, match="radiographer"):
        Role.RADIOGRAPHER  # noqa: B018
    assert "radiology-remind-unreported" not in beat_schedule()
    client = hospital_client(
        hospital_a, User.objects.get(hospital=hospital_a, role="hospital_admin")
    )
    assert client.get("/radiology/").status_code == 404


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
