from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.appointments.tests.factories import make_appointment, make_doctor
from apps.appointments.transitions import appointment_cancel
from apps.core import billable
from apps.core.exceptions import Conflict, ValidationError
from apps.core.testing import run_at_once
from apps.laboratory.catalogue import age_days, seed
from apps.laboratory.models import (
    Flag,
    LabOrder,
    LabPanel,
    LabResult,
    LabTest,
    OrderStatus,
    ReferenceRange,
)
from apps.laboratory.services import (
    LAB_TEST_SOURCE,
    InvalidResults,
    lab_order_approve,
    lab_order_cancel,
    lab_order_collect,
    lab_result_amend,
    lab_results_record,
    lab_results_submit,
    lab_settings_update,
    reference_range_for,
    result_field,
)
from apps.laboratory.tests.conftest import born_years_ago, patient_of, place
from apps.tenancy.context import tenant_context
from apps.tenancy.models import Hospital
from conftest import make_user


def results_of(order: LabOrder) -> dict[str, LabResult]:
    return {r.test.code: r for r in order.results.select_related("test")}


def values(order: LabOrder, **by_code: str) -> dict[str, str]:
    results = results_of(order)
    return {result_field(results[code]): value for code, value in by_code.items()}


NORMAL_CBC = {"HGB": "14.2", "HCT": "44", "RBC": "5.0", "WBC": "6.1", "PLT": "250", "MCV": "90"}


def collected_cbc(hospital: Hospital, user: User, **patient: object) -> LabOrder:
    order = place(hospital, patient_of(hospital, **patient), user=user)  # type: ignore[arg-type]
    with tenant_context(hospital):
        return lab_order_collect(order=order, user=user)


# -- catalogue ------------------------------------------------------------------------------


def test_a_new_hospital_has_the_starter_catalogue_with_a_blood_count_panel(in_a: Hospital) -> None:
    cbc = LabPanel.objects.get(code="CBC")
    assert [c.test.code for c in cbc.components.select_related("test")] == [
        "HGB",
        "HCT",
        "RBC",
        "WBC",
        "PLT",
        "MCV",
    ]
    haemoglobin = LabTest.objects.get(code="HGB")
    assert haemoglobin.unit == "g/dL" and haemoglobin.sample_type == "whole_blood"
    adult_men = haemoglobin.ranges.get(sex="male", age_min_days=age_days("18y"))
    assert (adult_men.low, adult_men.high) == (Decimal("13.5"), Decimal("17.5"))
    assert LabTest.objects.filter(code__in=["GLU", "CREA", "ALT"]).count() == 3


def test_seeding_again_adds_nothing_and_keeps_the_hospitals_prices(in_a: Hospital) -> None:
    tests, ranges = LabTest.objects.count(), ReferenceRange.objects.count()
    LabTest.objects.filter(code="HGB").update(price=Decimal("7.50"), name="Old name")
    LabPanel.objects.filter(code="CBC").update(is_active=False)
    result = seed(update_existing=True)
    assert result["created"] == 0
    assert (LabTest.objects.count(), ReferenceRange.objects.count()) == (tests, ranges)
    haemoglobin = LabTest.objects.get(code="HGB")
    assert haemoglobin.price == Decimal("7.50") and haemoglobin.name == "Haemoglobin"
    assert LabPanel.objects.get(code="CBC").is_active is False


def test_a_test_the_hospital_made_itself_is_not_touched_by_a_sync(in_a: Hospital) -> None:
    LabTest.objects.filter(code="CRP").update(is_canonical=False, unit="mg/dL")
    seed(update_existing=True)
    assert LabTest.objects.get(code="CRP").unit == "mg/dL"


def test_ages_in_the_catalogue_are_read_as_days_or_years() -> None:
    assert age_days("30d") == 30 and age_days("18y") == 6575 and age_days(None) is None
    with pytest.raises(ValueError):
        age_days("18 years")


# -- ranges and flags -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sex", "years", "expected"),
    [
        ("male", 40, ("13.5", "17.5")),
        ("female", 40, ("12.0", "15.5")),
        ("female", 15, ("12.0", "16.0")),
        ("male", 5, ("11.0", "14.5")),
        ("other", 5, ("11.0", "14.5")),
    ],
)
def test_the_haemoglobin_range_depends_on_sex_and_age(
    in_a: Hospital, sex: str, years: int, expected: tuple[str, str]
) -> None:
    haemoglobin = LabTest.objects.get(code="HGB")
    found = reference_range_for(
        ranges=haemoglobin.ranges.all(), sex=sex, age_days=age_days(f"{years}y") or 0
    )
    assert found is not None
    assert (found.low, found.high) == (Decimal(expected[0]), Decimal(expected[1]))


