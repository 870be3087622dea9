"""Choosing a database server when adding a hospital (admin form, create_hospital), and
a hospital whose database is not SQLite asking for schema drift or repair."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from apps.tenancy import storage as registry
from apps.tenancy.exceptions import ProvisioningError
from apps.tenancy.models import Hospital
from apps.tenancy.provisioning.operations import hospital_schema_drift
from apps.tenancy.provisioning.schema import SQLITE_ONLY, hospital_repair_schema
from apps.tenancy.selectors import hospital_database_status
from apps.tenancy.tests.test_storage import FakeStorage

ADD_URL = "/admin/tenancy/hospital/add/"


@pytest.fixture
def two_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    fakes = [FakeStorage("pg1"), FakeStorage("pg2")]
    monkeypatch.setattr(registry, "storages", lambda: fakes)


def test_with_one_storage_the_add_form_asks_for_no_server(
    platform_client: Client, settings: Any
) -> None:
    settings.HMS_TENANT_SERVERS = []
    response = platform_client.get(ADD_URL)
    assert "server" not in response.context["form"].fields
    assert 'name="server"' not in response.text


@pytest.mark.usefixtures("two_servers")
def test_with_several_servers_the_add_form_offers_them_and_records_the_choice(
    platform_client: Client,
) -> None:
    response = platform_client.get(ADD_URL)
    assert 'name="server"' in response.text
    assert 'value="pg2"' in response.text
    response = platform_client.post(
        ADD_URL, {"name": "Harbour View Hospital", "subdomain": "harbour", "server": "pg2"}
    )
    assert response.status_code == 302
    assert Hospital.objects.get(subdomain="harbour").server == "pg2"


@pytest.mark.usefixtures("two_servers")
def test_left_empty_the_least_loaded_server_is_taken(platform_client: Client) -> None:
    Hospital.objects.create(name="Busy", code="BUSY1", subdomain="busy", server="pg1")
    response = platform_client.post(ADD_URL, {"name": "Harbour", "subdomain": "harbour"})
    assert response.status_code == 302
    assert Hospital.objects.get(subdomain="harbour").server == "pg2"


@pytest.mark.usefixtures("two_servers")
def test_an_unknown_server_is_refused_next_to_the_field(platform_client: Client) -> None:
    response = platform_client.post(
        ADD_URL, {"name": "Harbour", "subdomain": "harbour", "server": "pg9"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["server"]
    assert not Hospital.objects.filter(subdomain="harbour").exists()


def test_create_hospital_refuses_an_unknown_server_with_an_error(db: None) -> None:
    with pytest.raises(CommandError, match="no database server 'pg9'"):
        call_command(
            "create_hospital",
            "--name",
            "Harbour",
            "--subdomain",
            "harbour",
            "--server",
            "pg9",
            stdout=StringIO(),
        )
    assert not Hospital.objects.filter(subdomain="harbour").exists()


@pytest.mark.usefixtures("two_servers")
def test_a_hospital_on_postgresql_is_told_schema_repair_is_for_sqlite_only(db: None) -> None:
    hospital = Hospital.objects.create(name="Far", code="FAR1", subdomain="far", server="pg1")
    assert hospital_schema_drift(hospital) == []
    with pytest.raises(ProvisioningError, match=SQLITE_ONLY):
        hospital_repair_schema(hospital)


def test_a_hospital_on_a_server_no_longer_configured_shows_an_error_not_a_crash(
    platform_client: Client,
) -> None:
    hospital = Hospital.objects.create(
        name="Gone", code="GONE1", subdomain="gone", server="pg4", status=Hospital.Status.READY
    )
    response = platform_client.get("/admin/tenancy/hospital/")
    assert response.status_code == 200
    assert "Database server not configured" in response.text
    status = hospital_database_status(hospital)
    assert status.state == "error"
    assert "'pg4'" in status.detail
