"""Generated bad input (hypothesis) over the pharmacy's forms that test_bad_input.py
does not cover: a medicine and a supplier (new and edited), finding and dispensing a
prescription, and the lists' query strings; and the numbers found to answer 500
elsewhere (a quantity of 10^20) on every quantity a pharmacist types. Never a server
error; a refusal writes nothing."""

from __future__ import annotations

from django.test import Client, override_settings
from hypothesis import strategies as st

from apps.consultations.models import Prescription
from apps.core.tests.generated import Request, assert_never_fails, junk, near, numbers, values
from apps.pharmacy.tests.conftest import Stocked
from apps.pharmacy.tests.factories import in_days, prescribe
from apps.pharmacy.tests.test_views_dispensing import dispense_data
from apps.tenancy.models import Hospital

#: as deployed: no debug page to hide behind
no_debug = override_settings(DEBUG=False)

HUGE = str(10**20)


def forms_of(stocked: Stocked, prescription: Prescription) -> list[tuple[str, dict[str, str]]]:
    """(url, a well-formed post) of each form."""
    medicine = {
        "generic_name": "Ibuprofen",
        "brand_name": "Nurofen",
        "form": "tablet",
        "strength": "200 mg",
        "unit": "tablet",
        "reorder_level": "10",
        "sale_price": "0.40",
        "is_active": "on",
    }
    supplier = {"name": "Farm LLC", "phone": "+994 12 555 00 00", "email": "a@b.az"}
    return [
        ("/pharmacy/medicines/new/", medicine),
        (f"/pharmacy/medicines/{stocked.medicine.pk}/edit/", medicine),
        ("/pharmacy/suppliers/new/", supplier),
        (f"/pharmacy/suppliers/{stocked.supplier.pk}/edit/", supplier),
        (
            f"/pharmacy/dispense/{prescription.pk}/",
            dispense_data((stocked.medicine, 2), (None, 0)),
        ),
    ]


@no_debug
def test_generated_input_on_the_other_pharmacy_forms_never_fails_the_server(
    hospital_a: Hospital, stocked: Stocked, pharmacist_a: Client
) -> None:
    prescription = prescribe(hospital_a, ("Paracetamol 500 mg", 10), ("Ibuprofen 200 mg", 4))
    forms = forms_of(stocked, prescription)
    posts = [st.tuples(st.just("post"), st.just(url), near(valid)) for url, valid in forms]
    gets = [
        st.tuples(st.just("get"), st.just(url), st.fixed_dictionaries({name: strategy}))
        for url, name, strategy in [
            ("/pharmacy/", "q", junk),
            ("/pharmacy/", "page", numbers),
            ("/pharmacy/dispense/", "number", junk),
            ("/pharmacy/sales/", "page", numbers),
            ("/pharmacy/receipts/", "page", numbers),
            ("/pharmacy/stock/expiring/", "days", values),
        ]
    ]
    medicine_url, medicine = forms[0]
    dispense_url, dispense = forms[4]
    line = {
        "medicine": str(stocked.medicine.pk),
        "batch_number": "NEW-1",
        "expiry_date": in_days(300).isoformat(),
        "unit_cost": "0.25",
    }
    examples: list[Request] = [
        *(("post", url, valid) for url, valid in forms),
        ("post", medicine_url, {**medicine, "reorder_level": HUGE}),
        ("post", medicine_url, {**medicine, "sale_price": HUGE}),
        ("post", dispense_url, {**dispense, "lines-0-quantity": HUGE}),
        (
            "post",
            f"/pharmacy/batches/{stocked.batch.pk}/adjust/",
            {"quantity": HUGE, "reason": "count"},
        ),
        (
            "post",
            "/pharmacy/receipts/new/",
            {
                "supplier": str(stocked.supplier.pk),
                "received_on": in_days(0).isoformat(),
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0",
                **{f"lines-0-{name}": value for name, value in line.items()},
                "lines-0-quantity": HUGE,
            },
        ),
        (
            "post",
            "/pharmacy/sales/new/",
            {
                "customer_name": "Rauf",
                "discount": "0",
                "tax_rate": "0",
                "payment_method": "cash",
                "lines-TOTAL_FORMS": "1",
                "lines-INITIAL_FORMS": "0",
                "lines-0-medicine": str(stocked.medicine.pk),
                "lines-0-quantity": HUGE,
            },
        ),
    ]
    outcomes = assert_never_fails(
        pharmacist_a,
        hospital_a,
        st.one_of(*posts, *gets),
        tables=("pharmacy",),
        examples=examples,
        max_examples=40,
    )
    assert {200, 302} <= outcomes