def test_a_newborn_gets_the_newborn_range_and_an_adult_of_unknown_sex_none(
    in_a: Hospital,
) -> None:
    ranges = list(LabTest.objects.get(code="HGB").ranges.all())
    newborn = reference_range_for(ranges=ranges, sex="female", age_days=3)
    assert newborn is not None and newborn.low == Decimal("14.0")
    assert reference_range_for(ranges=ranges, sex="unknown", age_days=age_days("40y") or 0) is None


def test_a_band_starts_on_its_first_day_and_ends_before_its_last(in_a: Hospital) -> None:
    ranges = list(LabTest.objects.get(code="HGB").ranges.all())
    last_newborn_day = reference_range_for(ranges=ranges, sex="male", age_days=29)
    first_infant_day = reference_range_for(ranges=ranges, sex="male", age_days=30)
    assert last_newborn_day is not None and last_newborn_day.low == Decimal("14.0")
    assert first_infant_day is not None and first_infant_day.low == Decimal("9.5")


def test_the_same_haemoglobin_is_high_for_a_woman_and_normal_for_a_man(
    hospital_a: Hospital, technician_a: User
) -> None:
    woman = collected_cbc(hospital_a, technician_a, sex="female")
    man = collected_cbc(hospital_a, technician_a, sex="male")
    with tenant_context(hospital_a):
        lab_results_record(order=woman, values=values(woman, HGB="16.0"), user=technician_a)
        lab_results_record(order=man, values=values(man, HGB="16.0"), user=technician_a)
        assert results_of(woman)["HGB"].flag == Flag.HIGH
        hgb = results_of(man)["HGB"]
        assert hgb.flag == Flag.NORMAL
        assert (hgb.reference_low, hgb.reference_high) == (Decimal("13.5"), Decimal("17.5"))


def test_a_white_count_normal_for_a_child_is_high_for_an_adult(
    hospital_a: Hospital, technician_a: User
) -> None:
    child = collected_cbc(hospital_a, technician_a, born=born_years_ago(5))
    adult = collected_cbc(hospital_a, technician_a, born=born_years_ago(30))
    with tenant_context(hospital_a):
        lab_results_record(order=child, values=values(child, WBC="13.0"), user=technician_a)
        lab_results_record(order=adult, values=values(adult, WBC="13.0"), user=technician_a)
        assert results_of(child)["WBC"].flag == Flag.NORMAL
        assert results_of(adult)["WBC"].flag == Flag.HIGH


