"""Wards and admissions: the lists (admitted by ward, to admit, to discharge), the bed
map, admitting, one admission's page (transfer, planned discharge, discharge and its
printable summary), the nurse's page of one patient (vitals chart, notes, medication
administration record) and the administrator's ward set-up."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import may_act_as, roles_required
from apps.accounts.models import Role
from apps.accounts.selectors import accounts_by_id
from apps.admissions import selectors, services
from apps.admissions.chart import vitals_chart
from apps.admissions.forms import (
    AdmissionRequestForm,
    AdmissionSettingsForm,
    AdmitForm,
    BedForm,
    CancelForm,
    DischargeForm,
    DoseForm,
    NoteForm,
    PlanForm,
    RoomForm,
    TransferForm,
    WardForm,
)
from apps.admissions.models import (
    Admission,
    AdmissionStatus,
    BedStatus,
    DoseOutcome,
    Room,
    Ward,
)
from apps.consultations.forms import VitalsForm
from apps.consultations.models import Consultation
from apps.consultations.selectors import (
    consultation_get,
    diagnoses_of_consultation,
    vitals_flags,
)
from apps.consultations.services import vitals_record
from apps.core.exceptions import HMSError, NotFound
from apps.core.htmx import add_errors, page_or_fragment, redirect_to
from apps.core.http import HospitalRequest

ADMITTERS = (Role.DOCTOR, Role.RECEPTIONIST)
WARD_STAFF = (Role.DOCTOR, Role.NURSE)


def _found(lookup: Any, **kwargs: Any) -> Any:
    try:
        return lookup(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from None


def _admission(admission_id: uuid.UUID) -> Admission:
    admission: Admission = _found(selectors.admission_get, admission_id=admission_id)
    return admission


# -- lists ------------------------------------------------------------------------------


@require_GET
def admitted_list(request: HospitalRequest) -> HttpResponse:
    """Everyone in a bed, by ward; with a ward chosen, the nurse's ward view (overdue
    doses per patient)."""
    ward = None
    if request.GET.get("ward"):
        ward = _found(selectors.ward_get, ward_id=request.GET["ward"])
    now = timezone.now()
    rows = selectors.admitted(ward=ward)
    groups: dict[str, list[tuple[Admission, Any, int]]] = {}
    for admission in rows:
        stay = selectors.current_occupancy(admission)
        name = stay.bed.room.ward.name if stay else ""
        overdue = selectors.overdue_count(admission=admission, now=now)
        groups.setdefault(name, []).append((admission, stay, overdue))
    context = {
        "ward": ward,
        "wards": selectors.wards().filter(is_active=True),
        "groups": list(groups.items()),
        "tab": "admitted",
    }
    return render(request, page_or_fragment(request, "admissions/admitted.html", "list"), context)


@require_GET
def to_admit(request: HospitalRequest) -> HttpResponse:
    context = {
        "requests": selectors.pending_requests(),
        "may_admit": may_act_as(request.user, frozenset(ADMITTERS)),
        "may_cancel": may_act_as(request.user, frozenset({Role.DOCTOR})),
        "tab": "to_admit",
    }
    return render(request, "admissions/to_admit.html", context)


@require_GET
def to_discharge(request: HospitalRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "admissions": [
            (a, selectors.current_occupancy(a)) for a in selectors.to_discharge(today=today)
        ],
        "today": today,
        "tab": "to_discharge",
    }
    return render(request, "admissions/to_discharge.html", context)


def _bed_map_page(request: HospitalRequest, ward: Ward) -> HttpResponse:
    context = {
        "ward": ward,
        "wards": selectors.wards().filter(is_active=True),
        "rooms": selectors.bed_map(ward=ward),
        "counts": selectors.bed_counts(ward=ward),
        "Status": BedStatus,
        "may_clean": may_act_as(request.user, frozenset({Role.NURSE})),
        "tab": "beds",
    }
    return render(request, page_or_fragment(request, "admissions/bed_map.html", "map"), context)


@require_GET
def bed_map(request: HospitalRequest, ward_id: uuid.UUID) -> HttpResponse:
    return _bed_map_page(request, _found(selectors.ward_get, ward_id=ward_id))


@require_GET
def bed_maps(request: HospitalRequest) -> HttpResponse:
    """The first ward's map (the tab's landing page)."""
    ward = selectors.wards().filter(is_active=True).first()
    if ward is None:
        return render(request, "admissions/no_wards.html", {"tab": "beds"})
    return _bed_map_page(request, ward)


@require_POST
@roles_required(Role.NURSE)
def bed_clean(request: HospitalRequest, bed_id: uuid.UUID) -> HttpResponse:
    """A nurse marks a bed clean; with htmx the map comes back in place."""
    bed = _found(selectors.bed_get, bed_id=bed_id)
    try:
        services.bed_mark_clean(bed=bed)
    except HMSError as exc:
        messages.error(request, exc.message)
    if request.htmx:
        return _bed_map_page(request, bed.room.ward)
    return redirect_to(request, reverse("admissions:bed_map", args=[bed.room.ward_id]))


# -- requests and admitting -------------------------------------------------------------


def _consultation_from(request: HospitalRequest) -> Consultation | None:
    consultation_id = request.GET.get("consultation") or request.POST.get("consultation")
    if not consultation_id:
        return None
    try:
        consultation_id = str(uuid.UUID(consultation_id))
    except ValueError:
        raise Http404(_("There is no such consultation in this hospital.")) from None
    consultation: Consultation = _found(consultation_get, consultation_id=consultation_id)
    return consultation


@require_http_methods(["GET", "POST"])
@roles_required(Role.DOCTOR)
def request_new(request: HospitalRequest) -> HttpResponse:
    consultation = _consultation_from(request)
    initial = {"patient": consultation.patient.number} if consultation else {}
    form = AdmissionRequestForm(data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.admission_request_create(
                patient=form.cleaned_data["patient"],
                reason=form.cleaned_data["reason"],
                ward=form.cleaned_data["ward"],
                consultation=consultation,
                requested_by=request.user,
            )
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The patient is on the list to admit."))
            return redirect_to(request, reverse("admissions:to_admit"))
    context = {"form": form, "consultation": consultation, "tab": "to_admit"}
    return render(request, page_or_fragment(request, "admissions/request.html", "form"), context)


@require_POST
@roles_required(Role.DOCTOR)
def request_cancel(request: HospitalRequest, request_id: uuid.UUID) -> HttpResponse:
    waiting = _found(selectors.admission_request_get, request_id=request_id)
    try:
        services.admission_request_cancel(request=waiting)
    except HMSError as exc:
        messages.error(request, exc.message)
    return redirect_to(request, reverse("admissions:to_admit"))


@require_http_methods(["GET", "POST"])
@roles_required(*ADMITTERS)
def admit(request: HospitalRequest) -> HttpResponse:
    """Admit to a vacant bed: directly (patient number), from a consultation
    (``?consultation=``) or from the list to admit (``?request=``)."""
    waiting = None
    request_id = request.GET.get("request") or request.POST.get("request")
    if request_id:
        waiting = _found(selectors.admission_request_get, request_id=request_id)
    consultation = _consultation_from(request) or (waiting.consultation if waiting else None)
    patient = waiting.patient if waiting else consultation.patient if consultation else None
    initial: dict[str, Any] = {}
    if patient is not None:
        initial["patient"] = patient.number
    if waiting is not None:
        initial["reason"] = waiting.reason
    if consultation is not None:
        initial["doctor"] = consultation.doctor_id
    beds = selectors.vacant_beds()
    if waiting is not None and waiting.ward_id is not None and request.method == "GET":
        initial["bed"] = next((b.pk for b in beds if b.room.ward_id == waiting.ward_id), None)
    form = AdmitForm(data=request.POST or None, initial=initial, beds=beds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            admission = services.admission_admit(
                hospital=request.hospital,
                patient=data["patient"],
                bed=data["bed"],
                reason=data["reason"],
                doctor=data["doctor"],
                consultation=consultation,
                request=waiting,
                expected_discharge_on=data["expected_discharge_on"],
                admitted_by=request.user,
            )
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Admitted as %(number)s.") % {"number": admission.number})
            return redirect_to(request, reverse("admissions:detail", args=[admission.pk]))
    context = {
        "form": form,
        "waiting": waiting,
        "consultation": consultation,
        "patient": patient,
        "tab": "admit",
    }
    return render(request, page_or_fragment(request, "admissions/admit.html", "form"), context)


# -- one admission ----------------------------------------------------------------------


def _detail_context(request: HospitalRequest, admission: Admission, **forms: Any) -> dict[str, Any]:
    admission.refresh_from_db()
    stays = list(selectors.occupancies_of(admission=admission))
    users = accounts_by_id(
        hospital=request.hospital,
        user_ids=[admission.admitted_by_id, admission.discharged_by_id],
    )
    return {
        "admission": admission,
        "patient": admission.patient,
        "stays": stays,
        "current": next((s for s in stays if s.ended_at is None), None),
        "admitted_by": users.get(admission.admitted_by_id) if admission.admitted_by_id else None,
        "discharged_by": users.get(admission.discharged_by_id)
        if admission.discharged_by_id
        else None,
        "transfer_form": forms.get("transfer_form") or TransferForm(beds=selectors.vacant_beds()),
        "plan_form": forms.get("plan_form")
        or PlanForm(initial={"expected_discharge_on": admission.expected_discharge_on}),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "may_transfer": admission.is_active and may_act_as(request.user, frozenset(WARD_STAFF)),
        "may_discharge": admission.is_active and may_act_as(request.user, frozenset({Role.DOCTOR})),
        "may_cancel": admission.is_active
        and may_act_as(request.user, frozenset(ADMITTERS))
        and timezone.localdate(admission.admitted_at) == timezone.localdate(),
        "may_nurse": may_act_as(request.user, frozenset(WARD_STAFF)),
    }


def _detail_section(
    request: HospitalRequest, admission: Admission, section: str, *, ok: bool, **forms: Any
) -> HttpResponse:
    if ok and not request.htmx:
        return redirect_to(request, reverse("admissions:detail", args=[admission.pk]))
    context = _detail_context(request, admission, **forms)
    return render(request, page_or_fragment(request, "admissions/detail.html", section), context)


@require_GET
def detail(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = _admission(admission_id)
    context = _detail_context(request, admission)
    return render(request, page_or_fragment(request, "admissions/detail.html", "stay"), context)


@require_POST
@roles_required(*WARD_STAFF)
def transfer(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = _admission(admission_id)
    form = TransferForm(data=request.POST, beds=selectors.vacant_beds())
    ok = form.is_valid()
    if ok:
        try:
            services.admission_transfer(
                admission=admission, bed=form.cleaned_data["bed"], transferred_by=request.user
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _detail_section(request, admission, "stay", ok=ok, transfer_form=None if ok else form)


@require_POST
@roles_required(Role.DOCTOR)
def plan(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = _admission(admission_id)
    form = PlanForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            services.admission_plan_discharge(
                admission=admission, on=form.cleaned_data["expected_discharge_on"]
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _detail_section(request, admission, "stay", ok=ok, plan_form=None if ok else form)


@require_POST
@roles_required(*ADMITTERS)
def cancel(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = _admission(admission_id)
    form = CancelForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            services.admission_cancel(
                admission=admission, reason=form.cleaned_data["reason"], cancelled_by=request.user
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _detail_section(request, admission, "stay", ok=ok, cancel_form=None if ok else form)


def _summary_initial(admission: Admission) -> dict[str, str]:
    """The discharge summary starts from the admitting consultation's diagnoses and the
    medicines on the ward chart; the doctor edits both."""
    diagnoses = (
        [
            f"{d.code} {d.title}"
            for d in diagnoses_of_consultation(consultation_id=admission.consultation_id)
        ]
        if admission.consultation_id
        else []
    )
    medicines = [
        f"{i.medicine} {i.dose}, {i.frequency}"
        for i in selectors.medication_items(admission=admission)
    ]
    return {"diagnoses": "\n".join(diagnoses), "medicines": "\n".join(medicines)}


@require_http_methods(["GET", "POST"])
@roles_required(Role.DOCTOR)
def discharge(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = _admission(admission_id)
    if not admission.is_active:
        return redirect_to(request, reverse("admissions:detail", args=[admission.pk]))
    form = DischargeForm(data=request.POST or None, initial=_summary_initial(admission))
    if request.method == "POST" and form.is_valid():
        try:
            services.admission_discharge(
                admission=admission,
                summary=services.DischargeSummary(**form.cleaned_data),
                discharged_by=request.user,
            )
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The patient is discharged; the bed goes to cleaning."))
            return redirect_to(request, reverse("admissions:summary", args=[admission.pk]))
    context = {
        "admission": admission,
        "patient": admission.patient,
        "form": form,
        "blockers": services.admission_discharge_blockers(admission=admission),
    }
    return render(request, page_or_fragment(request, "admissions/discharge.html", "form"), context)


@require_GET
def summary(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = _admission(admission_id)
    if admission.status != AdmissionStatus.DISCHARGED:
        raise Http404(_("This admission has no discharge summary yet."))
    context = _detail_context(request, admission)
    return render(request, "admissions/summary.html", context)


# -- nursing ----------------------------------------------------------------------------


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
    admission = _admission(admission_id)
    context = _nursing_context(request, admission)
    return render(request, page_or_fragment(request, "admissions/nursing.html", "mar"), context)


@require_POST
@roles_required(*WARD_STAFF)
def vitals(request: HospitalRequest, admission_id: uuid.UUID) -> HttpResponse:
    admission = _admission(admission_id)
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
    admission = _admission(admission_id)
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
    admission = _admission(admission_id)
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


# -- set-up (hospital administrator) ----------------------------------------------------


def _setup_context(**forms: Any) -> dict[str, Any]:
    wards = selectors.wards().prefetch_related("rooms__beds")
    allowed = services.admission_settings_get().allow_discharge_with_unbilled
    return {
        "wards": wards,
        "ward_form": forms.get("ward_form") or WardForm(),
        "settings_form": forms.get("settings_form")
        or AdmissionSettingsForm(initial={"allow_discharge_with_unbilled": allowed}),
        "tab": "setup",
    }


def _setup_page(request: HospitalRequest, *, ok: bool, **forms: Any) -> HttpResponse:
    if ok and not request.htmx:
        return redirect_to(request, reverse("admissions:setup"))
    return render(
        request,
        page_or_fragment(request, "admissions/setup.html", "wards"),
        _setup_context(**forms),
    )


@require_GET
@roles_required()
def setup(request: HospitalRequest) -> HttpResponse:
    return render(request, "admissions/setup.html", _setup_context())


@require_POST
@roles_required()
def ward_add(request: HospitalRequest) -> HttpResponse:
    form = WardForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            services.ward_create(
                name=form.cleaned_data["name"], daily_rate=form.cleaned_data["daily_rate"]
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _setup_page(request, ok=ok, ward_form=None if ok else form)


@require_http_methods(["GET", "POST"])
@roles_required()
def ward_edit(request: HospitalRequest, ward_id: uuid.UUID) -> HttpResponse:
    ward: Ward = _found(selectors.ward_get, ward_id=ward_id)
    form = WardForm(
        data=request.POST or None,
        initial={"name": ward.name, "daily_rate": ward.daily_rate, "is_active": ward.is_active},
    )
    room_form = RoomForm(data=None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ward_update(ward=ward, **form.cleaned_data)
        except HMSError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Ward saved."))
            return redirect_to(request, reverse("admissions:ward_edit", args=[ward.pk]))
    context = _ward_context(ward, form=form, room_form=room_form)
    return render(request, page_or_fragment(request, "admissions/ward.html", "ward"), context)


def _ward_context(ward: Ward, **forms: Any) -> dict[str, Any]:
    rooms = list(ward.rooms.prefetch_related("beds"))
    return {
        "ward": ward,
        "rooms": [
            (room, forms.get(f"bed_form_{room.pk}") or BedForm(prefix=f"room{room.pk}"))
            for room in rooms
        ],
        "form": forms.get("form")
        or WardForm(
            initial={"name": ward.name, "daily_rate": ward.daily_rate, "is_active": ward.is_active}
        ),
        "room_form": forms.get("room_form") or RoomForm(),
        "tab": "setup",
    }


@require_POST
@roles_required()
def room_add(request: HospitalRequest, ward_id: uuid.UUID) -> HttpResponse:
    ward: Ward = _found(selectors.ward_get, ward_id=ward_id)
    form = RoomForm(data=request.POST)
    ok = form.is_valid()
    if ok:
        try:
            services.room_create(ward=ward, name=form.cleaned_data["name"])
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _ward_section(request, ward, ok=ok, room_form=None if ok else form)


@require_POST
@roles_required()
def bed_add(request: HospitalRequest, room_id: uuid.UUID) -> HttpResponse:
    room = Room.objects.select_related("ward").filter(pk=room_id).first()
    if room is None:
        raise Http404(_("There is no such room in this hospital."))
    form = BedForm(data=request.POST, prefix=f"room{room.pk}")
    ok = form.is_valid()
    if ok:
        try:
            services.bed_create(
                room=room,
                label=form.cleaned_data["label"],
                daily_rate=form.cleaned_data["daily_rate"],
            )
        except HMSError as exc:
            add_errors(form, exc)
            ok = False
    return _ward_section(request, room.ward, ok=ok, **{f"bed_form_{room.pk}": None if ok else form})


def _ward_section(request: HospitalRequest, ward: Ward, *, ok: bool, **forms: Any) -> HttpResponse:
    if ok and not request.htmx:
        return redirect_to(request, reverse("admissions:ward_edit", args=[ward.pk]))
    context = _ward_context(ward, **forms)
    return render(request, page_or_fragment(request, "admissions/ward.html", "rooms"), context)


@require_POST
@roles_required()
def settings_save(request: HospitalRequest) -> HttpResponse:
    form = AdmissionSettingsForm(data=request.POST)
    form.is_valid()  # a checkbox cannot be invalid
    services.admission_settings_update(
        allow_discharge_with_unbilled=form.cleaned_data.get("allow_discharge_with_unbilled", False)
    )
    messages.success(request, _("Settings saved."))
    return redirect_to(request, reverse("admissions:setup"))
