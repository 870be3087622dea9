"""Flat per-request cost: the host cache and a bounded set of hospital connections."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from apps.tenancy.connections import hospital_alias, registered_hospital_aliases
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import HospitalFactory


def test_a_known_host_is_served_from_the_cache_without_asking_the_platform(
    hospital_a: Hospital, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.tenancy import hosts as host_cache

    monkeypatch.setattr(host_cache, "_quiet_until", 0.0)
    client = Client(HTTP_HOST=hospital_a.host)
    client.get("/login/")
    loads: list[str] = []
    monkeypatch.setattr(host_cache, "_hospital_at", lambda sub: loads.append(sub))
    assert client.get("/login/").status_code == 200
    assert loads == []


def test_a_renamed_hospital_shows_its_new_name_at_once(hospital_a: Hospital) -> None:
    client = Client(HTTP_HOST=hospital_a.host)
    assert "City General Hospital" in client.get("/login/").text
    hospital_a.name = "Riverside Clinic"
    hospital_a.save()
    assert "Riverside Clinic" in client.get("/login/").text


def test_a_hospital_updated_by_a_queryset_takes_effect_at_once(hospital_a: Hospital) -> None:
    client = Client(HTTP_HOST=hospital_a.host)
    assert client.get("/login/").status_code == 200
    Hospital.objects.filter(pk=hospital_a.pk).update(status=Hospital.Status.FAILED)
    assert client.get("/login/").status_code == 503


def test_a_deleted_hospital_is_gone_at_once(hospital_a: Hospital) -> None:
    client = Client(HTTP_HOST=hospital_a.host)
    assert client.get("/login/").status_code == 200
    Hospital.objects.filter(pk=hospital_a.pk).delete()
    assert client.get("/login/").status_code == 404


def test_a_cached_hospital_is_a_copy_no_request_can_change_for_another(
    hospital_a: Hospital, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.tenancy import hosts as host_cache
    from apps.tenancy.hosts import hospital_by_host

    monkeypatch.setattr(host_cache, "_quiet_until", 0.0)
    _, first = hospital_by_host(hospital_a.host, "localhost")
    assert first is not None
    first.name = "Changed in memory"
    _, second = hospital_by_host(hospital_a.host, "localhost")
    assert second is not None and second.name == "City General Hospital"


def test_the_registered_hospital_aliases_stay_under_the_cap(
    make_hospital: HospitalFactory, settings: Any
) -> None:
    settings.HMS_TENANT_ALIAS_CAP = 2
    hospitals = [make_hospital(f"Hospital {n}", f"hospital-{n}") for n in range(4)]
    for hospital in hospitals:
        with tenant_context(hospital):
            assert Hospital.objects.count() >= 0  # a platform query; then a tenant one:
            connections[hospital_alias(hospital)].ensure_connection()
    aliases = registered_hospital_aliases()
    assert len(aliases) == 2
    tenant_settings = [a for a in connections.settings if a.startswith("hospital_")]
    assert sorted(tenant_settings) == sorted(aliases)


def test_a_hospital_in_use_is_never_evicted(make_hospital: HospitalFactory, settings: Any) -> None:
    settings.HMS_TENANT_ALIAS_CAP = 1
    first, *others = [make_hospital(f"Hospital {n}", f"hospital-{n}") for n in range(3)]
    with tenant_context(first):
        alias = hospital_alias(first)
        for other in others:
            with tenant_context(other):
                pass
        assert alias in connections.settings
        connections[alias].ensure_connection()
    assert len(registered_hospital_aliases()) <= 2


@pytest.mark.sqlite_only  # a file replaced under a connection (PostgreSQL refuses: storage tests)
def test_a_kept_connection_is_dropped_when_the_file_is_replaced(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a):
        alias = hospital_alias(hospital_a)
        connection = connections[alias]
        connection.ensure_connection()
        before = connection.connection
    path = connection.settings_dict["NAME"]
    shutil.copyfile(path, f"{path}.restored")
    os.replace(f"{path}.restored", path)  # a restore: same name, another file
    with tenant_context(hospital_a):
        assert connections[alias].connection is None  # closed; reopens on the next query
        connections[alias].ensure_connection()
        assert connections[alias].connection is not before
