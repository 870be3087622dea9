"""The nurse's page of one patient: the vitals chart, nursing notes and the
medication administration record (doses given, refused or missed)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import User
from apps.accounts.selectors import accounts_by_id
from apps.admissions import selectors, services
from apps.admissions.chart import vitals_chart
from apps.admissions.forms import DoseForm, NoteForm
from apps.admissions.models import Admission, DoseOutcome
from apps.admissions.orders import OrderDose, order_dose_record
from apps.admissions.views.common import WARD_STAFF, admission_or_404, ended_stay_refused
from apps.consultations.forms import VitalsForm
from apps.consultations.selectors import vitals_flags
from apps.consultations.services import vitals_record
from apps.core.exceptions import NotFound
from apps.core.htmx import page_or_fragment
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import form_action, section_or_redirect

#: how far ahead of today the chart of a patient still on the ward may be looked at
CHART_DAYS_AHEAD = timedelta(days=366)


def _chart_day(request: HospitalRequest, admission: Admission) -> date:
    """The day ``?day=`` asks for (today when it names none), moved to the nearest day
    of the stay: from the day of admission to the day of discharge, or a year ahead
    while the patient is on the ward (year 1 or 9999 would have no day around it)."""
    today = timezone.localdate()
    try:
        asked = parse_date(request.GET.get("day", "")[:10]) or today
    except ValueError:  # well formed but no such day (2026-02-30)
        asked = today
    first = timezone.localdate(admission.admitted_at)
    if admission.discharged_at is not None:
        last = timezone.localdate(admission.discharged_at)
    else:
        last = max(today, first) + CHART_DAYS_AHEAD
    return min(max(asked, first), last)


def _nursing_context(
    request: HospitalRequest, admission: Admission, *, day: date | None = None, **forms: Any
) -> dict[str, Any]:
    admission.refresh_from_db()
    day = day or _chart_day(request, admission)
    series = selectors.vitals_of_admission(admission=admission)
    notes = list(selectors.nursing_notes_of(admission=admission))
    lines = selectors.medication_chart(admission=admission, day=day, now=timezone.now())
    authors = accounts_by_id(
        hospital=request.hospital,
        user_ids=[n.author_id for n in notes]
        + [d.record.recorded_by_id for line in lines for d in line.doses if d.record]
        + [line.order.ordered_by_id for line in lines if line.order],
    )
    _name_people(lines, authors)
    return {
        "admission": admission,
        "patient": admission.patient,
        "current": selectors.current_occupancy(admission),
        "panels": vitals_chart(series),
        "vitals": [(v, vitals_flags(vitals=v)) for v in reversed(series)],
        "vitals_form": forms.get("vitals_form") or VitalsForm(),
        "notes": [(n, authors.get(n.author_id)) for n in notes],
        "note_form": forms.get("note_form") or NoteForm(),
        "dose_form": forms.get("dose_form"),
        "dose_error_key": forms.get("dose_error_key"),
        "lines": lines,
        "authors": authors,
        "day": day,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "writable": admission.is_active,
        "outcome_choices": DoseOutcome.choices,
    }


def _name_people(lines: list[selectors.ChartLine], people: dict[Any, Any]) -> None:
    """Each line's orderer and each dose's recorder by name."""

    def name(user_id: Any) -> str:
        user = people.get(user_id)
        return user.get_full_name() if user is not None else ""

    for line in lines:
        if line.order is not None:
            line.ordered_by = name(line.order.ordered_by_id)
        for dose in line.doses:
            if dose.record is not None:
                dose.recorded_by = name(dose.record.recorded_by_id)


def _nursing_page(
    request: HospitalRequest, admission: Admission, section: str, **shown: Any
) -> HttpResponse:
    context = _nursing_context(request, admission, **shown)
    return render(request, page_or_fragment(request, "admissions/nursing.html", section), context)


def _nursing_section(
    request: HospitalRequest,
    admission: Admission,
    section: str,
    done: object,
    *,
    day: date | None = None,
    **forms: Any,
) -> HttpResponse:
    """After a post on one section: done, the section drawn again with empty forms
    (htmx) or the page again; not done, the section with the posted form and its
    errors. ``day``: the chart's day to show either way."""
    url = reverse("admissions:nursing", args=[admission.pk])
    if done:
        return section_or_redirect(
            request, lambda: _nursing_page(request, admission, section, day=day), url
        )
    refused = ended_stay_refused(
        request, admission, lambda: _nursing_page(request, admission, section, day=day), url
    )
    return refused or _nursing_page(request, admission, section, day=day, **forms)


