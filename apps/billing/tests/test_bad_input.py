"""Generated bad input (hypothesis) over billing: a draft made from the picker, and a
draft's actions (a price-list line, a discount, issuing, a payment, a write-off). Never a
server error, and a refusal writes nothing: every billing row and document number is as
it was."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Model
from django.http.response import HttpResponseBase
from django.test import override_settings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.accounts.models import Role
from apps.billing.models import Invoice, InvoiceStatus, Payment, Service, WriteOff
from apps.billing.services import invoice_create, item_key, service_create
from apps.billing.tests.conftest import FakeSource
from apps.core.submissions import AGAIN_FIELD
from apps.numbering.models import DocumentSeries
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import hospital_client, make_user

GENERATED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: as deployed: no debug page to hide behind
no_debug = override_settings(DEBUG=False)

#: text as people and scripts really send it: any Unicode, very long, or the field left
#: out altogether (None)
junk = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(min_size=200, max_size=5000),
    st.sampled_from(["", " ", "\x00", "'; DROP TABLE x; --", "ÇƏŞ"]),
)
#: amounts: out of range, negative, NaN and infinities, too many decimals, commas
money = st.one_of(
    junk,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from(
        [
            "0",
            "-0",
            "-5",
            "0.001",
            "1,50",
            "1e309",
            "1e-309",
            "NaN",
            "sNaN",
            "Infinity",
            "-Infinity",
            "9999999999.99",
            "99999999999.99",
            "9" * 40,
            "10",
            "40.00",
        ]
    ),
)
ids = st.one_of(
    junk, st.integers().map(str), st.sampled_from(["0", "-1", "1.5", str(uuid.uuid4())])
)


#: some requests come from htmx, which gets its fragments and an HX-Redirect instead
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def saved(response: HttpResponseBase) -> bool:
    """A success redirect: a plain 302, or htmx's HX-Redirect."""
    return response.status_code == 302 or response.has_header("HX-Redirect")


def sent(data: dict[str, Any]) -> dict[str, str | list[str]]:
    return {name: value for name, value in data.items() if value is not None}


