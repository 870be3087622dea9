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
from apps.accounts.selectors import accounts_by_id
from apps.admissions import selectors, services
from apps.admissions.chart import vitals_chart
from apps.admissions.forms import DoseForm, NoteForm
from apps.admissions.models import Admission, DoseOutcome
from apps.admissions.views.common import WARD_STAFF, admission_or_404
from apps.consultations.forms import VitalsForm
from apps.consultations.selectors import vitals_flags
from apps.consultations.services import vitals_record
from apps.core.exceptions import HMSError, NotFound
from apps.core.htmx import add_errors, page_or_fragment, redirect_to
from apps.core.http import HospitalRequest


def _chart_day(request: HospitalRequest) -> date:
    try:
        return parse_date(request.GET.get("day", "")) or timezone.localdate()
    except ValueError:  # well formed but no such day (2026-02-30)
        return timezone.localdate()


def _nursing_context(
    request: HospitalRequest, admission: Admission, *, day: date | None = None, **forms: Any
) -> dict[str, Any]:
    admission.refresh_from_db()
    day = day or _chart_day(request)
    series = selectors.vitals_of_admission(admission=admission)
    notes = list(selectors.nursing_notes_of(admission=admission))
    lines = selectors.medication_chart(admission=admission, day=day, now=timezone.now())
    authors = accounts_by_id(
        hospital=request.hospital,
        user_ids=[n.author_id for n in notes]
        + [d.record.recorded_by_id for line in lines for d in line.doses if d.record],
    )
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


def _nursing_section(
    request: HospitalRequest, admission: Admission, section: str, *, ok: bool, **forms: Any
) -> HttpResponse:
    if ok and not request.htmx:
        return redirect_to(request, reverse("admissions:nursing", args=[admission.pk]))
    context = _nursing_context(request, admission, **forms)
    return render(request, page_or_fragment(request, "admissions/nursing.html", section), context)


@require_GET
@roles_required(*WARD_STAFF)
def nursing(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    context = _nursing_context(request, admission)
    return render(request, page_or_fragment(request, "admissions/nursing.html", "mar"), context)


@require_POST
@roles_required(*WARD_STAFF)
def vitals(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = VitalsForm(data=request.POST)
    ok = form.is_valid() and admission.is_active
    if not admission.is_active:
        form.add_error(None, _("The patient has left the ward."))
    if ok:
        try:
            vitals_record(patient=admission.patient, values=form.values(), recorded_by=request.user)
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _nursing_section(request, admission, "vitals", ok=ok, vitals_form=None if ok else form)


@require_POST
@roles_required(*WARD_STAFF)
def note_add(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = NoteForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            services.nursing_note_add(
                admission=admission, text=form.cleaned_data["text"], author=request.user
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _nursing_section(request, admission, "notes", ok=ok, note_form=None if ok else form)


def _given_at(scheduled: datetime, clock: time) -> datetime:
    """The moment a time of day typed for a dose names: the one nearest the dose's
    scheduled time (23:50 for a dose due at 00:00 is the evening before)."""
    local = timezone.localtime(scheduled)
    candidates = [
        datetime.combine(local.date() + timedelta(days=shift), clock, tzinfo=local.tzinfo)
        for shift in (-1, 0, 1)
    ]
    return min(candidates, key=lambda moment: abs(moment - local))


@require_POST
@roles_required(*WARD_STAFF)
def dose(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = admission_or_404(admission_id)
    form = DoseForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        data = form.cleaned_data
        item = next(
            (i for i in selectors.medication_items(admission=admission) if i.pk == data["item"]),
            None,
        )
        scheduled: datetime = data["scheduled_at"]
        at = _given_at(scheduled, data["at"]) if data["at"] is not None else None
        try:
            if item is None:
                raise NotFound(_("This medicine is not on the patient's chart."))
            services.dose_record(
                admission=admission,
                item=item,
                scheduled_at=scheduled,
                outcome=data["outcome"],
                reason=data["reason"],
                at=at,
                recorded_by=request.user,
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    error_key = None
    shown = (
        timezone.localdate(form.cleaned_data["scheduled_at"])
        if "scheduled_at" in form.cleaned_data
        else None
    )
    if not ok:
        error_key = f"{request.POST.get('item', '')}-{request.POST.get('scheduled_at', '')}"
    return _nursing_section(
        request,
        admission,
        "mar",
        ok=ok,
        day=shown,
        dose_form=None if ok else form,
        dose_error_key=error_key,
    )