@require_GET
@roles_required(*WARD_STAFF)
def nursing(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    return _nursing_page(request, admission_or_404(admission_id), "mar")


@require_POST
@roles_required(*WARD_STAFF)
@acted_once
def vitals(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = VitalsForm(data=request.POST)
    if not admission.is_active:
        # an error on the form keeps form_action from recording anything
        form.add_error(None, _("The patient has left the ward."))
    done = form_action(
        form,
        lambda data: vitals_record(
            patient=admission.patient, values=form.values(), recorded_by=request.user
        ),
    )
    return _nursing_section(request, admission, "vitals", done, vitals_form=form)


@require_POST
@roles_required(*WARD_STAFF)
@acted_once
def note_add(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = NoteForm(data=request.POST)
    done = form_action(
        form,
        lambda data: services.nursing_note_add(
            admission=admission, text=data["text"], author=request.user
        ),
    )
    return _nursing_section(request, admission, "notes", done, note_form=form)


def _given_at(scheduled: datetime, clock: time) -> datetime:
    """The moment a time of day typed for a dose names: the one nearest the dose's
    scheduled time (23:50 for a dose due at 00:00 is the evening before)."""
    local = timezone.localtime(scheduled)
    candidates = [
        datetime.combine(local.date() + timedelta(days=shift), clock, tzinfo=local.tzinfo)
        for shift in (-1, 0, 1)
    ]
    return min(candidates, key=lambda moment: abs(moment - local))


def _dose_record(admission: Admission, data: dict[str, Any], *, recorded_by: User) -> None:
    """Record a dose of an order, or of a medicine charted from a prescription (given
    at the moment the typed time names)."""
    scheduled: datetime | None = data["scheduled_at"]
    if data["order"] is not None:
        order = selectors.order_get(admission=admission, order_id=data["order"])
        near = scheduled or timezone.now()
        order_dose_record(
            order=order,
            dose=OrderDose(
                outcome=data["outcome"],
                scheduled_at=scheduled,
                at=_given_at(near, data["at"]) if data["at"] is not None else None,
                reason=data["reason"],
            ),
            recorded_by=recorded_by,
        )
        return
    item = next(
        (i for i in selectors.medication_items(admission=admission) if i.pk == data["item"]),
        None,
    )
    if item is None:
        raise NotFound(_("This medicine is not on the patient's chart."))
    assert scheduled is not None  # the form requires it for an item
    services.dose_record(
        admission=admission,
        item=item,
        scheduled_at=scheduled,
        outcome=data["outcome"],
        reason=data["reason"],
        at=_given_at(scheduled, data["at"]) if data["at"] is not None else None,
        recorded_by=recorded_by,
    )


@require_POST
@roles_required(*WARD_STAFF)
@acted_once
def dose(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = DoseForm(data=request.POST)
    done = form_action(form, lambda data: _dose_record(admission, data, recorded_by=request.user))
    scheduled_at = form.cleaned_data.get("scheduled_at")
    return _nursing_section(
        request,
        admission,
        "mar",
        done,
        day=timezone.localdate(scheduled_at) if scheduled_at else None,
        dose_form=form,
        # the chart's cell of the refused dose shows the form again
        dose_error_key=(
            f"{request.POST.get('order') or request.POST.get('item', '')}"
            f"-{request.POST.get('scheduled_at', '')}"
        ),
    )
