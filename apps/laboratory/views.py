from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import may_act_as, roles_required
from apps.accounts.models import Role
from apps.accounts.rules import is_doctor
from apps.accounts.selectors import accounts_by_id
from apps.appointments.models import Appointment
from apps.appointments.selectors import appointment_get
from apps.audit.services import record_opened
from apps.core.exceptions import Conflict, NotFound, ValidationError
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.names import display_name
from apps.core.submissions import acted_once, submitted_once
from apps.core.viewkit import Refused, attempt, form_action, found, paginate, posted, search_query
from apps.laboratory.forms import (
    AmendForm,
    CancelForm,
    CatalogueItemForm,
    OrderForm,
    ResultsForm,
    SettingsForm,
)
from apps.laboratory.models import LabOrder, OrderStatus
from apps.laboratory.selectors import (
    doctor_for_user,
    lab_catalogue,
    lab_catalogue_item_get,
    lab_expected_range,
    lab_order_get,
    lab_order_rows,
    lab_order_total,
    lab_orderable,
    lab_orders_of_doctor,
    lab_result_get,
    lab_worklist,
    lab_worklist_counts,
)
from apps.laboratory.services import (
    lab_catalogue_item_update,
    lab_order_approve,
    lab_order_cancel,
    lab_order_collect,
    lab_order_place,
    lab_result_amend,
    lab_results_record,
    lab_results_submit,
    lab_settings_get,
    lab_settings_update,
)
from apps.patients.models import Patient
from apps.patients.selectors import patient_get, patient_search

PAGE_SIZE = 50
#: who runs the lab (hospital administrators may do everything too)
LAB = frozenset({Role.LAB_TECHNICIAN})
#: who may order tests and read results
CLINICAL = frozenset({Role.LAB_TECHNICIAN, Role.DOCTOR})


