"""A link is shown to whom its page would let in: ``access.may_open`` reads the module's
roles, the hospital's enabled modules and the view's ``roles_required``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import set_urlconf

from apps.accounts import access
from apps.accounts.models import Role, User
from apps.tenancy.models import Hospital


def user(role: str) -> User:
    return User(id=uuid.uuid4(), username=f"{role}.test", role=role)


@pytest.fixture(autouse=True)
def hospital_urls(settings: Any) -> Iterator[None]:
    set_urlconf(settings.HMS_HOSPITAL_URLCONF)
    yield
    set_urlconf(None)


@pytest.fixture
def hospital() -> Hospital:
    return Hospital(name="Test", enabled_modules=["appointments", "laboratory", "admissions"])


def test_the_front_desk_may_book_and_a_doctor_may_not(hospital: Hospital) -> None:
    assert access.may_open(user(Role.RECEPTIONIST), hospital, "appointments:book")
    assert not access.may_open(user(Role.DOCTOR), hospital, "appointments:book")
    assert access.may_open(user(Role.HOSPITAL_ADMIN), hospital, "appointments:book")


def test_an_administrators_page_is_shown_to_administrators_only(hospital: Hospital) -> None:
    assert access.may_open(user(Role.HOSPITAL_ADMIN), hospital, "laboratory:settings")
    assert not access.may_open(user(Role.LAB_TECHNICIAN), hospital, "laboratory:settings")


def test_a_page_of_a_module_the_role_may_not_use_is_not_shown(hospital: Hospital) -> None:
    # the worklist has its own roles; an accountant is not in the laboratory at all
    assert access.may_open(user(Role.LAB_TECHNICIAN), hospital, "laboratory:worklist")
    assert not access.may_open(user(Role.ACCOUNTANT), hospital, "laboratory:worklist")


def test_a_module_the_hospital_has_not_enabled_is_shown_to_nobody(hospital: Hospital) -> None:
    hospital.enabled_modules = ["laboratory"]
    assert not access.may_open(user(Role.HOSPITAL_ADMIN), hospital, "appointments:book")


def test_an_unknown_page_name_is_an_error_not_a_hidden_link(hospital: Hospital) -> None:
    with pytest.raises(LookupError, match="appointments:no_such_page"):
        access.may_open(user(Role.HOSPITAL_ADMIN), hospital, "appointments:no_such_page")
