"""Generated bad input (hypothesis) over every form of the laboratory: a new order,
collecting, results, approving, cancelling, amending an approved result, a catalogue
price and the settings, and the lists' query strings. Never a server error; a refusal
writes nothing; every action on an approved order says its results are locked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from hypothesis import strategies as st

from apps.accounts.models import User
from apps.core.tests.generated import Request, assert_never_fails, junk, near, numbers, values
from apps.laboratory.models import LabOrder, LabResult
from apps.laboratory.tests.conftest import (
    NORMAL_CBC,
    approved,
    collected,
    fields_of,
    haemoglobin,
    item,
    patient_of,
    place,
)
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

#: as deployed: no debug page to hide behind
no_debug = override_settings(DEBUG=False)

LOCKED = "The results of this order are submitted and locked; amend them instead."


def forms_of(
    hospital: Hospital, ordered: LabOrder, taken: LabOrder, done: LabOrder
) -> list[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """(url, a well-formed post, fields it may also carry) of each lab form."""
    with tenant_context(hospital):
        hgb = done.results.get(test__code="HGB").pk
        test_pk = haemoglobin().pk
    return [
        (
            "/laboratory/orders/new/",
            {
                "patient": str(ordered.patient_id),
                "items": [item(hospital, "CBC")],
                "priority": "routine",
            },
            ("ordering_doctor", "clinical_notes", "appointment"),
        ),
        (f"/laboratory/orders/{ordered.pk}/collect/", {}, ()),
        (
            f"/laboratory/orders/{taken.pk}/results/",
            {**fields_of(hospital, taken, **NORMAL_CBC), "action": "submit"},
            (),
        ),
        (f"/laboratory/orders/{taken.pk}/approve/", {}, ()),
        (f"/laboratory/orders/{ordered.pk}/cancel/", {"reason": "Duplicate"}, ()),
        (
            f"/laboratory/orders/{done.pk}/results/{hgb}/amend/",
            {"value": "13.9", "reason": "Transcription"},
            (),
        ),
        (f"/laboratory/catalogue/test/{test_pk}/", {"price": "12.50", "is_active": "on"}, ()),
        ("/laboratory/settings/", {"approval_required": "on"}, ()),
    ]


@pytest.fixture
def orders(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> tuple[LabOrder, LabOrder, LabOrder]:
    ordered = place(hospital_a, patient_of(hospital_a))
    taken = collected(hospital_a, place(hospital_a, patient_of(hospital_a)), technician_a)
    done = approved(
        hospital_a, place(hospital_a, patient_of(hospital_a)), technician_a, second_technician_a
    )
    return ordered, taken, done


@no_debug
def test_generated_input_on_every_lab_form_never_fails_the_server(
    hospital_a: Hospital, technician_a: User, orders: tuple[LabOrder, LabOrder, LabOrder]
) -> None:
    forms = forms_of(hospital_a, *orders)
    posts = [
        st.tuples(st.just("post"), st.just(url), near(valid, *extra)) for url, valid, extra in forms
    ]
    gets = [
        st.tuples(st.just("get"), st.just(url), st.fixed_dictionaries({name: strategy}))
        for url, name, strategy in [
            ("/laboratory/worklist/", "status", junk),
            ("/laboratory/worklist/", "page", numbers),
            ("/laboratory/my-orders/", "page", numbers),
            ("/laboratory/orders/new/", "patient", values),
            ("/laboratory/orders/new/", "appointment", values),
        ]
    ]
    examples: list[Request] = [("post", url, valid) for url, valid, _extra in forms] + [
        ("post", forms[0][0], {**forms[0][1], "patient": str(10**20)}),
        ("post", forms[6][0], {"price": str(10**20)}),
        ("post", forms[6][0], {"price": "-1"}),
        ("post", forms[2][0], {name: "1e309" for name in forms[2][1] if name != "action"}),
    ]
    outcomes = assert_never_fails(
        hospital_client(hospital_a, make_user(hospital_a)),  # an administrator: every page
        hospital_a,
        st.one_of(*posts, *gets),
        tables=("laboratory",),
        examples=examples,
        max_examples=50,
    )
    assert {200, 302} <= outcomes


@no_debug
def test_every_action_on_an_approved_order_says_its_results_are_locked(
    hospital_a: Hospital, technician_a: User, orders: tuple[LabOrder, LabOrder, LabOrder]
) -> None:
    _ordered, _taken, done = orders
    client: Client = hospital_client(hospital_a, technician_a)
    with tenant_context(hospital_a):
        before = list(LabResult.objects.filter(order=done).values())
    for action, data in [
        ("collect", {}),
        ("results", fields_of(hospital_a, done, HGB="9.9")),
        ("results", {**fields_of(hospital_a, done, HGB="9.9"), "action": "submit"}),
        ("approve", {}),
        ("cancel", {"reason": "Duplicate"}),
    ]:
        response = client.post(f"/laboratory/orders/{done.pk}/{action}/", data)
        assert response.status_code == 200, action
        alert = re.search(r'role="alert"[^>]*>([^<]*)<', response.text)
        assert alert is not None, action
        assert LOCKED in alert[1] or "This order is Approved" in alert[1], action
    with tenant_context(hospital_a):
        assert list(LabResult.objects.filter(order=done).values()) == before