def _detail(
    request: HospitalRequest, order: LabOrder, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The order page (or its ``order`` fragment), with its forms unbound unless given."""
    results = list(order.results.all())
    user_ids = [
        order.ordered_by_id,
        order.transcribed_by_id,
        order.collected_by_id,
        order.resulted_by_id,
        order.approved_by_id,
        order.cancelled_by_id,
        *(a.amended_by_id for r in results for a in r.amendments.all()),
        *(a.approved_by_id for r in results for a in r.amendments.all()),
    ]
    results_form = extra.pop("results_form", None) or ResultsForm(results=results)
    context: dict[str, Any] = {
        "order": order,
        "results": results,
        "lines": list(order.lines.all()),
        "total": lab_order_total(order=order),
        "people": accounts_by_id(hospital=request.hospital, user_ids=user_ids),
        "is_lab": may_act_as(request.user, LAB),
        "may_cancel": may_act_as(request.user, CLINICAL),
        "approval_required": lab_settings_get().approval_required,
        "results_form": results_form,
        "entry_rows": [
            (result, field, lab_expected_range(order=order, result=result))
            for result, field in results_form.rows()
        ],
        "cancel_form": CancelForm(),
        **extra,
    }
    template = page_or_fragment(request, "laboratory/detail.html", "order")
    return render(request, template, context, status=status)


def _redirect_to_order(request: HospitalRequest, order: LabOrder) -> HttpResponse:
    return redirect_to(request, reverse("laboratory:detail", args=[order.pk]))


@require_GET
def lab_index(request: HospitalRequest) -> HttpResponse:
    if is_doctor(request.user):
        return redirect("laboratory:my_orders")
    return redirect("laboratory:worklist")


@require_GET
@roles_required(*LAB)
def lab_worklist_view(request: HospitalRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    query = search_query(request)
    page = paginate(request, lab_worklist(status=status, query=query), size=PAGE_SIZE)
    context = {
        "page": page,
        "rows": lab_order_rows(orders=page.object_list),
        "status": status,
        "query": query,
        "counts": lab_worklist_counts(),
        "statuses": [OrderStatus.ORDERED, OrderStatus.COLLECTED, OrderStatus.RESULTED],
    }
    return render(request, page_or_fragment(request, "laboratory/worklist.html", "orders"), context)


@require_GET
@roles_required(Role.DOCTOR)
def lab_my_orders(request: HospitalRequest) -> HttpResponse:
    doctor = doctor_for_user(user_id=request.user.pk)
    orders = lab_orders_of_doctor(doctor=doctor) if doctor else LabOrder.objects.none()
    page = paginate(request, orders, size=PAGE_SIZE)
    context = {"page": page, "rows": lab_order_rows(orders=page.object_list), "doctor": doctor}
    return render(
        request, page_or_fragment(request, "laboratory/my_orders.html", "orders"), context
    )


@require_http_methods(["GET", "POST"])
@roles_required(*CLINICAL)
@submitted_once
def lab_order_new(request: HospitalRequest) -> HttpResponse:
    """Order tests: from a consultation (``?appointment=<id>``: its patient and doctor),
    or at the lab desk for a walk-in, finding the patient as you type (``?q=``)."""
    appointment = _appointment_from(
        request.GET.get("appointment") or request.POST.get("appointment")
    )
    if request.method == "GET" and request.htmx and "q" in request.GET:
        return _patient_choices(request)
    panels, tests = lab_orderable()
    doctor = doctor_for_user(user_id=request.user.pk)
    initial: dict[str, Any] = {}
    if appointment is not None:
        initial = {"patient": appointment.patient_id, "ordering_doctor": appointment.doctor_id}
    elif request.GET.get("patient"):
        initial = {"patient": request.GET["patient"]}
    form = OrderForm(data=posted(request), initial=initial, panels=panels, tests=tests)
    patient = _patient_from(form.data.get("patient") if form.is_bound else initial.get("patient"))

    def place(data: dict[str, Any]) -> LabOrder:
        if patient is None:
            raise ValidationError(_("Choose the patient."), field="patient")
        chosen_panels, chosen_tests = form.chosen()
        return lab_order_place(
            hospital=request.hospital,
            patient=patient,
            panels=chosen_panels,
            tests=chosen_tests,
            priority=data["priority"],
            ordered_by=request.user,
            ordering_doctor=data["ordering_doctor"],  # a doctor orders as themself
            appointment=appointment,
            clinical_notes=data["clinical_notes"],
        )

    if placed := form_action(form, place):
        order = placed.result
        messages.success(request, _("Ordered %(number)s.") % {"number": order.number})
        return _redirect_to_order(request, order)
    chosen = set(request.POST.getlist("items")) if request.method == "POST" else set()
    context = {
        "form": form,
        "patient": patient,
        "appointment": appointment,
        "doctor": doctor,
        "panel_rows": [(p, f"panel:{p.pk}" in chosen) for p in panels],
        "test_rows": [(t, f"test:{t.pk}" in chosen) for t in tests],
    }
    return render(request, page_or_fragment(request, "laboratory/order_new.html", "form"), context)


def _appointment_from(value: str | None) -> Appointment | None:
    """The appointment an order is placed in; 404 for an id this hospital does not
    have (another hospital's included)."""
    if not value:
        return None
    try:
        appointment_id = uuid.UUID(value)
    except ValueError:
        raise Http404(_("There is no such appointment in this hospital.")) from None
    return found(appointment_get, appointment_id=appointment_id)


def _patient_from(value: object) -> Patient | None:
    if not value:
        return None
    try:
        return patient_get(patient_id=uuid.UUID(str(value)))
    except (NotFound, ValueError):
        return None


def _patient_choices(request: HospitalRequest) -> HttpResponse:
    query = search_query(request)
    patients = list(patient_search(query=query)[:10]) if query else []
    context = {"patients": patients, "query": query}
    return render(request, "laboratory/order_new.html#patients", context)


@require_GET
@roles_required(*CLINICAL)
def lab_order_detail(request: HospitalRequest, order_id: uuid.UUID) -> HttpResponse:
    order = found(lab_order_get, order_id=order_id)
    record_opened(
        action="lab_order.viewed",
        entity="lab_order",
        entity_id=order.pk,
        entity_label=order.number,
        patient=order.patient,
    )
    return _detail(request, order)


@require_POST
@roles_required(*LAB)
@acted_once
def lab_order_collect_view(request: HospitalRequest, order_id: uuid.UUID) -> HttpResponse:
    order = found(lab_order_get, order_id=order_id)
    collected = attempt(lambda: lab_order_collect(order=order, user=request.user))
    if isinstance(collected, Refused):
        return _detail(request, order, action_error=collected.message)
    messages.success(request, _("Sample collected for %(number)s.") % {"number": order.number})
    return _redirect_to_order(request, order)


@require_POST
@roles_required(*LAB)
@acted_once
def lab_order_results(request: HospitalRequest, order_id: uuid.UUID) -> HttpResponse:
    """Save the typed results, or (``action=submit``) hand them in for approval."""
    order = found(lab_order_get, order_id=order_id)
    form = ResultsForm(data=request.POST, results=list(order.results.all()))
    submit = request.POST.get("action") == "submit"
    save = lab_results_submit if submit else lab_results_record
    saved = form_action(
        form,
        lambda data: save(order=order, values=form.values(), user=request.user),
        handles=Conflict,
    )
    if isinstance(saved, Refused):  # not taking results (yet or any more)
        return _detail(request, found(lab_order_get, order_id=order_id), action_error=saved.message)
    if saved:
        messages.success(request, _("Results submitted.") if submit else _("Results saved."))
        return _redirect_to_order(request, order)
    return _detail(request, found(lab_order_get, order_id=order_id), results_form=form)


@require_POST
@roles_required(*LAB)
@acted_once
def lab_order_approve_view(request: HospitalRequest, order_id: uuid.UUID) -> HttpResponse:
    order = found(lab_order_get, order_id=order_id)
    approved = attempt(lambda: lab_order_approve(order=order, user=request.user))
    if isinstance(approved, Refused):
        return _detail(request, order, action_error=approved.message)
    messages.success(request, _("Results of %(number)s approved.") % {"number": order.number})
    return _redirect_to_order(request, order)


@require_POST
@roles_required(*CLINICAL)
@acted_once
def lab_order_cancel_view(request: HospitalRequest, order_id: uuid.UUID) -> HttpResponse:
    order = found(lab_order_get, order_id=order_id)
    form = CancelForm(data=request.POST)
    cancelled = form_action(
        form,
        lambda data: lab_order_cancel(order=order, user=request.user, reason=data["reason"]),
        handles=Conflict,
    )
    if isinstance(cancelled, Refused):  # the order moved on: no form to put it next to
        return _detail(request, order, action_error=cancelled.message)
    if cancelled:
        messages.success(request, _("Cancelled %(number)s.") % {"number": order.number})
        return _redirect_to_order(request, order)
    return _detail(request, order, cancel_form=form)


@require_http_methods(["GET", "POST"])
@roles_required(*LAB)
@submitted_once
def lab_result_amend_view(
    request: HospitalRequest, order_id: uuid.UUID, result_id: int
) -> HttpResponse:
    order = found(lab_order_get, order_id=order_id)
    result = found(lab_result_get, order=order, result_id=result_id)
    form = AmendForm(data=posted(request), initial={"value": result.value})
    amended = form_action(
        form,
        lambda data: lab_result_amend(
            result=result, value=data["value"], reason=data["reason"], user=request.user
        ),
    )
    if amended:
        messages.success(request, _("%(test)s amended.") % {"test": display_name(result.test)})
        return _redirect_to_order(request, order)
    context = {"order": order, "result": result, "form": form}
    return render(request, page_or_fragment(request, "laboratory/amend.html", "form"), context)


@require_GET
@roles_required(*CLINICAL)
def lab_order_report(request: HospitalRequest, order_id: uuid.UUID) -> HttpResponse:
    """The printable A4 report of an approved order (an ordinary page; print rules in
    its template until the shared print stylesheet arrives)."""
    order = found(lab_order_get, order_id=order_id)
    if order.status != OrderStatus.APPROVED:
        return render(request, "laboratory/report_not_ready.html", {"order": order}, status=409)
    results = list(order.results.prefetch_related("amendments"))
    amendments = [amendment for result in results for amendment in result.amendments.all()]
    people = accounts_by_id(
        hospital=request.hospital,
        user_ids=[
            order.transcribed_by_id,
            order.collected_by_id,
            order.resulted_by_id,
            order.approved_by_id,
            *(result.entered_by_id for result in results),
            *(amendment.amended_by_id for amendment in amendments),
            *(amendment.approved_by_id for amendment in amendments),
        ],
    )
    record_opened(
        action="lab_report.printed",
        entity="lab_order",
        entity_id=order.pk,
        entity_label=order.number,
        patient=order.patient,
    )
    context = {"order": order, "results": results, "people": people}
    return render(request, page_or_fragment(request, "laboratory/report.html", "report"), context)


@require_GET
@roles_required(*CLINICAL)
def lab_catalogue_view(request: HospitalRequest) -> HttpResponse:
    panels, tests = lab_catalogue()
    context = {"panels": panels, "tests": tests}
    return render(
        request, page_or_fragment(request, "laboratory/catalogue.html", "catalogue"), context
    )


@require_http_methods(["GET", "POST"])
@roles_required()
def lab_catalogue_item_edit(request: HospitalRequest, kind: str, item_id: int) -> HttpResponse:
    """An administrator sets the hospital's price of a test or panel and whether it is
    offered (``kind`` is ``test`` or ``panel``)."""
    item = found(lab_catalogue_item_get, kind=kind, item_id=item_id)
    form = CatalogueItemForm(
        data=posted(request), initial={"price": item.price, "is_active": item.is_active}
    )
    saved = form_action(
        form,
        lambda data: lab_catalogue_item_update(
            item=item, price=data["price"], is_active=data["is_active"]
        ),
    )
    if saved:
        messages.success(request, _("Saved %(name)s.") % {"name": display_name(item)})
        return redirect_to(request, reverse("laboratory:catalogue"))
    context = {"item": item, "kind": kind, "form": form}
    template = page_or_fragment(request, "laboratory/catalogue_item.html", "form")
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@roles_required()
def lab_settings_view(request: HospitalRequest) -> HttpResponse:
    current = lab_settings_get()
    form = SettingsForm(
        data=posted(request), initial={"approval_required": current.approval_required}
    )
    update = lab_settings_update
    if form_action(form, lambda data: update(approval_required=data["approval_required"])):
        messages.success(request, _("Lab settings saved."))
        return redirect_to(request, reverse("laboratory:settings"))
    return render(
        request, page_or_fragment(request, "laboratory/settings.html", "form"), {"form": form}
    )
