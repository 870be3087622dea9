from __future__ import annotations

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, router

from apps.accounts.models import Role, User
from apps.accounts.services import account_create
from apps.regions.models import City, Region
from apps.tenancy.context import current_hospital, tenant_context
from apps.tenancy.exceptions import NoTenantSelected
from apps.tenancy.models import Hospital


def test_shared_models_go_to_default_inside_a_tenant_context(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a):
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS
        assert router.db_for_write(Hospital) == DEFAULT_DB_ALIAS
        assert Hospital.objects.get(pk=hospital_a.pk).name == "City General Hospital"
        account = account_create(hospital=hospital_a, full_name="Amina Karimova", role=Role.NURSE)
        assert User.objects.filter(pk=account.user.pk, hospital=hospital_a).exists()
    assert account.user._state.db == DEFAULT_DB_ALIAS


def test_a_tenant_model_with_no_hospital_selected_raises_a_clear_error(db: None) -> None:
    with pytest.raises(NoTenantSelected, match="no hospital is selected"):
        Region.objects.count()


def test_tenant_models_never_fall_back_to_the_platform_database(db: None) -> None:
    with pytest.raises(NoTenantSelected):
        router.db_for_write(Region)


def test_a_hospital_created_while_running_is_usable_at_once(make_hospital) -> None:
    hospital = make_hospital(name="Fresh Hospital", subdomain="fresh")
    assert hospital.status == Hospital.Status.READY
    assert "hospital_" + hospital.code.lower() not in settings.DATABASES
    with tenant_context(hospital):
        assert Region.objects.filter(code="BAK").exists()


def test_two_hospitals_rows_never_mix(hospital_a: Hospital, hospital_b: Hospital) -> None:
    with tenant_context(hospital_a):
        Region.objects.create(name="Naxçıvan", code="NAX")
    with tenant_context(hospital_b):
        assert not Region.objects.filter(code="NAX").exists()
    with tenant_context(hospital_a):
        assert Region.objects.filter(code="NAX").exists()


def test_a_relation_across_hospital_databases_is_refused(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    with tenant_context(hospital_a):
        region_of_a = Region.objects.get(code="BAK")
    with tenant_context(hospital_b):
        city = City.objects.first()
        assert city is not None
        with pytest.raises(ValueError, match="router prevents this relation"):
            city.region = region_of_a


def test_contexts_nest_and_restore_the_previous_hospital(
    hospital_a: Hospital, hospital_b: Hospital
) -> None:
    assert current_hospital() is None
    with tenant_context(hospital_a):
        with tenant_context(hospital_b):
            assert current_hospital() == hospital_b
        assert current_hospital() == hospital_a
    assert current_hospital() is None


def test_objects_loaded_from_a_hospital_keep_using_its_database(hospital_a: Hospital) -> None:
    with tenant_context(hospital_a):
        city = City.objects.select_related(None).get(name="Bakı")
    assert city.region.code == "BAK"  # resolved outside the context, from the same database


def test_platform_migrate_creates_no_tenant_tables(db: None) -> None:
    tables = set(connection.introspection.table_names())
    assert "accounts_user" in tables
    assert not {t for t in tables if t.startswith("regions_")}


def test_provisioning_creates_no_shared_tables_in_a_hospital_database(
    hospital_a: Hospital,
) -> None:
    with tenant_context(hospital_a):
        from apps.tenancy.db import current_alias

        tables = set(connections[current_alias()].introspection.table_names())
    assert {"regions_region", "regions_city", "regions_clinic", "regions_specialization"} <= tables
    assert not tables & {
        "accounts_user",
        "tenancy_hospital",
        "django_session",
        "auth_group",
        "django_content_type",
    }