def test_low_values_are_flagged_low_and_a_comma_is_read_as_a_decimal_point(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = collected_cbc(hospital_a, technician_a)
    with tenant_context(hospital_a):
        lab_results_record(
            order=order, values=values(order, PLT="95", HGB="9,8"), user=technician_a
        )
        results = results_of(order)
    assert results["PLT"].flag == Flag.LOW
    assert results["HGB"].value == "9.8" and results["HGB"].flag == Flag.LOW


def test_a_value_outside_the_plausible_limits_is_refused_next_to_its_field_and_nothing_is_saved(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = collected_cbc(hospital_a, technician_a)
    typed = values(order, HGB="145", WBC="6.1", PLT="lots")
    with tenant_context(hospital_a), pytest.raises(InvalidResults) as refused:
        lab_results_record(order=order, values=typed, user=technician_a)
    hgb_field = result_field(results_of(order)["HGB"])
    plt_field = result_field(results_of(order)["PLT"])
    assert "highest plausible value" in refused.value.errors[hgb_field]
    assert "Enter a number" in refused.value.errors[plt_field]
    with tenant_context(hospital_a):
        assert results_of(order)["WBC"].value == ""


def test_a_descriptive_test_takes_text_without_a_flag(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = place(hospital_a, patient_of(hospital_a), panels=(), tests=("ABORH",))
    with tenant_context(hospital_a):
        lab_order_collect(order=order, user=technician_a)
        lab_results_record(order=order, values=values(order, ABORH="O Rh+"), user=technician_a)
        result = results_of(order)["ABORH"]
    assert result.value == "O Rh+" and result.flag == Flag.NONE


# -- placing orders ---------------------------------------------------------------------------


def test_an_order_gets_a_lab_number_and_a_result_row_for_each_component(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = place(hospital_a, patient_of(hospital_a), tests=("GLU",), user=technician_a)
    year = timezone.localdate().year
    assert order.number == f"{hospital_a.code}-LAB-{year}-000001"
    with tenant_context(hospital_a):
        assert sorted(results_of(order)) == sorted([*NORMAL_CBC, "GLU"])
        assert [line.description for line in order.lines.all()] == [
            "Complete blood count",
            "Glucose, fasting",
        ]
        assert order.ordered_by_id == technician_a.pk and order.status == OrderStatus.ORDERED


def test_a_test_already_in_a_chosen_panel_cannot_be_ordered_again(hospital_a: Hospital) -> None:
    with pytest.raises(ValidationError) as refused:
        place(hospital_a, patient_of(hospital_a), tests=("HGB",))
    assert refused.value.field == "items" and "already in Complete blood count" in str(
        refused.value
    )
    with pytest.raises(ValidationError, match="at least one"):
        place(hospital_a, patient_of(hospital_a), panels=())
    with tenant_context(hospital_a):
        assert not LabOrder.objects.exists()


def test_an_order_from_a_consultation_is_the_appointments_patient_and_doctor(
    hospital_a: Hospital,
) -> None:
    doctor = make_doctor(hospital_a)
    appointment = make_appointment(hospital_a, doctor=doctor)
    order = place(hospital_a, appointment.patient, appointment=appointment)
    assert order.appointment_id == appointment.pk and order.ordering_doctor_id == doctor.pk
    with pytest.raises(ValidationError) as refused:
        place(hospital_a, patient_of(hospital_a), appointment=appointment)
    assert refused.value.field == "appointment"


def test_no_tests_are_ordered_in_a_cancelled_appointment(hospital_a: Hospital) -> None:
    appointment = make_appointment(hospital_a, doctor=make_doctor(hospital_a))
    with tenant_context(hospital_a):
        appointment_cancel(appointment=appointment, reason="Patient called")
    with pytest.raises(ValidationError, match="Cancelled"):
        place(hospital_a, appointment.patient, appointment=appointment)


# -- approval, locking, amendments ------------------------------------------------------------


def test_whoever_entered_the_results_cannot_approve_them_a_second_person_can(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> None:
    order = collected_cbc(hospital_a, technician_a)
    with tenant_context(hospital_a):
        lab_results_submit(order=order, values=values(order, **NORMAL_CBC), user=technician_a)
        assert order.status == OrderStatus.RESULTED
        with pytest.raises(ValidationError, match="second person"):
            lab_order_approve(order=order, user=technician_a)
        lab_order_approve(order=order, user=second_technician_a)
    assert order.status == OrderStatus.APPROVED
    assert order.approved_by_id == second_technician_a.pk and order.approved_at is not None


def test_without_the_second_person_rule_submitting_approves(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = collected_cbc(hospital_a, technician_a)
    with tenant_context(hospital_a):
        lab_settings_update(approval_required=False)
        lab_results_submit(order=order, values=values(order, **NORMAL_CBC), user=technician_a)
    assert order.status == OrderStatus.APPROVED and order.approved_by_id == technician_a.pk


def test_results_cannot_be_submitted_with_one_missing(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = collected_cbc(hospital_a, technician_a)
    partial = dict(NORMAL_CBC)
    del partial["PLT"]
    with tenant_context(hospital_a), pytest.raises(InvalidResults) as refused:
        lab_results_submit(order=order, values=values(order, **partial), user=technician_a)
    with tenant_context(hospital_a):
        assert list(refused.value.errors) == [result_field(results_of(order)["PLT"])]
        order.refresh_from_db()
    assert order.status == OrderStatus.COLLECTED


def test_submitted_results_are_locked_and_an_approved_one_is_amended_keeping_the_original(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> None:
    order = collected_cbc(hospital_a, technician_a)
    with tenant_context(hospital_a):
        lab_results_submit(order=order, values=values(order, **NORMAL_CBC), user=technician_a)
        with pytest.raises(Conflict, match="locked"):
            lab_results_record(order=order, values=values(order, HGB="18"), user=technician_a)
        hgb = results_of(order)["HGB"]
        with pytest.raises(Conflict, match="approved"):
            lab_result_amend(result=hgb, value="18.9", reason="Re-run", user=technician_a)
        lab_order_approve(order=order, user=second_technician_a)
        with pytest.raises(InvalidResults) as refused:
            lab_result_amend(result=hgb, value="18.9", reason=" ", user=technician_a)
        assert set(refused.value.errors) == {"reason"}
        lab_result_amend(result=hgb, value="18.9", reason="Analyser re-run", user=technician_a)
        hgb = results_of(order)["HGB"]
        amendment = hgb.amendments.get()
    assert (hgb.value, hgb.flag) == ("18.9", Flag.HIGH) and hgb.amended_at is not None
    assert (amendment.previous_value, amendment.previous_flag) == ("14.2", Flag.NORMAL)
    assert amendment.reason == "Analyser re-run" and amendment.amended_by_id == technician_a.pk
    assert hgb.entered_by_id == technician_a.pk


def test_an_amendment_is_checked_like_any_result(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> None:
    order = collected_cbc(hospital_a, technician_a)
    with tenant_context(hospital_a):
        lab_results_submit(order=order, values=values(order, **NORMAL_CBC), user=technician_a)
        lab_order_approve(order=order, user=second_technician_a)
        hgb = results_of(order)["HGB"]
        with pytest.raises(InvalidResults) as refused:
            lab_result_amend(result=hgb, value="300", reason="typo", user=technician_a)
        assert "plausible" in refused.value.errors["value"]
        assert not hgb.amendments.exists()


# -- forward only -------------------------------------------------------------------------------


def test_an_order_moves_forward_only(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> None:
    order = place(hospital_a, patient_of(hospital_a))
    with tenant_context(hospital_a):
        with pytest.raises(Conflict):
            lab_results_record(order=order, values=values(order, HGB="14"), user=technician_a)
        with pytest.raises(Conflict):
            lab_order_approve(order=order, user=second_technician_a)
        lab_order_collect(order=order, user=technician_a)
        assert order.collected_by_id == technician_a.pk and order.collected_at is not None
        with pytest.raises(Conflict):
            lab_order_collect(order=order, user=technician_a)
        lab_results_submit(order=order, values=values(order, **NORMAL_CBC), user=technician_a)
        with pytest.raises(Conflict):
            lab_order_cancel(order=order, user=technician_a, reason="Too late")
        lab_order_approve(order=order, user=second_technician_a)
        with pytest.raises(Conflict):
            lab_order_approve(order=order, user=second_technician_a)
    assert order.status == OrderStatus.APPROVED


def test_a_sample_cannot_be_collected_in_the_future(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = place(hospital_a, patient_of(hospital_a))
    with tenant_context(hospital_a), pytest.raises(ValidationError, match="future"):
        lab_order_collect(order=order, user=technician_a, at=timezone.now() + timedelta(hours=1))


def test_a_cancel_needs_a_reason_and_withdraws_the_tests_from_billing(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = place(hospital_a, patient_of(hospital_a), tests=("GLU",))
    withdrawn: list[tuple[str, str]] = []

    def handler(*, source: str, reference: str) -> None:
        withdrawn.append((source, reference))

    billable.register_withdraw_handler(handler)
    try:
        with tenant_context(hospital_a):
            with pytest.raises(ValidationError):
                lab_order_cancel(order=order, user=technician_a, reason="  ")
            lab_order_cancel(order=order, user=technician_a, reason="Patient left")
            lines = {str(line.pk) for line in order.lines.all()}
    finally:
        billable.unregister_withdraw_handler(handler)
    assert order.status == OrderStatus.CANCELLED and order.cancel_reason == "Patient left"
    assert {(LAB_TEST_SOURCE, line) for line in lines} == set(withdrawn)


def test_a_refused_withdrawal_keeps_the_order_standing(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = place(hospital_a, patient_of(hospital_a))

    def on_issued_invoice(*, source: str, reference: str) -> None:
        raise Conflict("On an issued invoice; issue a credit note first.")

    billable.register_withdraw_handler(on_issued_invoice)
    try:
        with tenant_context(hospital_a), pytest.raises(Conflict, match="credit note"):
            lab_order_cancel(order=order, user=technician_a, reason="Patient left")
    finally:
        billable.unregister_withdraw_handler(on_issued_invoice)
    with tenant_context(hospital_a):
        order.refresh_from_db()
    assert order.status == OrderStatus.ORDERED


def test_two_people_approving_at_once_approve_once(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> None:
    third = make_user(hospital_a, Role.LAB_TECHNICIAN, "Third Lab")
    order = collected_cbc(hospital_a, technician_a)
    with tenant_context(hospital_a):
        lab_results_submit(order=order, values=values(order, **NORMAL_CBC), user=technician_a)
    with tenant_context(hospital_a):
        # each approver holds the order as read before either approves
        approvals = [
            partial(lab_order_approve, order=LabOrder.objects.get(pk=order.pk), user=user)
            for user in (second_technician_a, third)
        ]
        approving = run_at_once(*approvals)
    outcomes = ["refused" if outcome.refused(Conflict) else "approved" for outcome in approving]
    assert sorted(outcomes) == ["approved", "refused"]


# -- billing source ------------------------------------------------------------------------


def test_each_ordered_panel_or_test_is_one_billable_item_until_cancelled(
    hospital_a: Hospital, technician_a: User
) -> None:
    from apps.laboratory.billing import source

    patient = patient_of(hospital_a)
    order = place(hospital_a, patient, tests=("GLU",))
    other = place(hospital_a, patient, panels=("LFT",))
    with tenant_context(hospital_a):
        items = list(source.items_for(patient_id=patient.pk))
        assert [(i.unit_price, i.quantity) for i in items] == [
            (Decimal("10.00"), Decimal(1)),
            (Decimal("3.00"), Decimal(1)),
            (Decimal("10.00"), Decimal(1)),
        ]
        assert items[0].source == "laboratory.test" and order.number in items[0].description
        assert source.item(reference=items[0].reference) == items[0]
        lab_order_cancel(order=other, user=technician_a, reason="Duplicate")
        assert len(list(source.items_for(patient_id=patient.pk))) == 2
        assert source.item(reference=items[2].reference) is None
        assert source.item(reference="not-a-uuid") is None


def test_the_lab_module_declares_its_billable_source() -> None:
    from apps.core.modules import billable_sources

    assert "laboratory.test" in [s.key for s in billable_sources()]


# -- second-person approval stays true after an amendment (issue 20, point 3) ------------


def test_amending_an_approved_result_returns_it_to_a_second_person(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> None:
    order = collected_cbc(hospital_a, technician_a)
    with tenant_context(hospital_a):
        lab_results_submit(order=order, values=values(order, **NORMAL_CBC), user=technician_a)
        lab_order_approve(order=order, user=second_technician_a)
        first_approval = order.approved_at
        hgb = results_of(order)["HGB"]
        lab_result_amend(result=hgb, value="6.0", reason="Re-run", user=technician_a)
        order.refresh_from_db()
        assert order.status == OrderStatus.RESULTED and order.approved_by_id is None
        amendment = hgb.amendments.get()
        # the approval it undid is kept
        assert amendment.previous_approved_by_id == second_technician_a.pk
        assert amendment.previous_approved_at == first_approval
        assert amendment.approved_by_id is None
        with pytest.raises(ValidationError, match="You entered these results"):
            lab_order_approve(order=order, user=technician_a)
        lab_order_approve(order=order, user=second_technician_a)
        amendment.refresh_from_db()
    assert order.status == OrderStatus.APPROVED and order.approved_by_id == second_technician_a.pk
    assert amendment.approved_by_id == second_technician_a.pk and amendment.approved_at


def test_the_amender_never_approves_their_amendment(
    hospital_a: Hospital, technician_a: User, second_technician_a: User
) -> None:
    third = make_user(hospital_a, Role.LAB_TECHNICIAN, "Third Lab")
    order = collected_cbc(hospital_a, technician_a)
    with tenant_context(hospital_a):
        lab_results_submit(order=order, values=values(order, **NORMAL_CBC), user=technician_a)
        lab_order_approve(order=order, user=second_technician_a)
        hgb = results_of(order)["HGB"]
        lab_result_amend(result=hgb, value="13.0", reason="Re-run", user=second_technician_a)
        with pytest.raises(ValidationError, match="You amended these results"):
            lab_order_approve(order=order, user=second_technician_a)
        # amended again before the approval: still awaiting one
        lab_result_amend(result=hgb, value="13.1", reason="Second run", user=second_technician_a)
        assert hgb.amendments.count() == 2
        lab_order_approve(order=order, user=third)
        assert not hgb.amendments.filter(approved_by_id=None).exists()
        order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED and order.approved_by_id == third.pk


def test_without_a_second_person_an_amendment_keeps_the_order_approved(
    hospital_a: Hospital, technician_a: User
) -> None:
    order = collected_cbc(hospital_a, technician_a)
    with tenant_context(hospital_a):
        lab_settings_update(approval_required=False)
        lab_results_submit(order=order, values=values(order, **NORMAL_CBC), user=technician_a)
        hgb = results_of(order)["HGB"]
        lab_result_amend(result=hgb, value="13.0", reason="Re-run", user=technician_a)
        order.refresh_from_db()
        amendment = hgb.amendments.get()
    assert order.status == OrderStatus.APPROVED
    assert amendment.approved_by_id == technician_a.pk and amendment.previous_approved_by_id is None
