"""The doctor's day: the day list, a visit's vitals, the consultation page and its
sections (each section posts on its own and, with htmx, swaps only itself), the
printable prescription."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import may_act_as, roles_required
from apps.accounts.models import Role
from apps.accounts.rules import is_doctor, may_act_for_doctor
from apps.accounts.selectors import accounts_by_id
from apps.appointments.models import Appointment, AppointmentStatus
from apps.consultations import selectors
from apps.consultations.forms import (
    AmendmentForm,
    DiagnosisAmendmentForm,
    DiagnosisForm,
    FollowUpForm,
    NotesForm,
    PrescriptionItemForm,
    VitalsForm,
)
from apps.consultations.icd10 import icd10_search
from apps.consultations.models import Consultation, Diagnosis, PrescriptionItem
from apps.consultations.services import (
    consultation_amend,
    consultation_book_follow_up,
    consultation_complete,
    consultation_open,
    consultation_save_notes,
    diagnosis_add,
    diagnosis_amend,
    diagnosis_make_primary,
    diagnosis_remove,
    prescription_item_add,
    prescription_item_remove,
    vitals_record,
)
from apps.core import visit_sections
from apps.core.exceptions import HMSError, NotFound
from apps.core.htmx import add_errors, page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.doctors.models import Doctor

DETAIL = "consultations/detail.html"


# -- access helpers ---------------------------------------------------------------------


def _get_appointment(appointment_id: uuid.UUID) -> Appointment:
    try:
        return selectors.appointment_get(appointment_id=appointment_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _get_consultation(consultation_id: uuid.UUID) -> Consultation:
    try:
        return selectors.consultation_get(consultation_id=consultation_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _is_own_doctor(request: HospitalRequest, doctor: Doctor) -> bool:
    """Hospital administrators act for any doctor; a doctor only for themselves."""
    return may_act_for_doctor(request.user, doctor)


def _forbidden(request: HospitalRequest) -> HttpResponse:
    return render(request, "accounts/forbidden.html", status=403)


def _writable(request: HospitalRequest, consultation_id: uuid.UUID) -> Consultation | None:
    """The consultation, when the user is its doctor (or an administrator)."""
    consultation = _get_consultation(consultation_id)
    return consultation if _is_own_doctor(request, consultation.doctor) else None


# -- the day list -----------------------------------------------------------------------


@require_GET
def day_list(request: HospitalRequest) -> HttpResponse:
    """A doctor sees their own patients of today; a nurse or an administrator picks
    the doctor."""
    own = selectors.doctor_of_user(user=request.user) if is_doctor(request.user) else None
    doctors = list(Doctor.objects.filter(is_active=True))
    doctor: Doctor | None = own
    if not is_doctor(request.user):
        chosen = request.GET.get("doctor", "")
        doctor = next((d for d in doctors if str(d.pk) == chosen), None)
        if doctor is None and len(doctors) == 1:
            doctor = doctors[0]
    today = timezone.localdate()
    context: dict[str, Any] = {
        "doctor": doctor,
        "doctors": doctors,
        "is_doctor": is_doctor(request.user),
        "today": today,
        "appointments": selectors.doctor_day_list(doctor=doctor, day=today) if doctor else [],
        "may_open": doctor is not None and _is_own_doctor(request, doctor),
        "may_record_vitals": may_act_as(request.user, frozenset({Role.NURSE, Role.DOCTOR})),
        "Status": AppointmentStatus,
    }
    return render(request, page_or_fragment(request, "consultations/today.html", "queue"), context)


@require_POST
@roles_required(Role.DOCTOR)
def consultation_open_view(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = _get_appointment(appointment_id)
    if not _is_own_doctor(request, appointment.doctor):
        return _forbidden(request)
    try:
        consultation = consultation_open(appointment=appointment, opened_by=request.user)
    except HMSError as exc:
        messages.error(request, exc.message)
        return redirect_to(request, reverse("consultations:today"))
    return redirect_to(request, reverse("consultations:detail", args=[consultation.pk]))


# -- vitals -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles_required(Role.NURSE, Role.DOCTOR)
def visit_vitals(request: HospitalRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = _get_appointment(appointment_id)
    form = VitalsForm(data=request.POST or None)
    recorded = None
    if request.method == "POST" and form.is_valid():
        try:
            recorded = vitals_record(
                patient=appointment.patient,
                appointment=appointment,
                values=form.values(),
                recorded_by=request.user,
            )
        except HMSError as exc:
            add_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Vitals recorded."))
                return redirect_to(request, request.path)
            form = VitalsForm()
    history = [
        (vitals, selectors.vitals_flags(vitals=vitals))
        for vitals in selectors.vitals_of_visit(appointment=appointment)
    ]
    context = {
        "appointment": appointment,
        "consultation": selectors.consultation_of_appointment(appointment=appointment),
        "form": form,
        "recorded": recorded,
        "history": history,
    }
    return render(
        request, page_or_fragment(request, "consultations/vitals.html", "vitals"), context
    )


# -- the consultation page --------------------------------------------------------------


def _detail_context(
    request: HospitalRequest, consultation: Consultation, **forms: Any
) -> dict[str, Any]:
    consultation.refresh_from_db()
    can_write = _is_own_doctor(request, consultation.doctor)
    amendments = list(selectors.amendments_of(consultation=consultation))
    authors = accounts_by_id(
        hospital=request.hospital,
        user_ids=[a.author_id for a in amendments] + [consultation.completed_by_id],
    )
    vitals = selectors.vitals_of_visit(appointment=consultation.appointment)
    return {
        "consultation": consultation,
        "patient": consultation.patient,
        "can_write": can_write,
        "editable": can_write and not consultation.is_locked,
        "vitals": [(v, selectors.vitals_flags(vitals=v)) for v in vitals],
        "diagnoses": list(selectors.diagnoses_of_consultation(consultation_id=consultation.pk)),
        "items": list(
            selectors.prescription_items_of_consultation(consultation_id=consultation.pk)
        ),
        "amendments": [(a, authors.get(a.author_id)) for a in amendments],
        "completed_by": authors.get(consultation.completed_by_id)
        if consultation.completed_by_id
        else None,
        "notes_form": forms.get("notes_form") or NotesForm.for_consultation(consultation),
        "diagnosis_form": forms.get("diagnosis_form") or DiagnosisForm(),
        "item_form": forms.get("item_form") or PrescriptionItemForm(),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(),
        "amend_form": forms.get("amend_form") or AmendmentForm(),
        "diagnosis_amend_form": forms.get("diagnosis_amend_form")
        or DiagnosisAmendmentForm(diagnoses=list(consultation.diagnoses.all())),
        "complete_error": forms.get("complete_error", ""),
        "saved": forms.get("saved", ""),
        "visit_sections": visit_sections.collect(
            hospital=request.hospital, user=request.user, appointment_id=consultation.appointment_id
        ),
    }


def _section(
    request: HospitalRequest,
    consultation: Consultation,
    section: str,
    *,
    ok: bool,
    **forms: Any,
) -> HttpResponse:
    """After a section's POST: with htmx, that section again; without, the page (a
    redirect to it when the post succeeded)."""
    if ok and not request.htmx:
        return redirect_to(request, reverse("consultations:detail", args=[consultation.pk]))
    context = _detail_context(request, consultation, **forms)
    return render(request, page_or_fragment(request, DETAIL, section), context)


@require_GET
def consultation_detail(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = _get_consultation(consultation_id)
    context = _detail_context(request, consultation)
    return render(request, page_or_fragment(request, DETAIL, "content"), context)


@require_POST
@roles_required(Role.DOCTOR)
def consultation_notes(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    form = NotesForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            consultation_save_notes(consultation=consultation, notes=form.cleaned_data)
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    saved = _("Notes saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")}
    return _section(
        request,
        consultation,
        "notes",
        ok=ok,
        notes_form=None if ok else form,
        saved=saved if ok else "",
    )


@require_GET
@roles_required(Role.DOCTOR)
def diagnosis_search(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    query = request.GET.get("q", "").strip()[:100]
    context = {"consultation": consultation, "query": query, "results": icd10_search(query)}
    return render(
        request,
        page_or_fragment(request, "consultations/icd10_search.html", "results"),
        context,
    )


@require_POST
@roles_required(Role.DOCTOR)
def diagnosis_add_view(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    form = DiagnosisForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            diagnosis_add(
                consultation=consultation,
                code=form.cleaned_data["code"],
                primary=form.cleaned_data["primary"],
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _section(request, consultation, "diagnoses", ok=ok, diagnosis_form=None if ok else form)


def _diagnosis_of(consultation: Consultation, diagnosis_id: int) -> Diagnosis:
    diagnosis = consultation.diagnoses.filter(pk=diagnosis_id).first()
    if diagnosis is None:
        raise Http404(_("There is no such diagnosis in this consultation."))
    return diagnosis


@require_POST
@roles_required(Role.DOCTOR)
def diagnosis_change(
    request: HospitalRequest, consultation_id: uuid.UUID, diagnosis_id: int, action: str
) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    diagnosis = _diagnosis_of(consultation, diagnosis_id)
    form = DiagnosisForm()
    ok = True
    try:
        if action == "primary":
            diagnosis_make_primary(diagnosis=diagnosis)
        else:
            diagnosis_remove(diagnosis=diagnosis)
    except HMSError as exc:
        form.add_error(None, exc.message)
        ok = False
    return _section(request, consultation, "diagnoses", ok=ok, diagnosis_form=None if ok else form)


@require_POST
@roles_required(Role.DOCTOR)
def prescription_item_add_view(
    request: HospitalRequest, consultation_id: uuid.UUID
) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    form = PrescriptionItemForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            prescription_item_add(
                hospital=request.hospital, consultation=consultation, details=form.details()
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _section(request, consultation, "prescription", ok=ok, item_form=None if ok else form)


@require_POST
@roles_required(Role.DOCTOR)
def prescription_item_remove_view(
    request: HospitalRequest, consultation_id: uuid.UUID, item_id: int
) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    item = PrescriptionItem.objects.filter(
        pk=item_id, prescription__consultation=consultation
    ).first()
    if item is None:
        raise Http404(_("There is no such item in this prescription."))
    form = PrescriptionItemForm()
    ok = True
    try:
        prescription_item_remove(item=item)
    except HMSError as exc:
        form.add_error(None, exc.message)
        ok = False
    return _section(request, consultation, "prescription", ok=ok, item_form=None if ok else form)


@require_POST
@roles_required(Role.DOCTOR)
def follow_up_book(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    form = FollowUpForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            consultation_book_follow_up(
                consultation=consultation, day=form.cleaned_data["day"], booked_by=request.user
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _section(request, consultation, "follow_up", ok=ok, follow_up_form=None if ok else form)


@require_POST
@roles_required(Role.DOCTOR)
def consultation_complete_view(
    request: HospitalRequest, consultation_id: uuid.UUID
) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    try:
        consultation_complete(consultation=consultation, completed_by=request.user)
    except HMSError as exc:
        context = _detail_context(request, consultation, complete_error=exc.message)
        return render(request, page_or_fragment(request, DETAIL, "complete"), context)
    messages.success(request, _("Consultation completed."))
    return redirect_to(request, reverse("consultations:detail", args=[consultation.pk]))


@require_POST
@roles_required(Role.DOCTOR)
def consultation_amend_view(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    form = AmendmentForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            consultation_amend(
                consultation=consultation,
                field=form.cleaned_data["field"],
                new_value=form.cleaned_data["new_value"],
                reason=form.cleaned_data["reason"],
                author=request.user,
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _section(request, consultation, "record", ok=ok, amend_form=None if ok else form)


@require_POST
@roles_required(Role.DOCTOR)
def diagnosis_amend_view(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = _writable(request, consultation_id)
    if consultation is None:
        return _forbidden(request)
    form = DiagnosisAmendmentForm(data=request.POST, diagnoses=list(consultation.diagnoses.all()))
    ok = form.is_valid()
    if ok:
        try:
            diagnosis_amend(
                diagnosis=_diagnosis_of(consultation, form.cleaned_data["diagnosis"]),
                new_code=form.cleaned_data["new_code"],
                reason=form.cleaned_data["reason"],
                author=request.user,
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _section(
        request, consultation, "record", ok=ok, diagnosis_amend_form=None if ok else form
    )


# -- printing ---------------------------------------------------------------------------


@require_GET
def prescription_print(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = _get_consultation(consultation_id)
    items = list(selectors.prescription_items_of_consultation(consultation_id=consultation.pk))
    if not items:
        raise Http404(_("Nothing was prescribed in this consultation."))
    context = {
        "consultation": consultation,
        "patient": consultation.patient,
        "items": items,
        "diagnoses": list(selectors.diagnoses_of_consultation(consultation_id=consultation.pk)),
        "prescription": items[0].prescription,
    }
    return render(request, "consultations/prescription.html", context)
