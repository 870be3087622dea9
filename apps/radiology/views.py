from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
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
from apps.core.submissions import acted_once, submitted_once
from apps.core.viewkit import Refused, attempt, form_action, found, paginate, posted, search_query
from apps.patients.models import Patient
from apps.patients.selectors import patient_get, patient_search
from apps.radiology.attachments import (
    attachment_path,
    content_type_of,
    radiology_attachment_add,
)
from apps.radiology.forms import (
    AmendForm,
    AttachmentForm,
    CancelForm,
    ExaminationForm,
    OrderForm,
    ReportForm,
    ScheduleForm,
)
from apps.radiology.models import PENDING_STATUSES, Modality, Study, StudyStatus
from apps.radiology.selectors import (
    doctor_for_user,
    radiology_attachment_get,
    radiology_catalogue,
    radiology_examination_get,
    radiology_modalities,
    radiology_orderable,
    radiology_studies_of_doctor,
    radiology_study_get,
    radiology_worklist,
    radiology_worklist_counts,
    study_rows,
)
from apps.radiology.services import (
    radiology_examination_update,
    radiology_report_amend,
    radiology_report_save,
    radiology_report_verify,
    radiology_study_cancel,
    radiology_study_order,
    radiology_study_perform,
    radiology_study_schedule,
)

PAGE_SIZE = 50
#: who runs the department (hospital administrators may do everything too)
RADIOLOGY = frozenset({Role.RADIOLOGIST})
#: who may order imaging and read reports
CLINICAL = frozenset({Role.RADIOLOGIST, Role.DOCTOR})


def _people(request: HospitalRequest, study: Study) -> dict[Any, Any]:
    amendments = list(study.amendments.all())
    return accounts_by_id(
        hospital=request.hospital,
        user_ids=[
            study.ordered_by_id,
            study.scheduled_by_id,
            study.performed_by_id,
            study.reported_by_id,
            study.verified_by_id,
            study.cancelled_by_id,
            *(a.amended_by_id for a in amendments),
            *(a.previous_verified_by_id for a in amendments),
        ],
    )


