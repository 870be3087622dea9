"""Generated bad input (hypothesis) over the pharmacy's two documents with lines, a sale
and a stock receipt (form, line formset and its management form), and over a batch's
adjustment and a sale's return. Never a server error, and a refusal writes nothing:
every pharmacy row (stock, movements, allocations) and document number is as it was."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.apps import apps as django_apps
from django.db.models import Model
from django.http.response import HttpResponseBase
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from apps.core.submissions import AGAIN_FIELD
from apps.numbering.models import DocumentSeries
from apps.patients.tests.factories import register
from apps.pharmacy.models import Sale, StockReceipt
from apps.pharmacy.tests.conftest import Stocked
from apps.pharmacy.tests.factories import in_days, make_medicine, make_supplier, receive
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital

GENERATED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: as deployed: no debug page to hide behind
no_debug = override_settings(DEBUG=False)

TODAY = timezone.localdate()

#: text as people and scripts really send it: any Unicode, very long, or the field left
#: out altogether (None)
junk = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(min_size=200, max_size=5000),
    st.sampled_from(["", " ", "\x00", "'; DROP TABLE x; --", "ÇƏŞ"]),
)
#: numbers: out of range, negative, NaN and infinities, fractions where whole ones go
numbers = st.one_of(
    junk,
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.sampled_from(
        ["0", "-1", "1", "2", "1.5", "1,5", "1e309", "NaN", "Infinity", "-Infinity", "9" * 40]
    ),
)
days = st.one_of(
    junk,
    st.integers(min_value=-4000, max_value=4000).map(lambda n: (TODAY + timedelta(n)).isoformat()),
    st.sampled_from(["2024-02-30", "0000-01-01", "9999-12-31", "31/12/2030", "2030-13-01"]),
)
#: the formset's management form: missing, junk, negative, above the 50 lines allowed
management = st.fixed_dictionaries(
    {
        "lines-TOTAL_FORMS": st.one_of(
            st.just("3"), st.just("3"), junk, st.sampled_from(["0", "-1", "1", "51", "1e3"])
        ),
        "lines-INITIAL_FORMS": st.one_of(st.just("0"), junk, st.sampled_from(["5", "-1"])),
        "lines-MIN_NUM_FORMS": st.one_of(st.just("0"), junk),
        "lines-MAX_NUM_FORMS": st.one_of(st.just("50"), junk),
    }
)


#: some requests come from htmx, which gets its fragments and an HX-Redirect instead
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def saved(response: HttpResponseBase) -> bool:
    """A success redirect: a plain 302, or htmx's HX-Redirect."""
    return response.status_code == 302 or response.has_header("HX-Redirect")


def sent(*parts: dict[str, Any]) -> dict[str, str]:
    return {name: value for part in parts for name, value in part.items() if value is not None}


def own_submission(payload: dict[str, str]) -> dict[str, str]:
    """``payload`` as a submission of its own: hypothesis sends an example more than
    once, and the same values again within a minute are answered as a copy of the first
    (apps/core/submissions.py), which is not what these tests are about."""
    return {**payload, AGAIN_FIELD: uuid.uuid4().hex}


def numbered(lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        f"lines-{i}-{name}": value for i, line in enumerate(lines) for name, value in line.items()
    }


def near(valid: dict[str, str], *extra: str) -> st.SearchStrategy[dict[str, str]]:
    """The well-formed request with one or two fields (of its own or ``extra``) replaced by
    junk or left out: the service, not only the form, gets to see bad values."""
    fields = st.sampled_from(sorted({*valid, *extra}))
    changes = st.dictionaries(fields, numbers, min_size=1, max_size=2)
    return changes.map(lambda changed: sent({**valid, **changed}))


def rows(hospital: Hospital) -> dict[str, list[dict[str, Any]]]:
    """Every row of the pharmacy's tables and of the document number series, as now."""
    models: list[type[Model]] = [
        *django_apps.get_app_config("pharmacy").get_models(),
        DocumentSeries,
    ]
    with tenant_context(hospital):
        return {
            model.__name__: list(model._default_manager.order_by("pk").values()) for model in models
        }


