"""Radiology views: every page: method, role, another hospital."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.radiology.models import Examination, Study
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

Url = Callable[[Study], str]
PAGES: list[tuple[str, str, Url]] = [
    ("GET", "index", lambda s: "/radiology/"),
    ("GET", "worklist", lambda s: "/radiology/worklist/"),
    ("GET", "my orders", lambda s: "/radiology/my-orders/"),
    ("GET", "catalogue", lambda s: "/radiology/catalogue/"),
    (
        "GET",
        "examination",
        lambda s: f"/radiology/catalogue/{Examination.objects.get(code='CT-HEAD').pk}/",
    ),
    ("GET", "new order", lambda s: "/radiology/orders/new/"),
    ("GET", "detail", lambda s: f"/radiology/studies/{s.pk}/"),
    ("POST", "schedule", lambda s: f"/radiology/studies/{s.pk}/schedule/"),
    ("POST", "perform", lambda s: f"/radiology/studies/{s.pk}/perform/"),
    ("POST", "report", lambda s: f"/radiology/studies/{s.pk}/report/"),
    ("POST", "verify", lambda s: f"/radiology/studies/{s.pk}/verify/"),
    ("POST", "cancel", lambda s: f"/radiology/studies/{s.pk}/cancel/"),
    ("GET", "amend", lambda s: f"/radiology/studies/{s.pk}/amend/"),
    ("GET", "print", lambda s: f"/radiology/studies/{s.pk}/print/"),
]
WRONG_METHOD = {"GET": "put", "POST": "get"}


def url_of(hospital: Hospital, study: Study, url: Url) -> str:
    with tenant_context(hospital):
        return url(study)


@pytest.mark.parametrize(("method", "name", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_refuses_a_member_of_another_hospital(
    hospital_a: Hospital, admin_b: User, study_a: Study, method: str, name: str, url: Url
) -> None:
    client = hospital_client(hospital_a, admin_b)
    response = getattr(client, method.lower())(url_of(hospital_a, study_a, url))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "name", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_refuses_roles_outside_radiology(
    hospital_a: Hospital, study_a: Study, method: str, name: str, url: Url
) -> None:
    for role in (Role.RECEPTIONIST, Role.PHARMACIST, Role.LAB_TECHNICIAN):
        client = hospital_client(hospital_a, make_user(hospital_a, role))
        response = getattr(client, method.lower())(url_of(hospital_a, study_a, url))
        assert response.status_code == 403, role


@pytest.mark.parametrize(("method", "name", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_answers_405_to_the_wrong_method(
    client_a: Client, hospital_a: Hospital, study_a: Study, method: str, name: str, url: Url
) -> None:
    response = getattr(client_a, WRONG_METHOD[method])(url_of(hospital_a, study_a, url))
    assert response.status_code == 405


STUDY_PAGE_NAMES = {"detail", "schedule", "perform", "report", "verify", "cancel", "amend", "print"}
STUDY_URLS = [page for page in PAGES if page[1] in STUDY_PAGE_NAMES]


@pytest.mark.parametrize(("method", "name", "url"), STUDY_URLS, ids=[p[1] for p in STUDY_URLS])
def test_a_study_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital, client_b: Client, study_a: Study, method: str, name: str, url: Url
) -> None:
    response = getattr(client_b, method.lower())(url_of(hospital_a, study_a, url))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.DOCTOR, {"index", "my orders", "catalogue", "new order", "detail", "print"}),
        (
            Role.RADIOLOGIST,
            {"index", "worklist", "catalogue", "new order", "detail", "schedule", "perform"}
            | {"report", "verify", "cancel", "amend", "print"},
        ),
    ],
)
def test_doctors_order_and_read_radiologists_run_the_department(
    hospital_a: Hospital, study_a: Study, role: str, allowed: set[str]
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    refused = set()
    for method, name, url in PAGES:
        response = getattr(client, method.lower())(url_of(hospital_a, study_a, url))
        if response.status_code == 403:
            refused.add(name)
    if role == Role.DOCTOR:
        allowed = allowed | {"cancel"}  # a doctor may withdraw an order of theirs
    assert refused == {name for _m, name, _u in PAGES} - allowed
