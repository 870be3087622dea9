"""The hospital administrator, made by accounts for tenancy's pipeline (apps.tenancy.hooks)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.accounts.models import Role, User
from apps.accounts.provisioning import HospitalAdmins
from apps.tenancy import hooks
from apps.tenancy.models import Hospital


@pytest.fixture
def hospital(db: None) -> Hospital:
    return Hospital.objects.create(
        name="Hook Hospital", code="HOOK01", subdomain="hook", admin_name="Aysel Quliyeva"
    )


def test_a_new_administrator_gets_a_temporary_password_and_can_be_taken_back(
    hospital: Hospital,
) -> None:
    outcome = HospitalAdmins().ensure_admin(hospital, None, keep_existing=False)
    user = User.objects.get(username=outcome.username)
    assert (user.hospital_id, user.role) == (hospital.pk, Role.HOSPITAL_ADMIN)
    assert outcome.created and outcome.password_applied
    assert outcome.temporary_password and user.check_password(outcome.temporary_password)
    assert outcome.temporary_password not in repr(outcome)
    outcome.undo()
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_retry_gives_the_existing_administrator_the_password_again(hospital: Hospital) -> None:
    first = HospitalAdmins().ensure_admin(hospital, "First-pass-123", keep_existing=False)
    again = HospitalAdmins().ensure_admin(hospital, "Second-pass-456", keep_existing=False)
    assert (again.username, again.created, again.password_applied) == (first.username, False, True)
    assert User.objects.get(username=first.username).check_password("Second-pass-456")
    again.undo()  # nothing was created: nothing to take back
    assert User.objects.filter(username=first.username).exists()


def test_keep_existing_leaves_the_administrator_and_the_password_alone(hospital: Hospital) -> None:
    first = HospitalAdmins().ensure_admin(hospital, "First-pass-123", keep_existing=False)
    kept = HospitalAdmins().ensure_admin(hospital, None, keep_existing=True)
    assert (kept.created, kept.password_applied, kept.temporary_password) == (False, False, None)
    assert User.objects.get(username=first.username).check_password("First-pass-123")


def test_a_hash_made_for_a_job_is_applied_as_it_is(hospital: Hospital) -> None:
    admins = HospitalAdmins()
    secret = admins.password_hash_make("Queued-pass-789", temporary=True)
    outcome = admins.ensure_admin(hospital, secret, keep_existing=False)
    user = User.objects.get(username=outcome.username)
    assert user.check_password("Queued-pass-789") and user.must_change_password
    assert outcome.temporary_password is None


def test_tenancy_says_clearly_when_no_provider_is_named(settings: Any) -> None:
    settings.HOSPITAL_ADMIN_PROVIDER = ""
    with pytest.raises(ImproperlyConfigured, match=r"apps\.accounts"):
        hooks.hospital_admin_provider()


def test_tenancy_says_clearly_when_the_named_provider_cannot_be_imported(settings: Any) -> None:
    settings.HOSPITAL_ADMIN_PROVIDER = "apps.accounts.provisioning.NoSuchMaker"
    with pytest.raises(ImproperlyConfigured, match="NoSuchMaker"):
        hooks.hospital_admin_provider()