def own_submission(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` as a submission of its own: hypothesis sends an example more than
    once, and the same values again within a minute are answered as a copy of the first
    (apps/core/submissions.py), which is not what these tests are about."""
    return {**payload, AGAIN_FIELD: uuid.uuid4().hex}


def rows(hospital: Hospital) -> dict[str, list[dict[str, Any]]]:
    """Every row of billing's tables and of the document number series, as it is now."""
    models: list[type[Model]] = [
        *django_apps.get_app_config("billing").get_models(),
        DocumentSeries,
    ]
    with tenant_context(hospital):
        return {
            model.__name__: list(model._default_manager.order_by("pk").values()) for model in models
        }


def count(snapshot: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    return {name: len(table) for name, table in snapshot.items()}


@no_debug
def test_generated_picks_never_fail_the_server_nor_make_half_a_draft(
    hospital_a: Hospital, hospital_b: Hospital, work: FakeSource
) -> None:
    patient, other_patient = register(hospital_a), register(hospital_b)
    with tenant_context(hospital_a):
        service = service_create(code="ECG", name="ECG", price=Decimal("25.00"))
        items = [item_key(work.add(patient, f"Visit {n}")) for n in range(3)]
    with tenant_context(hospital_b):
        other_service = service_create(code="XR", name="X-ray", price=Decimal("60.00"))
    stranger = item_key(work.add(other_patient, "Someone else's visit"))
    client = hospital_client(hospital_a, make_user(hospital_a, Role.RECEPTIONIST))
    picks = st.fixed_dictionaries(
        {
            "items": st.one_of(
                junk, st.lists(st.one_of(junk, st.sampled_from([*items, stranger])), max_size=4)
            ),
            "service": st.one_of(ids, st.sampled_from([str(service.pk), str(other_service.pk)])),
            "quantity": money,
        }
    )
    patients = st.sampled_from([patient.pk, other_patient.pk, uuid.uuid4()])
    outcomes: set[int] = set()

    @GENERATED
    @given(patient_id=patients, data=picks, htmx=st.booleans())
    @example(
        patient_id=patient.pk,
        data={"items": items[:1], "service": None, "quantity": "1"},
        htmx=False,
    )
    def check(patient_id: uuid.UUID, data: dict[str, Any], htmx: bool) -> None:
        before = rows(hospital_a)
        response = client.post(
            f"/billing/patients/{patient_id}/invoice/",
            own_submission(sent(data)),
            **(HTMX if htmx else {}),
        )
        assert response.status_code in (200, 302, 404), response.status_code
        outcomes.add(response.status_code)
        after = rows(hospital_a)
        if saved(response):
            assert count(after)["Invoice"] == count(before)["Invoice"] + 1
            assert count(after)["Payment"] == count(before)["Payment"]
        else:
            assert after == before
        if patient_id != patient.pk:
            assert response.status_code == 404

    check()
    assert {200, 302, 404} <= outcomes


@no_debug
def test_generated_invoice_actions_never_fail_the_server_nor_write_half_an_action(
    hospital_a: Hospital, hospital_b: Hospital, work: FakeSource
) -> None:
    patient = register(hospital_a)
    with tenant_context(hospital_a):
        service = service_create(code="ECG", name="ECG", price=Decimal("25.00"))
        retired = service_create(code="OLD", name="Old", price=Decimal("5.00"), is_active=False)
        invoice = invoice_create(
            patient=patient, item_keys=[item_key(work.add(patient, "Visit", "40.00"))]
        )
    other_patient = register(hospital_b)
    with tenant_context(hospital_b):
        other_service = service_create(code="XR", name="X-ray", price=Decimal("60.00"))
        other_invoice = invoice_create(
            patient=other_patient, item_keys=[item_key(work.add(other_patient, "Visit"))]
        )
    client = hospital_client(hospital_a, make_user(hospital_a, Role.ACCOUNTANT))
    services = st.one_of(
        ids, st.sampled_from([str(service.pk), str(retired.pk), str(other_service.pk)])
    )
    actions = st.one_of(
        st.tuples(
            st.just("services/"),
            st.fixed_dictionaries({"add_service-service": services, "add_service-quantity": money}),
        ),
        st.tuples(
            st.just("discount/"),
            st.fixed_dictionaries(
                {
                    "discount-discount_kind": st.one_of(
                        junk, st.sampled_from(["none", "percent", "amount"])
                    ),
                    "discount-discount_value": money,
                    "discount-discount_reason": junk,
                }
            ),
        ),
        st.tuples(st.just("issue/"), st.fixed_dictionaries({"anything": junk})),
        st.tuples(
            st.just("payments/"),
            st.fixed_dictionaries(
                {
                    "payment-method": st.one_of(
                        junk, st.sampled_from(["cash", "card", "bank_transfer", "insurance"])
                    ),
                    "payment-amount": money,
                    "payment-note": junk,
                }
            ),
        ),
        st.tuples(
            st.just("write-off/"),
            st.fixed_dictionaries({"write_off-amount": money, "write_off-reason": junk}),
        ),
    )
    invoices = st.sampled_from([invoice.pk, invoice.pk, invoice.pk, other_invoice.pk, uuid.uuid4()])
    outcomes: set[int] = set()

    @GENERATED
    @given(invoice_id=invoices, action=actions)
    # the well-formed path first: issued, part paid, part written off; the junk follows
    @example(invoice_id=invoice.pk, action=("issue/", {}))
    @example(
        invoice_id=invoice.pk,
        action=("payments/", {"payment-method": "cash", "payment-amount": "10"}),
    )
    @example(
        invoice_id=invoice.pk,
        action=("write-off/", {"write_off-amount": "5", "write_off-reason": "Hardship"}),
    )
    def check(invoice_id: uuid.UUID, action: tuple[str, dict[str, Any]]) -> None:
        path, data = action
        before = rows(hospital_a)
        response = client.post(f"/billing/invoices/{invoice_id}/{path}", own_submission(sent(data)))
        assert response.status_code in (200, 302, 404), response.status_code
        outcomes.add(response.status_code)
        if response.status_code != 302:
            assert rows(hospital_a) == before
        if invoice_id != invoice.pk:
            assert response.status_code == 404

    check()
    assert {200, 302, 404} <= outcomes
    with tenant_context(hospital_a):
        assert Invoice.objects.get(pk=invoice.pk).status != InvoiceStatus.DRAFT
        assert Payment.objects.exists() and WriteOff.objects.exists()
        assert Service.objects.count() == 2
