from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import CONSULTATION_SOURCE, appointment_cancel
from apps.billing.models import CreditNote, Invoice, InvoiceLine, InvoiceStatus, Service
from apps.billing.money import invoice_totals
from apps.billing.selectors import collections, revenue_by_day, unbilled_items, unpaid_total
from apps.billing.services import (
    ServiceLine,
    billable_withdraw,
    invoice_add_service,
    invoice_cancel,
    invoice_create,
    invoice_credit,
    invoice_issue,
    invoice_remove_line,
    invoice_set_discount,
    invoice_write_off,
    item_key,
    payment_record,
    service_create,
    service_update,
)
from apps.billing.tests.conftest import FakeSource
from apps.core import billable
from apps.core.exceptions import Conflict, ValidationError
from apps.core.money import line_amount
from apps.core.testing import run_at_once
from apps.numbering.models import DocumentSeries
from apps.patients.models import Patient
from apps.patients.tests.factories import register
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital


@pytest.fixture
def patient(hospital_a: Hospital) -> Patient:
    return register(hospital_a)


@pytest.fixture
def in_a(hospital_a: Hospital):
    with tenant_context(hospital_a):
        yield hospital_a


def D(value: str) -> Decimal:
    return Decimal(value)


def issued_invoice(hospital: Hospital, work: FakeSource, patient: Patient, *prices: str) -> Invoice:
    items = [work.add(patient, f"Item {n}", price) for n, price in enumerate(prices or ["100.00"])]
    invoice = invoice_create(patient=patient, item_keys=[item_key(i) for i in items])
    return invoice_issue(hospital=hospital, invoice=invoice)


# -- money arithmetic ---------------------------------------------------------------------


def test_a_line_is_quantity_times_price_rounded_half_up_to_the_cent() -> None:
    assert line_amount(quantity=D("3"), unit_price=D("0.335")) == D("1.01")  # 1.005 → 1.01
    assert line_amount(quantity=D("2.5"), unit_price=D("3.33")) == D("8.33")  # 8.325 → 8.33
    assert line_amount(quantity=D("1"), unit_price=D("40")) == D("40.00")


def test_a_percent_discount_rounds_half_up_and_comes_off_the_subtotal() -> None:
    totals = invoice_totals(line_amounts=[D("10.05")], kind="percent", value=D("10"))
    assert (totals.subtotal, totals.discount, totals.total) == (D("10.05"), D("1.01"), D("9.04"))


def test_an_amount_discount_is_never_more_than_the_subtotal() -> None:
    totals = invoice_totals(line_amounts=[D("30.00"), D("5.50")], kind="amount", value=D("50"))
    assert (totals.subtotal, totals.discount, totals.total) == (D("35.50"), D("35.50"), D("0.00"))
    plain = invoice_totals(line_amounts=[D("30.00")], kind="none", value=D("7"))
    assert plain.total == D("30.00")


# -- price list ---------------------------------------------------------------------------


def test_price_list_services_get_an_upper_case_unique_code(in_a: Hospital) -> None:
    ecg = service_create(code=" ecg ", name="ECG", price=D("25.00"))
    assert ecg.code == "ECG"
    with pytest.raises(ValidationError) as error:
        service_create(code="ECG", name="Another", price=D("1"))
    assert error.value.field == "code"
    other = service_create(code="DRS", name="Dressing", price=D("8"))
    with pytest.raises(ValidationError):
        service_update(service=other, code="ecg", name="Dressing", price=D("8"), is_active=True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"price": D("-1")}, "price"), ({"price": D("1.234")}, "price"), ({"name": " "}, "name")],
)
def test_a_service_with_a_bad_price_or_no_name_is_refused(
    in_a: Hospital, changes: dict, field: str
) -> None:
    values = {"code": "X1", "name": "X-ray", "price": D("10"), **changes}
    with pytest.raises(ValidationError) as error:
        service_create(**values)
    assert error.value.field == field
    assert not Service.objects.exists()


# -- drafts -------------------------------------------------------------------------------


