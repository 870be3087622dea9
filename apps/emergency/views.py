"""The emergency department's pages: the board, an arrival, a visit with its triages."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.accounts.rules import may_act_as
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once, submitted_once
from apps.core.viewkit import action, form_action, found, posted
from apps.emergency import selectors, services
from apps.emergency.forms import ArrivalForm, MergeForm, TriageForm, UnknownArrivalForm
from apps.emergency.models import EmergencyVisit
from apps.emergency.tews import AgeBand, age_band

ER_STAFF = (Role.DOCTOR, Role.NURSE, Role.RECEPTIONIST)
#: who triages (a receptionist registers, a nurse or a doctor triages)
TRIAGERS = (Role.DOCTOR, Role.NURSE)


def _visit_or_404(visit_id: uuid.UUID) -> EmergencyVisit:
    return found(selectors.visit_get, visit_id=visit_id)


@require_GET
@roles_required(*ER_STAFF)
def board(request: HospitalRequest) -> HttpResponse:
    context = {"visits": list(selectors.board()), "now": timezone.now()}
    return render(request, page_or_fragment(request, "emergency/board.html", "board"), context)


@require_http_methods(["GET", "POST"])
@roles_required(*ER_STAFF)
@submitted_once
def arrive(request: HospitalRequest) -> HttpResponse:
    """A registered patient arrives (found by their number)."""
    form = ArrivalForm(data=posted(request), prefix="known")
    if done := form_action(
        form,
        lambda data: services.visit_register(
            patient=data["patient"], complaint=data["complaint"], registered_by=request.user
        ),
    ):
        messages.success(request, _("The patient is on the emergency board."))
        return redirect_to(request, reverse("emergency:visit", args=[done.result.pk]))
    context = {"form": form, "unknown_form": UnknownArrivalForm(prefix="unknown")}
    return render(request, page_or_fragment(request, "emergency/arrive.html", "known"), context)


@require_POST
@roles_required(*ER_STAFF)
@submitted_once
def arrive_unknown(request: HospitalRequest) -> HttpResponse:
    """Someone nobody can name arrives: a flagged placeholder patient in seconds."""
    form = UnknownArrivalForm(data=request.POST, prefix="unknown")
    if done := form_action(
        form,
        lambda data: services.visit_register_unknown(
            hospital=request.hospital,
            sex=data["sex"],
            estimated_age_years=data["estimated_age_years"],
            complaint=data["complaint"],
            registered_by=request.user,
        ),
    ):
        messages.success(request, _("The unknown patient is on the emergency board."))
        return redirect_to(request, reverse("emergency:visit", args=[done.result.pk]))
    context = {"form": ArrivalForm(prefix="known"), "unknown_form": form}
    return render(request, page_or_fragment(request, "emergency/arrive.html", "unknown"), context)


def _triage_form(visit: EmergencyVisit, data: object = None) -> TriageForm:
    age = (timezone.localdate() - visit.patient.birth_date).days // 365
    band = age_band(age_years=age)
    initial = {"age_band": band, "seen_triages": visit.triage_count}
    return TriageForm(data=data, initial=initial)  # type: ignore[arg-type]


def _visit_page(
    request: HospitalRequest,
    visit: EmergencyVisit,
    *,
    triage_form: TriageForm | None = None,
    merge_form: MergeForm | None = None,
    partial: str = "",
) -> HttpResponse:
    context = {
        "visit": visit,
        "triages": selectors.triages_of(visit),
        "placeholder": selectors.placeholder_of(visit.patient_id),
        "triage_form": triage_form or _triage_form(visit),
        "merge_form": merge_form or MergeForm(),
        "adult": AgeBand.ADULT,
        "may_triage": may_act_as(request.user, set(TRIAGERS)),
    }
    template = (
        page_or_fragment(request, "emergency/visit.html", partial)
        if partial
        else "emergency/visit.html"
    )
    return render(request, template, context)


@require_GET
@roles_required(*ER_STAFF)
def visit(request: HospitalRequest, visit_id: uuid.UUID) -> HttpResponse:
    return _visit_page(request, _visit_or_404(visit_id))


@require_POST
@roles_required(*TRIAGERS)
@submitted_once
def triage(request: HospitalRequest, visit_id: uuid.UUID) -> HttpResponse:
    current = _visit_or_404(visit_id)
    form = _triage_form(current, request.POST)
    if form_action(
        form,
        lambda data: services.visit_triage(
            visit=current, details=form.details(), triaged_by=request.user
        ),
    ):
        messages.success(request, _("Triage saved."))
        return redirect_to(request, reverse("emergency:visit", args=[current.pk]))
    return _visit_page(request, current, triage_form=form, partial="triage")


@require_POST
@roles_required(*ER_STAFF)
@submitted_once
def merge(request: HospitalRequest, visit_id: uuid.UUID) -> HttpResponse:
    current = _visit_or_404(visit_id)
    form = MergeForm(data=request.POST)
    if form_action(
        form,
        lambda data: services.placeholder_merge(
            placeholder=current.patient, into=data["into"], merged_by=request.user
        ),
    ):
        messages.success(request, _("The visit now belongs to the patient's real record."))
        return redirect_to(request, reverse("emergency:visit", args=[current.pk]))
    return _visit_page(request, current, merge_form=form, partial="merge")


@require_POST
@roles_required(*ER_STAFF)
@acted_once
def move(request: HospitalRequest, visit_id: uuid.UUID, move: str) -> HttpResponse:
    current = _visit_or_404(visit_id)
    action(request, lambda: services.visit_move(visit=current, move=move, moved_by=request.user))
    return redirect_to(request, reverse("emergency:board"))


@require_POST
@roles_required(*ER_STAFF)
@acted_once
def undo(request: HospitalRequest, visit_id: uuid.UUID) -> HttpResponse:
    current = _visit_or_404(visit_id)
    action(request, lambda: services.visit_undo_move(visit=current, undone_by=request.user))
    return redirect_to(request, reverse("emergency:board"))