def _detail(
    request: HospitalRequest, study: Study, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The study page (or its ``study`` fragment), with its forms unbound unless given."""
    report_initial = {
        "findings": study.findings or study.examination.default_findings,
        "impression": study.impression or study.examination.default_impression,
    }
    context: dict[str, Any] = {
        "study": study,
        "amendments": list(study.amendments.all()),
        "people": _people(request, study),
        "is_radiologist": may_act_as(request.user, RADIOLOGY),
        "may_cancel": may_act_as(request.user, CLINICAL),
        "schedule_form": ScheduleForm(),
        "report_form": ReportForm(initial=report_initial),
        "cancel_form": CancelForm(),
        "attachment_form": AttachmentForm(initial={"upload": uuid.uuid4().hex}),
        "attachments": list(study.attachments.all()),
        **extra,
    }
    template = page_or_fragment(request, "radiology/detail.html", "study")
    return render(request, template, context, status=status)


def _redirect_to_study(request: HospitalRequest, study: Study) -> HttpResponse:
    return redirect_to(request, reverse("radiology:detail", args=[study.pk]))


@require_GET
def radiology_index(request: HospitalRequest) -> HttpResponse:
    if is_doctor(request.user):
        return redirect("radiology:my_orders")
    return redirect("radiology:worklist")


def _modality_from(code: str) -> Modality | None:
    if not code:
        return None
    modality = Modality.objects.filter(code=code).first()
    if modality is None:
        raise Http404(_("There is no such modality in this hospital."))
    return modality


@require_GET
@roles_required(*RADIOLOGY)
def radiology_worklist_view(request: HospitalRequest) -> HttpResponse:
    """The department's list of studies still to do, one modality at a time (``?m=``)."""
    modality = _modality_from(request.GET.get("m", ""))
    status = request.GET.get("status", "")
    query = search_query(request)
    studies = radiology_worklist(modality=modality, status=status, query=query)
    page = paginate(request, studies, size=PAGE_SIZE)
    context = {
        "page": page,
        "rows": study_rows(studies=page.object_list),
        "modality": modality,
        "modalities": radiology_modalities(),
        "status": status,
        "query": query,
        "counts": radiology_worklist_counts(modality=modality),
        "statuses": PENDING_STATUSES,
    }
    return render(request, page_or_fragment(request, "radiology/worklist.html", "studies"), context)


@require_GET
@roles_required(Role.DOCTOR)
def radiology_my_orders(request: HospitalRequest) -> HttpResponse:
    doctor = doctor_for_user(user_id=request.user.pk)
    studies = radiology_studies_of_doctor(doctor=doctor) if doctor else Study.objects.none()
    page = paginate(request, studies, size=PAGE_SIZE)
    context = {"page": page, "rows": study_rows(studies=page.object_list), "doctor": doctor}
    return render(
        request, page_or_fragment(request, "radiology/my_orders.html", "studies"), context
    )


def _appointment_from(value: str | None) -> Appointment | None:
    """The appointment a study is ordered in; 404 for an id this hospital does not have
    (another hospital's included)."""
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


@require_http_methods(["GET", "POST"])
@roles_required(*CLINICAL)
@submitted_once
def radiology_order_new(request: HospitalRequest) -> HttpResponse:
    """Order an examination: from a consultation (``?appointment=<id>``: its patient),
    or at the department, finding the patient as you type (``?q=``)."""
    appointment = _appointment_from(
        request.GET.get("appointment") or request.POST.get("appointment")
    )
    if request.method == "GET" and request.htmx and "q" in request.GET:
        query = search_query(request)
        patients = list(patient_search(query=query)[:10]) if query else []
        choices = {"patients": patients, "query": query}
        return render(request, "radiology/order_new.html#patients", choices)
    examinations = radiology_orderable()
    initial: dict[str, Any] = {}
    if appointment is not None:
        initial = {"patient": appointment.patient_id}
    elif request.GET.get("patient"):
        initial = {"patient": request.GET["patient"]}
    form = OrderForm(data=posted(request), initial=initial, examinations=examinations)
    patient = _patient_from(form.data.get("patient") if form.is_bound else initial.get("patient"))

    def order(data: dict[str, Any]) -> Study:
        if patient is None:
            raise ValidationError(_("Choose the patient."), field="patient")
        return radiology_study_order(
            hospital=request.hospital,
            patient=patient,
            examination=data["examination"],
            priority=data["priority"],
            ordered_by=request.user,
            appointment=appointment,
            clinical_notes=data["clinical_notes"],
        )

    if ordered := form_action(form, order):
        study = ordered.result
        messages.success(request, _("Ordered %(number)s.") % {"number": study.number})
        return _redirect_to_study(request, study)
    context: dict[str, Any] = {
        "form": form,
        "patient": patient,
        "appointment": appointment,
        "doctor": doctor_for_user(user_id=request.user.pk),
        "examinations": examinations,
    }
    return render(request, page_or_fragment(request, "radiology/order_new.html", "form"), context)


@require_GET
@roles_required(*CLINICAL)
def radiology_study_detail(request: HospitalRequest, study_id: uuid.UUID) -> HttpResponse:
    study = found(radiology_study_get, study_id=study_id)
    record_opened(
        action="radiology_study.viewed",
        entity="radiology_study",
        entity_id=study.pk,
        entity_label=study.number,
        patient=study.patient,
    )
    return _detail(request, study)


def _acted(request: HospitalRequest, study: Study, outcome: object, success: str) -> HttpResponse:
    if isinstance(outcome, Refused):
        fresh = found(radiology_study_get, study_id=study.pk)
        return _detail(request, fresh, action_error=outcome.message)
    messages.success(request, success)
    return _redirect_to_study(request, study)


@require_POST
@roles_required(*RADIOLOGY)
@acted_once
def radiology_schedule_view(request: HospitalRequest, study_id: uuid.UUID) -> HttpResponse:
    study = found(radiology_study_get, study_id=study_id)
    form = ScheduleForm(data=request.POST)
    scheduled = form_action(
        form,
        lambda data: radiology_study_schedule(
            study=study, user=request.user, at=data["scheduled_for"]
        ),
        handles=Conflict,
    )
    if scheduled is None:
        return _detail(request, study, schedule_form=form)
    return _acted(request, study, scheduled, _("Scheduled %(number)s.") % {"number": study.number})


@require_POST
@roles_required(*RADIOLOGY)
@acted_once
def radiology_perform_view(request: HospitalRequest, study_id: uuid.UUID) -> HttpResponse:
    study = found(radiology_study_get, study_id=study_id)
    performed = attempt(lambda: radiology_study_perform(study=study, user=request.user))
    return _acted(request, study, performed, _("%(number)s performed.") % {"number": study.number})


@require_POST
@roles_required(*RADIOLOGY)
@acted_once
def radiology_report_view(request: HospitalRequest, study_id: uuid.UUID) -> HttpResponse:
    """Save the report, or (``action=submit``) hand it in for verification."""
    study = found(radiology_study_get, study_id=study_id)
    form = ReportForm(data=request.POST)
    submit = request.POST.get("action") == "submit"
    saved = form_action(
        form,
        lambda data: radiology_report_save(
            study=study,
            findings=data["findings"],
            impression=data["impression"],
            user=request.user,
            submit=submit,
        ),
        handles=Conflict,
    )
    if saved is None:
        return _detail(request, found(radiology_study_get, study_id=study_id), report_form=form)
    success = _("Report submitted.") if submit else _("Report saved.")
    return _acted(request, study, saved, success)


@require_POST
@roles_required(*RADIOLOGY)
@acted_once
def radiology_verify_view(request: HospitalRequest, study_id: uuid.UUID) -> HttpResponse:
    study = found(radiology_study_get, study_id=study_id)
    verified = attempt(lambda: radiology_report_verify(study=study, user=request.user))
    success = _("Report of %(number)s verified.") % {"number": study.number}
    return _acted(request, study, verified, success)


@require_POST
@roles_required(*CLINICAL)
@acted_once
def radiology_cancel_view(request: HospitalRequest, study_id: uuid.UUID) -> HttpResponse:
    study = found(radiology_study_get, study_id=study_id)
    form = CancelForm(data=request.POST)
    cancelled = form_action(
        form,
        lambda data: radiology_study_cancel(study=study, user=request.user, reason=data["reason"]),
        handles=Conflict,
    )
    if cancelled is None:
        return _detail(request, study, cancel_form=form)
    return _acted(request, study, cancelled, _("Cancelled %(number)s.") % {"number": study.number})


@require_http_methods(["GET", "POST"])
@roles_required(*RADIOLOGY)
@submitted_once
def radiology_amend_view(request: HospitalRequest, study_id: uuid.UUID) -> HttpResponse:
    study = found(radiology_study_get, study_id=study_id)
    form = AmendForm(
        data=posted(request), initial={"findings": study.findings, "impression": study.impression}
    )
    amended = form_action(
        form,
        lambda data: radiology_report_amend(
            study=study,
            findings=data["findings"],
            impression=data["impression"],
            reason=data["reason"],
            user=request.user,
        ),
    )
    if amended:
        messages.success(request, _("Report of %(number)s amended.") % {"number": study.number})
        return _redirect_to_study(request, study)
    context = {"study": study, "form": form}
    return render(request, page_or_fragment(request, "radiology/amend.html", "form"), context)


@require_GET
@roles_required(*CLINICAL)
def radiology_report_print(request: HospitalRequest, study_id: uuid.UUID) -> HttpResponse:
    """The printable A4 report of a verified study (an ordinary page with the print
    stylesheet and the hospital's print header)."""
    study = found(radiology_study_get, study_id=study_id)
    if study.status != StudyStatus.VERIFIED:
        return render(request, "radiology/report_not_ready.html", {"study": study}, status=409)
    record_opened(
        action="radiology_report.printed",
        entity="radiology_study",
        entity_id=study.pk,
        entity_label=study.number,
        patient=study.patient,
    )
    context = {"study": study, "people": _people(request, study)}
    return render(request, "radiology/report.html", context)


@require_GET
@roles_required(*CLINICAL)
def radiology_catalogue_view(request: HospitalRequest) -> HttpResponse:
    context = {"examinations": radiology_catalogue()}
    return render(request, "radiology/catalogue.html", context)


@require_http_methods(["GET", "POST"])
@roles_required()
def radiology_examination_edit(request: HospitalRequest, examination_id: int) -> HttpResponse:
    """An administrator sets the hospital's price of an examination and whether it is
    offered."""
    examination = found(radiology_examination_get, examination_id=examination_id)
    form = ExaminationForm(
        data=posted(request),
        initial={"price": examination.price, "is_active": examination.is_active},
    )
    saved = form_action(
        form,
        lambda data: radiology_examination_update(
            examination=examination, price=data["price"], is_active=data["is_active"]
        ),
    )
    if saved:
        messages.success(request, _("Saved %(name)s.") % {"name": examination.display_name})
        return redirect_to(request, reverse("radiology:catalogue"))
    context = {"examination": examination, "form": form}
    template = page_or_fragment(request, "radiology/examination.html", "form")
    return render(request, template, context)


@require_POST
@roles_required(*RADIOLOGY)
@acted_once
def radiology_attachment_upload(request: HospitalRequest, study_id: uuid.UUID) -> HttpResponse:
    """Attach an image or scanned document to the study (checked by its content)."""
    study = found(radiology_study_get, study_id=study_id)
    form = AttachmentForm(data=request.POST, files=request.FILES)
    added = form_action(
        form,
        lambda data: radiology_attachment_add(
            hospital=request.hospital,
            study=study,
            name=data["file"].name or "",
            data=data["file"].read(),
            user=request.user,
        ),
    )
    if added is None:
        return _detail(request, study, attachment_form=form)
    messages.success(request, _("Attached %(name)s.") % {"name": added.result.original_name})
    return _redirect_to_study(request, study)


@require_GET
@roles_required(*CLINICAL)
def radiology_attachment_view(
    request: HospitalRequest, study_id: uuid.UUID, attachment_id: uuid.UUID
) -> FileResponse:
    """One attached file, for a member of this hospital whose role may read the study:
    images and PDFs shown, a DICOM file downloaded."""
    study = found(radiology_study_get, study_id=study_id)
    attachment = found(radiology_attachment_get, study=study, attachment_id=attachment_id)
    record_opened(
        action="radiology_attachment.viewed",
        entity="radiology_study",
        entity_id=study.pk,
        entity_label=study.number,
        patient=study.patient,
    )
    path = attachment_path(hospital=request.hospital, attachment=attachment)
    if not path.exists():
        raise Http404(_("The file of this attachment is missing."))
    return FileResponse(
        path.open("rb"),
        content_type=content_type_of(attachment),
        as_attachment=not attachment.is_viewable,
        filename=attachment.original_name,
    )