@no_debug
def test_generated_sales_never_fail_the_server_nor_sell_half_a_sale(
    hospital_a: Hospital, hospital_b: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    patient, other_patient = register(hospital_a), register(hospital_b)
    other_medicine = make_medicine(hospital_b)
    receive(hospital_b, other_medicine, ("B-1", in_days(200), 50))
    medicines = st.one_of(
        numbers,
        st.sampled_from([str(stocked.medicine.pk), str(other_medicine.pk), str(uuid.uuid4())]),
    )
    line = st.fixed_dictionaries(
        {"medicine": medicines, "quantity": numbers, "prescription_item_id": numbers}
    )
    sales = st.fixed_dictionaries(
        {
            "patient_number": st.one_of(
                junk, st.sampled_from([patient.number, other_patient.number])
            ),
            "customer_name": junk,
            "customer_phone": junk,
            "discount": numbers,
            "tax_rate": numbers,
            "payment_method": st.one_of(
                junk, st.sampled_from(["cash", "card", "transfer", "invoice"])
            ),
            "payment_reference": junk,
        }
    )
    well_formed = {
        "customer_name": "Rauf",
        "discount": "0",
        "tax_rate": "0",
        "payment_method": "cash",
    }
    a_line = {"medicine": str(stocked.medicine.pk), "quantity": "2"}
    valid = sent(
        well_formed,
        {"lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0"},
        numbered([a_line]),
    )
    payloads = st.one_of(
        st.builds(
            lambda sale, management_form, lines: sent(sale, management_form, numbered(lines)),
            sales,
            management,
            st.lists(line, max_size=3),
        ),
        near(valid, "patient_number", "lines-0-prescription_item_id"),
    )
    outcomes: set[int] = set()

    @GENERATED
    @given(payload=payloads, htmx=st.booleans())
    @example(payload=valid, htmx=False)
    def check(payload: dict[str, str], htmx: bool) -> None:
        before = rows(hospital_a)
        response = pharmacist_a.post(
            "/pharmacy/sales/new/", own_submission(payload), **(HTMX if htmx else {})
        )
        assert response.status_code in (200, 302), response.status_code
        outcomes.add(response.status_code)
        after = rows(hospital_a)
        if saved(response):
            assert len(after["Sale"]) == len(before["Sale"]) + 1
        else:
            assert after == before

    check()
    assert outcomes == {200, 302}
    with tenant_context(hospital_b):
        assert Sale.objects.count() == 0  # nothing sold from the other hospital's shelf


@no_debug
def test_generated_stock_receipts_never_fail_the_server_nor_receive_half_a_delivery(
    hospital_a: Hospital, hospital_b: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    other_supplier = make_supplier(hospital_b, name="Other LLC")
    other_medicine = make_medicine(hospital_b)
    medicines = st.one_of(
        numbers,
        st.sampled_from([str(stocked.medicine.pk), str(other_medicine.pk), str(uuid.uuid4())]),
    )
    suppliers = st.one_of(
        numbers,
        st.sampled_from([str(stocked.supplier.pk), str(other_supplier.pk), str(uuid.uuid4())]),
    )
    line = st.fixed_dictionaries(
        {
            "medicine": medicines,
            "batch_number": st.one_of(junk, st.sampled_from(["PCM-001", "NEW-1"])),
            "expiry_date": days,
            "quantity": numbers,
            "unit_cost": numbers,
        }
    )
    receipts = st.fixed_dictionaries(
        {
            "supplier": suppliers,
            "received_on": days,
            "supplier_invoice": junk,
            "note": junk,
        }
    )
    well_formed = {"supplier": str(stocked.supplier.pk), "received_on": TODAY.isoformat()}
    a_line = {
        "medicine": str(stocked.medicine.pk),
        "batch_number": "NEW-1",
        "expiry_date": in_days(300).isoformat(),
        "quantity": "10",
        "unit_cost": "0.25",
    }
    valid = sent(
        well_formed,
        {"lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0"},
        numbered([a_line]),
    )
    payloads = st.one_of(
        st.builds(
            lambda receipt, management_form, lines: sent(receipt, management_form, numbered(lines)),
            receipts,
            management,
            st.lists(line, max_size=3),
        ),
        near(valid, "supplier_invoice", "note"),
    )
    outcomes: set[int] = set()

    @GENERATED
    @given(payload=payloads, htmx=st.booleans())
    @example(payload=valid, htmx=False)
    def check(payload: dict[str, str], htmx: bool) -> None:
        before = rows(hospital_a)
        response = pharmacist_a.post(
            "/pharmacy/receipts/new/", own_submission(payload), **(HTMX if htmx else {})
        )
        assert response.status_code in (200, 302), response.status_code
        outcomes.add(response.status_code)
        after = rows(hospital_a)
        if saved(response):
            assert len(after["StockReceipt"]) == len(before["StockReceipt"]) + 1
            assert len(after["Sale"]) == len(before["Sale"])
        else:
            assert after == before

    check()
    assert outcomes == {200, 302}
    with tenant_context(hospital_b):
        assert StockReceipt.objects.count() == 0


@no_debug
def test_generated_adjustments_and_returns_never_fail_the_server_nor_move_half_the_stock(
    hospital_a: Hospital, hospital_b: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    other_medicine = make_medicine(hospital_b)
    other_batch_receipt = receive(hospital_b, other_medicine, ("B-1", in_days(200), 50))
    with tenant_context(hospital_b):
        other_batch = other_batch_receipt.batches.get()
    with tenant_context(hospital_a):
        line = stocked.sale.lines.get()
    adjustment = {"quantity": "-1", "reason": "damaged", "note": "Dropped"}
    sale_return = {str(line.pk): "1", "reason": "Wrong strength"}
    requests = st.one_of(
        st.tuples(
            st.sampled_from(
                [
                    f"/pharmacy/batches/{stocked.batch.pk}/adjust/",
                    f"/pharmacy/batches/{other_batch.pk}/adjust/",
                ]
            ),
            st.one_of(
                st.fixed_dictionaries(
                    {"quantity": numbers, "reason": st.one_of(junk, st.just("count")), "note": junk}
                ),
                near(adjustment),
            ),
        ),
        st.tuples(
            st.sampled_from(
                [
                    f"/pharmacy/sales/{stocked.sale.pk}/return/",
                    f"/pharmacy/sales/{uuid.uuid4()}/return/",
                ]
            ),
            st.one_of(
                st.fixed_dictionaries({str(line.pk): numbers, "reason": junk}),
                near(sale_return, "999999"),
            ),
        ),
    )
    outcomes: set[int] = set()

    @GENERATED
    @given(request=requests, htmx=st.booleans())
    @example(request=(f"/pharmacy/batches/{stocked.batch.pk}/adjust/", adjustment), htmx=False)
    @example(request=(f"/pharmacy/sales/{stocked.sale.pk}/return/", sale_return), htmx=False)
    def check(request: tuple[str, dict[str, Any]], htmx: bool) -> None:
        url, data = request
        before = rows(hospital_a)
        response = pharmacist_a.post(url, own_submission(sent(data)), **(HTMX if htmx else {}))
        assert response.status_code in (200, 302, 404), response.status_code
        outcomes.add(response.status_code)
        if not saved(response):
            assert rows(hospital_a) == before

    check()
    assert {200, 302, 404} <= outcomes
