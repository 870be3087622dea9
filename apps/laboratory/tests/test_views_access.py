"""Laboratory views: every page: method, role, another hospital."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.accounts.models import Role, User
from apps.laboratory.models import LabOrder
from apps.laboratory.tests.conftest import haemoglobin
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

Url = Callable[[LabOrder], str]
PAGES: list[tuple[str, str, Url]] = [
    ("GET", "index", lambda o: "/laboratory/"),
    ("GET", "worklist", lambda o: "/laboratory/worklist/"),
    ("GET", "my orders", lambda o: "/laboratory/my-orders/"),
    ("GET", "catalogue", lambda o: "/laboratory/catalogue/"),
    ("GET", "settings", lambda o: "/laboratory/settings/"),
    ("GET", "catalogue item", lambda o: f"/laboratory/catalogue/test/{haemoglobin().pk}/"),
    ("GET", "new order", lambda o: "/laboratory/orders/new/"),
    ("GET", "detail", lambda o: f"/laboratory/orders/{o.pk}/"),
    ("POST", "collect", lambda o: f"/laboratory/orders/{o.pk}/collect/"),
    ("POST", "results", lambda o: f"/laboratory/orders/{o.pk}/results/"),
    ("POST", "approve", lambda o: f"/laboratory/orders/{o.pk}/approve/"),
    ("POST", "cancel", lambda o: f"/laboratory/orders/{o.pk}/cancel/"),
    (
        "GET",
        "amend",
        lambda o: f"/laboratory/orders/{o.pk}/results/{o.results.get(test__code='HGB').pk}/amend/",
    ),
    ("GET", "report", lambda o: f"/laboratory/orders/{o.pk}/report/"),
]
WRONG_METHOD = {"GET": "put", "POST": "get"}


def url_of(hospital: Hospital, order: LabOrder, url: Url) -> str:
    with tenant_context(hospital):
        return url(order)


@pytest.mark.parametrize(("method", "name", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_refuses_a_member_of_another_hospital(
    hospital_a: Hospital, admin_b: User, order_a: LabOrder, method: str, name: str, url: Url
) -> None:
    client = hospital_client(hospital_a, admin_b)
    response = getattr(client, method.lower())(url_of(hospital_a, order_a, url))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "name", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_refuses_roles_outside_the_lab(
    hospital_a: Hospital, order_a: LabOrder, method: str, name: str, url: Url
) -> None:
    for role in (Role.RECEPTIONIST, Role.PHARMACIST, Role.NURSE):
        client = hospital_client(hospital_a, make_user(hospital_a, role))
        response = getattr(client, method.lower())(url_of(hospital_a, order_a, url))
        assert response.status_code == 403, role


@pytest.mark.parametrize(("method", "name", "url"), PAGES, ids=[p[1] for p in PAGES])
def test_every_page_answers_405_to_the_wrong_method(
    client_a: Client, hospital_a: Hospital, order_a: LabOrder, method: str, name: str, url: Url
) -> None:
    response = getattr(client_a, WRONG_METHOD[method])(url_of(hospital_a, order_a, url))
    assert response.status_code == 405


#: pages of one order: another hospital's order id is not found on them. (Catalogue rows
#: are seeded alike in every hospital, so a test id names that hospital's own row.)
ORDER_PAGE_NAMES = {"detail", "collect", "results", "approve", "cancel", "amend", "report"}
ORDER_URLS = [page for page in PAGES if page[1] in ORDER_PAGE_NAMES]


@pytest.mark.parametrize(("method", "name", "url"), ORDER_URLS, ids=[p[1] for p in ORDER_URLS])
def test_an_order_of_hospital_a_is_not_found_on_hospital_bs_host(
    hospital_a: Hospital, client_b: Client, order_a: LabOrder, method: str, name: str, url: Url
) -> None:
    response = getattr(client_b, method.lower())(url_of(hospital_a, order_a, url))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.DOCTOR, {"index", "my orders", "catalogue", "new order", "detail", "report"}),
        (
            Role.LAB_TECHNICIAN,
            {"index", "worklist", "catalogue", "new order", "detail", "collect", "results"}
            | {"approve", "cancel", "amend", "report"},
        ),
    ],
)
def test_doctors_order_and_read_lab_technicians_run_the_lab(
    hospital_a: Hospital, order_a: LabOrder, role: str, allowed: set[str]
) -> None:
    client = hospital_client(hospital_a, make_user(hospital_a, role))
    refused = set()
    for method, name, url in PAGES:
        response = getattr(client, method.lower())(url_of(hospital_a, order_a, url))
        if response.status_code == 403:
            refused.add(name)
    if role == Role.DOCTOR:
        allowed = allowed | {"cancel"}  # a doctor may withdraw an order of theirs
    assert refused == {name for _m, name, _u in PAGES} - allowed
