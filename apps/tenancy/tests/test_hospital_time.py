"""Each hospital's clock: its time zone, chosen when it is added and in Edit, active
wherever the hospital is (a request, a task, a command), and its nights for backups.

Two hospitals around midnight UTC: Baku (+4) is already in tomorrow when New York (-5)
is still in the afternoon of today."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from apps.core.exceptions import ValidationError
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.recovery import (
    hospital_backup,
    hospital_backups,
    hospitals_backup_scheduled,
)
from apps.tenancy.services import hospital_create
from apps.tenancy.tests.test_admin import ADD_URL, add_hospital
from apps.tenancy.tests.test_admin_ui import change_data, change_url
from conftest import HospitalFactory
from hms.env import env_time_zone

BAKU = zoneinfo.ZoneInfo("Asia/Baku")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
#: 22:30 UTC: 02:30 on the 8th in Baku, 17:30 on the 7th in New York
LATE_EVENING_UTC = datetime(2026, 12, 7, 22, 30, tzinfo=UTC)


@pytest.fixture
def baku(make_hospital: HospitalFactory) -> Hospital:
    return make_hospital(name="Baku Central", subdomain="baku", time_zone="Asia/Baku")


@pytest.fixture
def new_york(make_hospital: HospitalFactory) -> Hospital:
    return make_hospital(name="Hudson Clinic", subdomain="hudson", time_zone="America/New_York")


def at(moment: datetime) -> Any:
    """Django's clock stopped at ``moment``."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_a_new_hospital_gets_the_platforms_time_zone_unless_one_is_chosen(
    make_hospital: HospitalFactory, settings: Any
) -> None:
    settings.TIME_ZONE = "Asia/Baku"
    assert make_hospital().time_zone == "Asia/Baku"
    assert make_hospital(time_zone="Europe/Istanbul").zone == zoneinfo.ZoneInfo("Europe/Istanbul")


def test_an_unknown_time_zone_is_refused_before_anything_is_saved(db: None) -> None:
    with pytest.raises(ValidationError) as refused:
        hospital_create(name="Nowhere", subdomain="nowhere", time_zone="Mars/Olympus")
    assert refused.value.field == "time_zone"
    assert not Hospital.objects.filter(subdomain="nowhere").exists()


def test_a_bad_platform_time_zone_fails_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMS_TIME_ZONE", "Baku")
    with pytest.raises(ImproperlyConfigured, match="HMS_TIME_ZONE"):
        env_time_zone("HMS_TIME_ZONE", "UTC")
    monkeypatch.setenv("HMS_TIME_ZONE", "Asia/Baku")
    assert env_time_zone("HMS_TIME_ZONE", "UTC") == "Asia/Baku"


def test_the_hospitals_context_is_its_clock_and_gives_the_previous_one_back(
    baku: Hospital, new_york: Hospital
) -> None:
    platform_zone = timezone.get_current_timezone()
    with at(LATE_EVENING_UTC), tenant_context(baku):
        assert timezone.get_current_timezone() == BAKU
        assert timezone.localdate().isoformat() == "2026-12-08"
        with tenant_context(new_york):
            assert timezone.localdate().isoformat() == "2026-12-07"
            assert timezone.localtime().strftime("%H:%M") == "17:30"
        assert timezone.localtime().strftime("%H:%M") == "02:30"
    assert timezone.get_current_timezone() == platform_zone


def test_a_request_to_a_hospital_runs_on_its_clock(baku: Hospital, new_york: Hospital) -> None:
    from django.http import HttpRequest, HttpResponse

    from apps.tenancy.middleware import HospitalMiddleware

    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(f"{timezone.localtime():%Y-%m-%d %H:%M}")
        return HttpResponse()

    middleware = HospitalMiddleware(view)
    with at(LATE_EVENING_UTC):
        for hospital in (baku, new_york):
            request = HttpRequest()
            request.META = {"HTTP_HOST": hospital.host, "SERVER_NAME": hospital.host}
            middleware(request)
    assert seen == ["2026-12-08 02:30", "2026-12-07 17:30"]


