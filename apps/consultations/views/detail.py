"""The consultation page and its sections that post on their own (each, with htmx,
swaps only itself): notes, follow-up, completing the consultation."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import roles_required
from apps.accounts.models import Role
from apps.accounts.rules import has_clinical_role
from apps.accounts.selectors import accounts_by_id
from apps.audit.services import record_opened
from apps.consultations import selectors
from apps.consultations.forms import (
    AmendmentForm,
    DiagnosisAmendmentForm,
    DiagnosisForm,
    FollowUpForm,
    NotesForm,
    PrescriptionItemForm,
)
from apps.consultations.models import Consultation
from apps.consultations.services import (
    LOCKED,
    consultation_book_follow_up,
    consultation_complete,
    consultation_save_notes,
)
from apps.consultations.views.common import (
    VITALS_RECORDERS,
    consultation_or_404,
    forbidden,
    may_write,
    writable,
)
from apps.core import visit_sections
from apps.core.htmx import page_or_fragment, redirect_to
from apps.core.http import HospitalRequest
from apps.core.submissions import acted_once
from apps.core.viewkit import Refused, attempt, form_action, section_or_redirect

DETAIL = "consultations/detail.html"
#: the sections a completed consultation still has forms in (amendments)
SECTIONS_WHEN_LOCKED = frozenset({"record"})


def detail_context(
    request: HospitalRequest, consultation: Consultation, **forms: Any
) -> dict[str, Any]:
    consultation.refresh_from_db()
    can_write = may_write(request, consultation.doctor)
    amendments = list(selectors.amendments_of(consultation=consultation))
    diagnoses = list(selectors.diagnoses_of_consultation(consultation_id=consultation.pk))
    items = list(selectors.prescription_items_of_consultation(consultation_id=consultation.pk))
    vitals = list(selectors.vitals_of_visit(appointment=consultation.appointment))
    authors = accounts_by_id(
        hospital=request.hospital,
        user_ids=[
            consultation.completed_by_id,
            consultation.notes_by_id,
            *(a.author_id for a in amendments),
            *(d.author_id for d in diagnoses),
            *(i.prescribed_by_id for i in items),
            *(v.recorded_by_id for v in vitals),
        ],
    )
    return {
        "consultation": consultation,
        "patient": consultation.patient,
        "can_write": can_write,
        "may_record_vitals": has_clinical_role(request.user, VITALS_RECORDERS),
        "editable": can_write and not consultation.is_locked,
        "vitals": [(v, selectors.vitals_flags(vitals=v)) for v in vitals],
        "diagnoses": diagnoses,
        "items": items,
        "authors": authors,
        "amendments": [(a, authors.get(a.author_id)) for a in amendments],
        "completed_by": authors.get(consultation.completed_by_id)
        if consultation.completed_by_id
        else None,
        "notes_form": forms.get("notes_form") or NotesForm.for_consultation(consultation),
        "diagnosis_form": forms.get("diagnosis_form") or DiagnosisForm(),
        "item_form": forms.get("item_form") or PrescriptionItemForm(),
        "medicine_choices": forms.get("medicine_choices", []),
        "warnings": forms.get("warnings", []),
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


def detail_page(
    request: HospitalRequest, consultation: Consultation, section: str, **shown: Any
) -> HttpResponse:
    """The consultation page, or with htmx one section of it."""
    context = detail_context(request, consultation, **shown)
    return render(request, page_or_fragment(request, DETAIL, section), context)


def section_response(
    request: HospitalRequest,
    consultation: Consultation,
    section: str,
    done: object,
    *,
    saved: str = "",
    **forms: Any,
) -> HttpResponse:
    """After a section's post: done, that section again with empty forms and ``saved``
    (htmx) or a redirect to the page; not done, the section (or the page) with the
    posted form and its errors."""
    if done:
        url = reverse("consultations:detail", args=[consultation.pk])
        return section_or_redirect(
            request, lambda: detail_page(request, consultation, section, saved=saved), url
        )
    consultation.refresh_from_db(fields=["status"])
    section_gone = consultation.is_locked and section not in SECTIONS_WHEN_LOCKED
    if isinstance(done, Refused):  # a button's refusal: no form to put it next to
        messages.error(request, done.message)
    elif section_gone:
        messages.error(request, str(LOCKED))
    if section_gone or isinstance(done, Refused):
        # the message is shown on the page (htmx is sent there: its section may be gone)
        if request.htmx:
            return redirect_to(request, reverse("consultations:detail", args=[consultation.pk]))
        return detail_page(request, consultation, "content")
    return detail_page(request, consultation, section, **forms)


@require_GET
def consultation_detail(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = consultation_or_404(consultation_id)
    record_opened(
        action="consultation.viewed",
        entity="consultation",
        entity_id=consultation.pk,
        entity_label=str(consultation),
        patient=consultation.patient,
    )
    return detail_page(request, consultation, "content")


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def consultation_notes(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = NotesForm(data=request.POST)
    done = form_action(
        form,
        lambda data: consultation_save_notes(
            consultation=consultation, notes=data, author=request.user
        ),
    )
    saved = _("Notes saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")}
    return section_response(request, consultation, "notes", done, saved=saved, notes_form=form)


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def follow_up_book(request: HospitalRequest, consultation_id: uuid.UUID) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    form = FollowUpForm(data=request.POST)
    done = form_action(
        form,
        lambda data: consultation_book_follow_up(
            consultation=consultation, day=data["day"], booked_by=request.user
        ),
    )
    return section_response(request, consultation, "follow_up", done, follow_up_form=form)


@require_POST
@roles_required(Role.DOCTOR)
@acted_once
def consultation_complete_view(
    request: HospitalRequest, consultation_id: uuid.UUID
) -> HttpResponse:
    consultation = writable(request, consultation_id)
    if consultation is None:
        return forbidden(request)
    completed = attempt(
        lambda: consultation_complete(consultation=consultation, completed_by=request.user)
    )
    if isinstance(completed, Refused):
        # what still blocks completing is said in the section, beside its button
        return section_response(
            request, consultation, "complete", None, complete_error=completed.message
        )
    messages.success(request, _("Consultation completed."))
    return redirect_to(request, reverse("consultations:detail", args=[consultation.pk]))