def test_an_invoice_is_made_of_chosen_items_and_price_list_services(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    visit = work.add(patient, "Consultation — Dr Məmmədova", "40.00")
    work.add(patient, "Not chosen", "99.00")
    dressing = service_create(code="DRS", name="Dressing", price=D("7.50"))
    invoice = invoice_create(
        patient=patient,
        item_keys=[item_key(visit)],
        service_lines=[ServiceLine(dressing, D("2"))],
    )
    assert invoice.status == InvoiceStatus.DRAFT and invoice.number is None
    lines = list(invoice.lines.order_by("amount"))
    assert [(line.description, line.amount) for line in lines] == [
        ("Dressing", D("15.00")),
        ("Consultation — Dr Məmmədova", D("40.00")),
    ]
    assert (lines[1].source, lines[1].reference) == ("fake.work", visit.reference)
    assert invoice.subtotal == invoice.total == D("55.00")
    assert [item.description for item in unbilled_items(patient_id=patient.pk)] == ["Not chosen"]


def test_an_invoice_needs_at_least_one_item(in_a: Hospital, patient: Patient) -> None:
    with pytest.raises(ValidationError) as error:
        invoice_create(patient=patient)
    assert error.value.field == "items"


def test_another_patients_item_or_one_withdrawn_meanwhile_is_refused(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    stranger = register(in_a, first_name="Samir")
    theirs = work.add(stranger)
    with pytest.raises(ValidationError):
        invoice_create(patient=patient, item_keys=[item_key(theirs)])
    gone = work.add(patient)
    work.withdraw(gone)
    with pytest.raises(ValidationError):
        invoice_create(patient=patient, item_keys=[item_key(gone)])
    assert not Invoice.objects.exists()


def test_an_item_on_a_live_invoice_line_cannot_be_invoiced_again(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    visit = work.add(patient, "Consultation")
    first = invoice_issue(
        hospital=in_a, invoice=invoice_create(patient=patient, item_keys=[item_key(visit)])
    )
    with pytest.raises(Conflict) as error:
        invoice_create(patient=patient, item_keys=[item_key(visit)])
    assert f"{first.number}" in error.value.message
    assert Invoice.objects.count() == 1


def test_the_database_keeps_an_item_on_one_live_line_only(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    visit = work.add(patient)
    invoice = invoice_create(patient=patient, item_keys=[item_key(visit)])
    line = invoice.lines.get()
    copy = {"source": line.source, "reference": line.reference, "description": "again"}
    with pytest.raises(IntegrityError):
        InvoiceLine.objects.create(invoice=invoice, quantity=1, unit_price=1, amount=1, **copy)
    # once released (the invoice cancelled), the same item may be invoiced again
    invoice_cancel(invoice=invoice, reason="")
    assert invoice_create(patient=patient, item_keys=[item_key(visit)]).total == D("40.00")


def test_two_cashiers_invoicing_the_same_items_at_once_make_one_invoice(
    hospital_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    items = [work.add(patient, f"Item {n}") for n in range(5)]
    keys = [item_key(item) for item in items]
    cashiers = 4

    def cashier() -> Invoice:
        return invoice_create(patient=patient, item_keys=keys)

    with tenant_context(hospital_a):
        outcomes = run_at_once(*[cashier] * cashiers)
    refused = [outcome.refused(Conflict) for outcome in outcomes]
    assert (refused.count(False), refused.count(True)) == (1, cashiers - 1)
    with tenant_context(hospital_a):
        assert Invoice.objects.count() == 1
        assert InvoiceLine.objects.filter(is_live=True).count() == 5


def test_drafts_take_services_and_lose_lines_with_totals_recomputed(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    visit = work.add(patient, unit_price="40.00")
    invoice = invoice_create(patient=patient, item_keys=[item_key(visit)])
    ecg = service_create(code="ECG", name="ECG", price=D("25.00"))
    invoice = invoice_add_service(invoice=invoice, line=ServiceLine(ecg, D("1")))
    assert invoice.total == D("65.00")
    invoice = invoice_remove_line(invoice=invoice, line_id=invoice.lines.get(source="").pk)
    assert invoice.total == D("40.00")
    with pytest.raises(ValidationError):
        invoice_remove_line(invoice=invoice, line_id=987654)
    ecg.is_active = False
    ecg.save()
    with pytest.raises(ValidationError) as error:
        invoice_add_service(invoice=invoice, line=ServiceLine(ecg, D("1")))
    assert error.value.field == "service"
    with pytest.raises(ValidationError) as error:
        invoice_add_service(
            invoice=invoice,
            line=ServiceLine(service_create(code="B", name="B", price=D("1")), D("0")),
        )
    assert error.value.field == "quantity"


def test_a_discount_is_a_percent_or_an_amount_with_a_reason(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    items = [work.add(patient, unit_price="33.35"), work.add(patient, unit_price="16.70")]
    invoice = invoice_create(patient=patient, item_keys=[item_key(i) for i in items])
    assert invoice.subtotal == D("50.05")
    invoice = invoice_set_discount(invoice=invoice, kind="percent", value=D("15"), reason="Staff")
    assert (invoice.discount, invoice.total) == (D("7.51"), D("42.54"))  # 7.5075 → 7.51
    invoice = invoice_set_discount(invoice=invoice, kind="amount", value=D("10"), reason="Loyal")
    assert (invoice.discount, invoice.total) == (D("10.00"), D("40.05"))
    invoice = invoice_set_discount(invoice=invoice, kind="none", value=D("0"), reason="")
    assert (invoice.discount, invoice.total, invoice.discount_reason) == (D("0"), D("50.05"), "")


@pytest.mark.parametrize(
    ("kind", "value", "reason", "field"),
    [
        ("percent", "101", "x", "discount_value"),
        ("percent", "0", "x", "discount_value"),
        ("amount", "50.06", "x", "discount_value"),
        ("amount", "1.001", "x", "discount_value"),
        ("amount", "5", " ", "discount_reason"),
        ("bribe", "5", "x", "discount_kind"),
    ],
)
def test_a_discount_out_of_range_or_without_a_reason_is_refused(
    in_a: Hospital, work: FakeSource, patient: Patient, kind, value, reason, field
) -> None:
    invoice = invoice_create(
        patient=patient, item_keys=[item_key(work.add(patient, unit_price="50.05"))]
    )
    with pytest.raises(ValidationError) as error:
        invoice_set_discount(invoice=invoice, kind=kind, value=D(value), reason=reason)
    assert error.value.field == field
    invoice.refresh_from_db()
    assert invoice.total == D("50.05")


def test_a_line_removed_below_an_amount_discount_cuts_the_discount_to_the_subtotal(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    big, small = work.add(patient, unit_price="80"), work.add(patient, unit_price="20")
    invoice = invoice_create(patient=patient, item_keys=[item_key(big), item_key(small)])
    invoice = invoice_set_discount(invoice=invoice, kind="amount", value=D("50"), reason="Hardship")
    invoice = invoice_remove_line(invoice=invoice, line_id=invoice.lines.get(amount=80).pk)
    assert (invoice.subtotal, invoice.discount, invoice.total) == (D("20"), D("20"), D("0"))


# -- issue, pay, write off ------------------------------------------------------------------


def test_issuing_numbers_the_invoice_and_freezes_it(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    year = timezone.localdate().year
    first = issued_invoice(in_a, work, patient)
    second = issued_invoice(in_a, work, patient)
    assert first.number == f"{in_a.code}-INV-{year}-000001"
    assert second.number == f"{in_a.code}-INV-{year}-000002"
    assert first.status == InvoiceStatus.ISSUED and first.issued_at is not None
    ecg = service_create(code="ECG", name="ECG", price=D("25.00"))
    for change in (
        lambda: invoice_add_service(invoice=first, line=ServiceLine(ecg)),
        lambda: invoice_remove_line(invoice=first, line_id=first.lines.get().pk),
        lambda: invoice_set_discount(invoice=first, kind="amount", value=D("1"), reason="x"),
        lambda: invoice_issue(hospital=in_a, invoice=first),
    ):
        with pytest.raises(Conflict):
            change()
    first.refresh_from_db()
    assert (first.total, first.lines.count(), first.number) == (
        D("100"),
        1,
        f"{in_a.code}-INV-{year}-000001",
    )


def test_a_draft_whose_work_was_withdrawn_meanwhile_cannot_be_issued(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    visit = work.add(patient, "Consultation")
    invoice = invoice_create(patient=patient, item_keys=[item_key(visit)])
    work.withdraw(visit)
    with pytest.raises(Conflict, match="Consultation is no longer chargeable"):
        invoice_issue(hospital=in_a, invoice=invoice)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT and invoice.number is None


def test_partial_payments_then_the_rest_settle_the_invoice_with_a_receipt_each(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    invoice = issued_invoice(in_a, work, patient, "60.00", "40.50")
    first = payment_record(hospital=in_a, invoice=invoice, method="cash", amount=D("50.00"))
    assert first.invoice.status == InvoiceStatus.PARTLY_PAID
    assert first.invoice.balance == D("50.50")
    with pytest.raises(ValidationError, match="more than the balance") as error:
        payment_record(hospital=in_a, invoice=invoice, method="card", amount=D("50.51"))
    assert error.value.field == "amount"
    second = payment_record(hospital=in_a, invoice=invoice, method="card", amount=D("50.50"))
    assert second.invoice.status == InvoiceStatus.PAID and second.invoice.balance == 0
    year = timezone.localdate().year
    assert [first.receipt_number, second.receipt_number] == [
        f"{in_a.code}-RCT-{year}-000001",
        f"{in_a.code}-RCT-{year}-000002",
    ]
    with pytest.raises(Conflict):
        payment_record(hospital=in_a, invoice=invoice, method="cash", amount=D("1"))


@pytest.mark.parametrize(
    ("method", "amount", "field"),
    [
        ("cash", "0", "amount"),
        ("cash", "-5", "amount"),
        ("cash", "1.005", "amount"),
        ("iou", "5", "method"),
    ],
)
def test_a_payment_of_nothing_or_by_an_unknown_method_is_refused(
    in_a: Hospital, work: FakeSource, patient: Patient, method, amount, field
) -> None:
    invoice = issued_invoice(in_a, work, patient)
    with pytest.raises(ValidationError) as error:
        payment_record(hospital=in_a, invoice=invoice, method=method, amount=D(amount))
    assert error.value.field == field
    assert not invoice.payments.exists()


def test_a_draft_takes_no_payment(in_a: Hospital, work: FakeSource, patient: Patient) -> None:
    invoice = invoice_create(patient=patient, item_keys=[item_key(work.add(patient))])
    with pytest.raises(Conflict):
        payment_record(hospital=in_a, invoice=invoice, method="cash", amount=D("1"))


def test_paid_plus_written_off_never_exceed_the_total(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    invoice = issued_invoice(in_a, work, patient, "100.00")
    payment_record(hospital=in_a, invoice=invoice, method="insurance", amount=D("70.00"))
    with pytest.raises(ValidationError, match="more than the balance"):
        invoice_write_off(invoice=invoice, amount=D("30.01"), reason="Insurer cap")
    with pytest.raises(ValidationError) as error:
        invoice_write_off(invoice=invoice, amount=D("5"), reason=" ")
    assert error.value.field == "reason"
    invoice = invoice_write_off(invoice=invoice, amount=D("10.00"), reason="Insurer cap")
    assert (invoice.status, invoice.balance) == (InvoiceStatus.PARTLY_PAID, D("20.00"))
    invoice = invoice_write_off(invoice=invoice, amount=D("20.00"), reason="Hardship")
    assert invoice.status == InvoiceStatus.PAID
    assert (invoice.paid, invoice.written_off, invoice.total) == (D("70"), D("30"), D("100"))
    assert [(w.amount, w.reason) for w in invoice.write_offs.all()] == [
        (D("10.00"), "Insurer cap"),
        (D("20.00"), "Hardship"),
    ]


def test_a_fully_discounted_invoice_is_settled_when_issued(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    invoice = invoice_create(patient=patient, item_keys=[item_key(work.add(patient))])
    invoice_set_discount(invoice=invoice, kind="percent", value=D("100"), reason="Charity")
    assert invoice_issue(hospital=in_a, invoice=invoice).status == InvoiceStatus.PAID


def test_two_cashiers_paying_the_same_balance_at_once_take_it_once(
    hospital_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    with tenant_context(hospital_a):
        invoice = issued_invoice(hospital_a, work, patient, "100.00")

    def cashier() -> None:
        payment_record(hospital=hospital_a, invoice=invoice, method="cash", amount=D("100"))

    with tenant_context(hospital_a):
        paying = run_at_once(cashier, cashier, cashier)
    outcomes = [
        "refused" if outcome.refused(Conflict, ValidationError) else "paid" for outcome in paying
    ]
    assert sorted(outcomes) == ["paid", "refused", "refused"]
    with tenant_context(hospital_a):
        invoice.refresh_from_db()
        assert (invoice.paid, invoice.payments.count()) == (D("100"), 1)


# -- cancel and credit ------------------------------------------------------------------------


def test_an_issued_invoice_without_money_is_cancelled_with_a_reason_and_its_items_freed(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    invoice = issued_invoice(in_a, work, patient)
    with pytest.raises(ValidationError) as error:
        invoice_cancel(invoice=invoice, reason="  ")
    assert error.value.field == "reason"
    invoice = invoice_cancel(invoice=invoice, reason="Wrong patient")
    assert (invoice.status, invoice.cancel_reason) == (InvoiceStatus.CANCELLED, "Wrong patient")
    assert invoice.number  # keeps its number
    assert len(unbilled_items(patient_id=patient.pk)) == 1
    with pytest.raises(Conflict):
        invoice_cancel(invoice=invoice, reason="again")


def test_an_invoice_with_money_received_is_credited_not_cancelled(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    invoice = issued_invoice(in_a, work, patient, "100.00")
    payment_record(hospital=in_a, invoice=invoice, method="cash", amount=D("30"))
    with pytest.raises(Conflict, match="credit note"):
        invoice_cancel(invoice=invoice, reason="Wrong patient")
    note = invoice_credit(hospital=in_a, invoice=invoice, reason="Wrong patient")
    assert note.number == f"{in_a.code}-CRN-{timezone.localdate().year}-000001"
    assert (note.amount, note.refund_due) == (D("100"), D("30"))
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CREDITED
    assert len(unbilled_items(patient_id=patient.pk)) == 1
    with pytest.raises(Conflict):
        invoice_credit(hospital=in_a, invoice=invoice, reason="again")
    assert CreditNote.objects.count() == 1


def test_a_draft_cannot_be_credited_and_a_credit_needs_a_reason(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    draft = invoice_create(patient=patient, item_keys=[item_key(work.add(patient))])
    with pytest.raises(Conflict):
        invoice_credit(hospital=in_a, invoice=draft, reason="x")
    with pytest.raises(ValidationError):
        invoice_credit(hospital=in_a, invoice=draft, reason="")


# -- withdrawn work -----------------------------------------------------------------------------


def test_withdrawn_work_leaves_an_unpaid_draft(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    visit, lab = work.add(patient, unit_price="40"), work.add(patient, unit_price="15")
    invoice = invoice_create(patient=patient, item_keys=[item_key(visit), item_key(lab)])
    billable_withdraw(source=visit.source, reference=visit.reference)
    invoice.refresh_from_db()
    assert (invoice.lines.count(), invoice.total) == (1, D("15"))
    billable_withdraw(source="fake.work", reference="never-invoiced")  # nothing to do


def test_withdrawing_work_on_an_issued_invoice_is_refused_naming_the_credit_note(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    invoice = issued_invoice(in_a, work, patient)
    line = invoice.lines.get()
    with pytest.raises(Conflict, match=f"{invoice.number}.*credit note"):
        billable_withdraw(source=line.source, reference=line.reference)
    invoice_credit(hospital=in_a, invoice=invoice, reason="Visit cancelled")
    billable_withdraw(source=line.source, reference=line.reference)  # now free to go


def test_cancelling_an_appointment_goes_through_billings_handler(
    hospital_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    """The real appointments transition calls the handler billing registered in ready()."""
    doctor = make_doctor(hospital_a)
    on_draft = make_appointment(hospital_a, doctor=doctor, patient=patient)
    on_issued = make_appointment(
        hospital_a, doctor=doctor, patient=patient, day=timezone.localdate() + timedelta(days=1)
    )
    work.key = CONSULTATION_SOURCE
    with tenant_context(hospital_a):
        draft_item = work.add(patient, reference=str(on_draft.pk))
        issued_item = work.add(patient, reference=str(on_issued.pk))
        draft = invoice_create(patient=patient, item_keys=[item_key(draft_item)])
        issued = invoice_issue(
            hospital=hospital_a,
            invoice=invoice_create(patient=patient, item_keys=[item_key(issued_item)]),
        )
        appointment_cancel(appointment=on_draft, reason="Patient called")
        assert not draft.lines.exists()
        with pytest.raises(Conflict, match="credit note"):
            appointment_cancel(appointment=on_issued, reason="Patient called")
        on_issued.refresh_from_db()
        assert on_issued.status == "scheduled"  # rolled back with the refusal
        assert issued.lines.get().is_live


def test_billing_registers_its_withdraw_handler() -> None:
    assert billable_withdraw in billable.withdraw_handlers()


# -- collections and revenue --------------------------------------------------------------------


def test_collections_sum_each_day_by_method_and_cashier(
    in_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    cashier, other = uuid.uuid4(), uuid.uuid4()
    invoice = issued_invoice(in_a, work, patient, "500.00")
    today = timezone.localdate()
    yesterday_noon = timezone.make_aware(
        datetime.combine(today - timedelta(days=1), datetime.min.time())
    ) + timedelta(hours=12)
    for method, amount, by, at in [
        ("cash", "10.00", cashier, yesterday_noon),
        ("cash", "20.00", cashier, None),
        ("cash", "5.00", other, None),
        ("card", "30.00", cashier, None),
    ]:
        payment_record(
            hospital=in_a,
            invoice=invoice,
            method=method,
            amount=D(amount),
            received_by_id=by,
            at=at,
        )
    today_only = collections(start=today, end=today)
    assert today_only.total == D("55.00") and today_only.count == 3
    assert today_only.by_method == {"Cash": D("25.00"), "Card": D("30.00")}
    assert today_only.by_cashier == {cashier: D("50.00"), other: D("5.00")}
    both = collections(start=today - timedelta(days=1), end=today)
    assert [day.day for day in both.days] == [today - timedelta(days=1), today]
    assert both.days[0].rows == [("Cash", cashier, D("10.00"), 1)]
    assert both.total == D("65.00")
    revenue = revenue_by_day(start=today - timedelta(days=2), end=today)
    assert list(revenue.values()) == [D("0"), D("10.00"), D("55.00")]
    assert unpaid_total() == D("435.00")


def test_collections_of_a_range_without_payments_are_empty(in_a: Hospital) -> None:
    empty = collections(start=date(2020, 1, 1), end=date(2020, 1, 31))
    assert (empty.days, empty.total, empty.count) == ([], D("0"), 0)


def test_two_cashiers_issuing_one_draft_at_once_number_it_once(
    hospital_a: Hospital, work: FakeSource, patient: Patient
) -> None:
    with tenant_context(hospital_a):
        invoice = invoice_create(patient=patient, item_keys=[item_key(work.add(patient))])

    def cashier() -> str:
        return str(invoice_issue(hospital=hospital_a, invoice=invoice).number)

    with tenant_context(hospital_a):
        issuing = run_at_once(cashier, cashier, cashier)
    outcomes = ["refused" if outcome.refused(Conflict) else outcome.result for outcome in issuing]
    number = f"{hospital_a.code}-INV-{timezone.localdate().year}-000001"
    assert sorted(outcomes) == [number, "refused", "refused"]
    with tenant_context(hospital_a):
        assert DocumentSeries.objects.get(kind="INV").last_value == 1