# -- the platform admin -------------------------------------------------------------------


def test_the_add_form_asks_for_language_currency_and_time_zone(
    platform_client: Client, settings: Any
) -> None:
    settings.TIME_ZONE = "Asia/Baku"
    page = platform_client.get(ADD_URL)
    form = page.context["form"]
    assert {"language", "currency", "time_zone"} <= set(form.fields)
    assert '<option value="Asia/Baku" selected>' in page.text  # the platform's zone proposed
    hospital, _job, _response = add_hospital(
        platform_client, language="az", currency="azn", time_zone="Asia/Baku"
    )
    assert (hospital.language, hospital.currency, hospital.time_zone) == ("az", "AZN", "Asia/Baku")


def test_the_add_form_refuses_an_unknown_time_zone_next_to_the_field(
    platform_client: Client,
) -> None:
    response = platform_client.post(
        ADD_URL, {"name": "Harbour View", "subdomain": "harbour", "time_zone": "Asia/Bakuu"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    assert not Hospital.objects.filter(subdomain="harbour").exists()


def test_the_time_zone_is_changed_in_edit_and_kept_when_not_posted(
    platform_client: Client, new_york: Hospital
) -> None:
    page = platform_client.get(change_url(new_york)).text
    assert '<option value="America/New_York" selected>' in page
    response = platform_client.post(
        change_url(new_york), change_data(new_york, time_zone="Asia/Baku")
    )
    assert response.status_code == 302
    new_york.refresh_from_db()
    assert new_york.time_zone == "Asia/Baku"
    assert platform_client.post(change_url(new_york), change_data(new_york)).status_code == 302
    new_york.refresh_from_db()
    assert new_york.time_zone == "Asia/Baku"


# -- nightly backups ----------------------------------------------------------------------


def backed_up_hours_ago(hospital: Hospital, hours: float) -> Path:
    """A scheduled backup as if taken ``hours`` before LATE_EVENING_UTC."""
    path = hospital_backup(hospital, reason="scheduled")
    stamp = (LATE_EVENING_UTC - timedelta(hours=hours)).strftime("%Y%m%d-%H%M%S")
    prefix, _, rest = path.name.split(".", 2)
    older = path.with_name(f"{prefix}.{stamp}.{rest}")
    path.rename(older)
    return older


def test_the_nightly_backup_runs_at_the_backup_hour_of_each_hospitals_clock(
    baku: Hospital, new_york: Hospital, settings: Any
) -> None:
    settings.HMS_BACKUP_HOUR = 2  # 22:30 UTC is 02:30 in Baku, 17:30 in New York
    for hospital in (baku, new_york):
        backed_up_hours_ago(hospital, 24)
    with at(LATE_EVENING_UTC):
        taken = hospitals_backup_scheduled(now=LATE_EVENING_UTC).taken
    assert [path.name.split(".")[0] for path in taken] == [f"hospital_{baku.code.lower()}"]


def test_a_backups_time_is_read_in_utc_whatever_clock_is_active(baku: Hospital) -> None:
    backed_up_hours_ago(baku, 1)
    with tenant_context(baku):
        (backup,) = hospital_backups(baku)
    assert backup.taken_at == LATE_EVENING_UTC - timedelta(hours=1)


def test_create_hospital_takes_language_currency_and_time_zone(db: None) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command(
        "create_hospital",
        *("--name", "Baku Central", "--subdomain", "baku", "--language", "az"),
        *("--currency", "azn", "--time-zone", "Asia/Baku"),
        stdout=StringIO(),
    )
    hospital = Hospital.objects.get(subdomain="baku")
    assert (hospital.language, hospital.currency, hospital.time_zone) == ("az", "AZN", "Asia/Baku")
